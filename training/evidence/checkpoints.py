"""Signed checkpoints: the head of each chain, its row count and the time, signed with the evidence key.

Rules an auditor may ask about:
- A checkpoint is printed on every department report and evidence pack, and on demand by
  `python -m training checkpoint`. Keep it: `python -m training verify-checkpoint TOKEN`
  later says whether the database still holds those chains as they were. Rows deleted from
  the end (fewer rows than the checkpoint counted) or any earlier row rewritten and the chain
  recomputed (a different hash at the checkpoint's position) are named.
- Only the evidence key can sign a checkpoint, so one cannot be made up afterwards.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from db.models import utcnow
from training.evidence.keys import Keyring, load_keyring
from training.evidence.seals import GENESIS, message, stamp

PREFIX = "fippcp1"
MAX_TOKEN = 4000
# Each chain: its rows in chain order.
CHAINS = {
    "completion": "SELECT row_hash FROM completion ORDER BY id",
    "audit_event": "SELECT row_hash FROM audit_event WHERE row_hash IS NOT NULL ORDER BY id",
}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _head(session: Session, sql: str) -> tuple[int, str]:
    count = int(session.execute(text(f"SELECT COUNT(*) FROM ({sql}) AS c")).scalar_one())
    head = session.execute(text(f"{sql} DESC LIMIT 1")).scalar() if count else None
    return count, head or GENESIS


@dataclass(frozen=True)
class Checkpoint:
    at: str
    key_id: str
    chains: dict[str, tuple[int, str]]
    label: str
    token: str

    def lines(self) -> list[str]:
        out = [f"Evidence checkpoint ({self.label}) at {self.at} UTC, key {self.key_id}"]
        out += [f"  {name}: {count} rows, head {head[:16]}" for name, (count, head) in self.chains.items()]
        return out


def make_checkpoint(*, session: Session, label: str = "on demand", keyring: Keyring | None = None,
                    now: datetime | None = None) -> Checkpoint:
    keyring = keyring or load_keyring()
    chains = {name: _head(session, sql) for name, sql in CHAINS.items()}
    at = stamp(now or utcnow())[:19]
    key_id = keyring.signer.key_id
    payload = json.dumps({"v": 1, "at": at, "key_id": key_id, "label": label[:80],
                          "chains": {k: list(v) for k, v in chains.items()}}, sort_keys=True, separators=(",", ":"))
    _, sig = keyring.sign(message("checkpoint", payload))
    token = f"{PREFIX}.{_b64(payload.encode())}.{_b64(base64.b64decode(sig))}"
    return Checkpoint(at, key_id, chains, label[:80], token)


def read_checkpoint(token: str, keyring: Keyring) -> Checkpoint:
    """The checkpoint in token, if its signature verifies; ValueError otherwise."""
    parts = "".join(token.split())[:MAX_TOKEN].split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ValueError("not a FIPP checkpoint")
    try:
        payload = _unb64(parts[1]).decode("utf-8")
        data = json.loads(payload)
        sig = base64.b64encode(_unb64(parts[2])).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the checkpoint is damaged") from None
    if not keyring.verify(data.get("key_id"), message("checkpoint", payload), sig):
        raise ValueError("the checkpoint's signature does not verify with the evidence keyring")
    chains = {k: (int(v[0]), str(v[1])) for k, v in data["chains"].items()}
    return Checkpoint(data["at"], data["key_id"], chains, data.get("label", ""), token)


def verify_checkpoint(*, session: Session, token: str, keyring: Keyring | None = None) -> list[str]:
    """Problems found comparing the database with a kept checkpoint (empty: it still holds)."""
    keyring = keyring or load_keyring()
    try:
        cp = read_checkpoint(token, keyring)
    except ValueError as exc:
        return [str(exc)]
    problems = []
    for name, (count, head) in cp.chains.items():
        sql = CHAINS.get(name)
        if sql is None:
            problems.append(f"{name}: not a chain this version knows")
            continue
        now_count = int(session.execute(text(f"SELECT COUNT(*) FROM ({sql}) AS c")).scalar_one())
        if now_count < count:
            problems.append(f"{name}: {now_count} rows now, {count} at the checkpoint of {cp.at}: rows were deleted")
            continue
        at_pos = session.execute(text(f"{sql} LIMIT 1 OFFSET {count - 1}")).scalar() if count else GENESIS
        if (at_pos or GENESIS) != head:
            problems.append(f"{name}: row {count} of the chain no longer has the checkpoint's hash {head[:16]}: "
                            "rows up to it were rewritten, inserted or deleted")
    return problems
