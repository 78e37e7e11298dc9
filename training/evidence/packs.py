"""Evidence packs: a department's training records for a cycle, in one ZIP an auditor can check offline.

Rules an auditor may ask about:
- A pack holds, for each officer on the department's roster, their submitted attempts for the
  cycle's modules as they were shown (question text version, options in the order shown,
  the choices made, credit and score), their completions in the cycle and a certificate PDF
  for each; the department report; a signed checkpoint of the chains; the public evidence key;
  and manifest.json listing every file's SHA-256, signed with the evidence key (manifest.sig).
- The cycle's modules are those assigned to the department or its officers with that cycle,
  plus any completed in it.
- `python -m training verify-pack FILE.zip` needs no database: it checks the signature with
  the public key (given with --public-key, else this installation's keyring, else the key in
  the pack, with a warning to compare its id) and names every file whose hash differs, and
  every file missing from or added to the pack.
- Supervisors get packs for their own department only (checked here, not just in the page).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Assignment, Completion, Officer, utcnow
from training.certificates import certificate_pdf
from training.content import Catalog
from training.evidence.checkpoints import make_checkpoint
from training.evidence.keys import Keyring, load_keyring, parse_keyring
from training.evidence.public import verification_url
from training.evidence.seals import message, stamp
from training.exports import department_report_pdf
from training.identity.principal import Principal
from training.oversight import attempt_answers, department_dashboard, department_in_scope
from training.records import certificate_data

FORMAT = "fipp-evidence-pack-1"
MANIFEST, SIGNATURE, PUBLIC_KEY = "manifest.json", "manifest.sig", "public-key.txt"
MAX_MEMBERS, MAX_MEMBER_BYTES = 100_000, 50_000_000


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text)[:40] or "x"


def _json(data: object) -> bytes:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def build_pack(*, session: Session, actor: Principal, catalog: Catalog, department_id: int | None, cycle: str,
               keyring: Keyring | None = None, now: datetime | None = None) -> bytes:
    """The ZIP's bytes. Raises NotAllowed for a supervisor asking about another department."""
    dept = department_in_scope(session=session, actor=actor, department_id=department_id)
    keyring = keyring or load_keyring()
    now = now or utcnow()
    cycle = cycle.strip()[:20]
    roster = list(session.exec(select(Officer).where(Officer.department_id == dept.id).order_by(col(Officer.id))))
    ids = [o.id for o in roster]
    assigned = set(session.exec(select(Assignment.module_id).where(
        Assignment.cycle == cycle, or_(col(Assignment.department_id) == dept.id, col(Assignment.officer_id).in_(ids)))))
    completions = list(session.exec(select(Completion).where(Completion.cycle == cycle,
                                                              col(Completion.officer_id).in_(ids))
                                     .order_by(col(Completion.id))))
    modules = assigned | {c.module_id for c in completions}
    titles = {m.id: m.title for m in catalog.modules.values()}
    checkpoint = make_checkpoint(session=session, label=f"evidence pack {dept.code} {cycle}", keyring=keyring, now=now)
    board = department_dashboard(session=session, actor=actor, catalog=catalog, department_id=dept.id,
                                 today=now.date(), from_records=True)  # evidence never rests on the status cache
    files: dict[str, bytes] = {
        "department-report.pdf": department_report_pdf(board, footer_lines=[*checkpoint.lines(), checkpoint.token]),
        "checkpoint.txt": ("\n".join(checkpoint.lines()) + "\n" + checkpoint.token + "\n").encode(),
        PUBLIC_KEY: keyring.public_text().encode(),
    }
    for officer in roster:
        assert officer.id is not None
        folder = f"officers/{_slug(officer.badge_number)}"
        attempts = _attempts(session, actor, officer.id, modules)
        mine = [c for c in completions if c.officer_id == officer.id]
        if not attempts and not mine:
            continue
        files[f"{folder}/officer.json"] = _json({"name": officer.name, "badge_number": officer.badge_number,
                                                 "role": officer.role, "department": dept.name})
        files[f"{folder}/attempts.json"] = _json(attempts)
        files[f"{folder}/completions.json"] = _json([c.model_dump() for c in mine])
        for c in mine:
            assert c.id is not None
            cert = certificate_data(session=session, completion_id=c.id, module_title=titles.get(c.module_id, c.module_id))
            files[f"{folder}/certificates/{c.verification_code}.pdf"] = certificate_pdf(
                cert, verify_url=verification_url(c.verification_code))
    manifest = _json({"format": FORMAT, "department": {"code": dept.code, "name": dept.name}, "cycle": cycle,
                      "created_at": stamp(now)[:19], "created_by": actor.name, "modules": sorted(modules),
                      "key_id": keyring.signer.key_id, "files": {path: _sha(body) for path, body in sorted(files.items())}})
    _, sig = keyring.sign(message("pack-manifest", _sha(manifest)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, body in sorted(files.items()):
            z.writestr(path, body)
        z.writestr(MANIFEST, manifest)
        z.writestr(SIGNATURE, sig + "\n")
    return out.getvalue()


def _attempts(session: Session, actor: Principal, officer_id: int, modules: set[str]) -> list[dict[str, object]]:
    from training.oversight import officer_attempts

    out: list[dict[str, object]] = []
    for a in officer_attempts(session=session, actor=actor, officer_id=officer_id):
        if a.status != "submitted" or a.module_id not in modules:
            continue
        answers = attempt_answers(session=session, actor=actor, officer_id=officer_id, attempt_id=a.attempt_id)
        out.append({**asdict(a), "answers": [asdict(x) for x in answers]})
    return out


def verify_pack(data: bytes, *, keyring: Keyring | None = None) -> tuple[list[str], list[str]]:
    """(problems, notes) for a pack's bytes; no problems means every file is as signed."""
    notes: list[str] = []
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["not a ZIP file"], notes
    with z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS or any(i.file_size > MAX_MEMBER_BYTES for i in infos):
            return ["the pack is larger than any pack this version writes"], notes
        names = {i.filename for i in infos}
        if MANIFEST not in names or SIGNATURE not in names:
            return [f"{MANIFEST} or {SIGNATURE} is missing"], notes
        manifest = z.read(MANIFEST)
        if keyring is None:
            keyring = parse_keyring(z.read(PUBLIC_KEY).decode("ascii", "replace"), PUBLIC_KEY)
            notes.append("checked with the public key inside the pack: compare its id with the one you were given")
        try:
            listing = json.loads(manifest)
            listed: dict[str, str] = dict(listing["files"])
        except (ValueError, KeyError, TypeError):
            return [f"{MANIFEST}: not a manifest"], notes
        notes.append(f"signed by key {listing.get('key_id')}")
        signature = z.read(SIGNATURE).decode("ascii", "replace").strip()
        problems = []
        if not keyring.verify(listing.get("key_id"), message("pack-manifest", _sha(manifest)), signature):
            problems.append(f"{MANIFEST}: its signature does not verify (the manifest was changed, or signed with "
                            "another key)")
        for path, digest in sorted(listed.items()):
            if path not in names:
                problems.append(f"{path}: listed in the manifest but missing from the pack")
            elif _sha(z.read(path)) != digest:
                problems.append(f"{path}: its SHA-256 does not match the manifest (the file was changed)")
        problems += [f"{path}: in the pack but not in the manifest" for path in sorted(names - set(listed)
                                                                                       - {MANIFEST, SIGNATURE})]
    return problems, notes


def describe(problems: Sequence[str]) -> str:
    return "pack verified: every file is as signed" if not problems else f"{len(problems)} problem(s)"
