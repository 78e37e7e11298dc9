"""Anyone can check a certificate: its verification code, the public page and the offline command.

Rules anyone may ask about:
- A code shows: valid or not, the officer's name, department, module, module version,
  cycle, date and score. Nothing else (no badge, email, answers or other records).
- "Valid" means a completion with that code exists, its contents still match its chain
  hash, and its seal verifies with the evidence key. Any other code, whether unknown,
  mistyped or tampered with, gets the same answer, so a wrong code gives no hint.
- The public page allows each client (by IP address) CHECKS_PER_WINDOW checks per
  WINDOW_SECONDS, counted in the app process (so a restart or a second process resets the
  count; put a rate-limiting proxy in front for more).
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel import Session, select

from db.models import Completion, Department, EvidenceBaseline, Officer
from training.evidence.keys import Keyring, KeyUnavailable, load_keyring
from training.evidence.seals import message
from training.localtime import agency_zone, format_local_date
from training.settings import get_settings

DEFAULT_PUBLIC_URL = "http://localhost:8501"
CODE_RE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
CHECKS_PER_WINDOW = 20
WINDOW_SECONDS = 600
NOT_VALID = "No valid certificate has this code."


def public_url() -> str:
    return get_settings().public_url or DEFAULT_PUBLIC_URL


def verification_url(code: str) -> str:
    """The address printed (and QR-encoded) on a certificate."""
    return f"{public_url()}/verify?code={quote(code)}"


def normalise_code(raw: str) -> str | None:
    code = "".join(raw[:64].split()).upper()
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    return code if CODE_RE.match(code) else None


@dataclass(frozen=True)
class CertificateCheck:
    valid: bool
    name: str = ""
    department: str = ""
    module: str = ""
    module_version: str = ""
    cycle: str = ""
    date: datetime | None = None
    score: float = 0.0

    def lines(self) -> list[str]:
        if not self.valid:
            return [NOT_VALID]
        assert self.date is not None
        return ["Valid certificate", f"Name: {self.name}", f"Department: {self.department}",
                f"Module: {self.module}", f"Module version: {self.module_version}", f"Cycle: {self.cycle}",
                f"Date: {format_local_date(self.date)} ({agency_zone().key})", f"Score: {self.score:.0f}%"]


def check_certificate(*, session: Session, code: str, module_titles: dict[str, str],
                      keyring: Keyring | None = None) -> CertificateCheck:
    from training.records import _row_hash  # the chain's own hash function

    normal = normalise_code(code)
    if normal is None:
        return CertificateCheck(False)
    c = session.exec(select(Completion).where(Completion.verification_code == normal)).first()
    if c is None or c.id is None or _row_hash(c) != c.row_hash:
        return CertificateCheck(False)
    try:
        keyring = keyring or load_keyring()
    except KeyUnavailable:
        return CertificateCheck(False)
    base = session.exec(select(EvidenceBaseline.completion_max_id)).first() or 0
    if c.id > base and not keyring.verify(c.key_id, message("completion", c.row_hash), c.seal):
        return CertificateCheck(False)
    officer = session.get(Officer, c.officer_id)
    dept = session.get(Department, c.department_id) if c.department_id else None
    return CertificateCheck(True, officer.name if officer else "", dept.name if dept else "",
                            module_titles.get(c.module_id, c.module_id), f"{c.module_id} @ {c.module_version_hash[:16]}",
                            c.cycle, c.completed_at, c.score)


class RateLimiter:
    """At most `limit` events per client in any `window` seconds (a sliding window, in process)."""

    def __init__(self, limit: int = CHECKS_PER_WINDOW, window: float = WINDOW_SECONDS, max_clients: int = 50_000):
        self.limit, self.window, self.max_clients = limit, window, max_clients
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._seen) >= self.max_clients:  # bounded memory: forget the quietest clients
                for key in [k for k, q in self._seen.items() if not q or q[-1] < now - self.window]:
                    del self._seen[key]
            q = self._seen.setdefault(client[:100], deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            return True
