"""A second factor: TOTP authenticator apps and one-time recovery codes.

Rules a supervisor may ask about:
- Supervisors and administrators who sign in with a password must use an authenticator app
  (TOTP, RFC 6238: 6 digits every 30 seconds). Until they have enrolled one, signing in takes
  them to enrolment and to no other page. Trainees may enrol; once they have, they are asked
  for a code too.
- Officers who sign in through their agency's identity provider (single sign-on) are not
  asked: their agency's provider is where multi-factor authentication is enforced.
- A code is accepted up to one 30-second step either side of the server's clock, and once
  only: the last accepted step is remembered, and a code from it or an earlier one is refused.
- 5 wrong codes in a row (FIPP_TOTP_MAX_FAILURES) lock the second factor for 15 minutes
  (FIPP_TOTP_LOCK_MINUTES), whatever the code; the lock is audited. A right code resets the count.
- Enrolment gives 10 recovery codes, shown once. Each works once in place of a code. They are
  stored as hashes; the authenticator's secret is stored encrypted (training/identity/secretbox.py).
- An administrator can reset another officer's second factor (audited): the officer's sessions
  end and they enrol again at their next sign-in. Nobody resets their own this way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from db.models import Officer, RecoveryCode, SecondFactor, utcnow
from training.audit import record_event
from training.errors import NotAllowed, NotFound, TrainingError
from training.identity.secretbox import load_key, open_sealed, seal
from training.identity.sessions import end_sessions
from training.localtime import format_local
from training.settings import get_settings

MUST_ENROL_ROLES = ("supervisor", "admin")
STEP_SECONDS = 30
RECOVERY_CODES = 10
MAX_CODE_INPUT = 64
_B32 = re.compile(r"^[A-Z2-7]{16}$")
_SIX_DIGITS = re.compile(r"^[0-9]{6}$")
_B32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


class AlreadyEnrolled(TrainingError):
    pass


@dataclass(frozen=True)
class SecondFactorSettings:
    key: bytes = field(repr=False)
    max_failures: int = 5
    lock_minutes: int = 15
    challenge_minutes: int = 10
    issuer: str = "FIPP Academy"


def load_second_factor_settings() -> SecondFactorSettings:
    cfg = get_settings()
    return SecondFactorSettings(key=load_key(), max_failures=cfg.totp_max_failures,
                                lock_minutes=cfg.totp_lock_minutes)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code. Returned, not raised, so that a failure is committed."""

    ok: bool
    message: str
    used_recovery_code: bool = False
    recovery_codes_left: int = 0


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, shown for manual entry
    uri: str  # otpauth:// URI, drawn as the QR code


def _context(officer_id: int) -> str:
    return f"totp-secret:officer:{officer_id}"


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _factor(session: Session, officer_id: int, *, lock: bool = False) -> SecondFactor | None:
    query = select(SecondFactor).where(SecondFactor.officer_id == officer_id)
    return session.exec(query.with_for_update() if lock else query).first()  # row lock on PostgreSQL


def is_enrolled(*, session: Session, officer_id: int) -> bool:
    factor = _factor(session, officer_id)
    return factor is not None and factor.confirmed_at is not None


def second_factor_step(*, session: Session, officer: Officer) -> str | None:
    """After a correct password: "verify" (ask for a code), "enrol" (must enrol first) or None."""
    assert officer.id is not None
    if is_enrolled(session=session, officer_id=officer.id):
        return "verify"
    return "enrol" if officer.role in MUST_ENROL_ROLES else None


def start_enrolment(*, session: Session, officer_id: int, settings: SecondFactorSettings,
                    now: datetime | None = None) -> Enrolment:
    """A new (or the pending) authenticator secret for this officer, not yet confirmed."""
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    factor = _factor(session, officer_id, lock=True)
    if factor is not None and factor.confirmed_at is not None:
        raise AlreadyEnrolled("An authenticator is already set up for this account.")
    if factor is None:  # keep a pending secret, so a phone that already scanned it still matches
        secret = pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends
        factor = SecondFactor(officer_id=officer_id, created_at=now or utcnow(),
                              secret_ciphertext=seal(settings.key, secret, context=_context(officer_id)))
        session.add(factor)
        session.flush()
    else:
        secret = open_sealed(settings.key, factor.secret_ciphertext, context=_context(officer_id))
    uri = pyotp.TOTP(secret).provisioning_uri(name=officer.email, issuer_name=settings.issuer)
    return Enrolment(secret, uri)


def confirm_enrolment(*, session: Session, officer_id: int, code: str, settings: SecondFactorSettings,
                      now: datetime | None = None) -> tuple[CodeCheck, list[str]]:
    """The first correct code confirms the authenticator and issues the recovery codes (shown once)."""
    now = now or utcnow()
    factor = _factor(session, officer_id, lock=True)
    if factor is None:
        return CodeCheck(False, "Start the set-up again: no authenticator is pending."), []
    if factor.confirmed_at is not None:
        return CodeCheck(False, "An authenticator is already set up for this account."), []
    check = _check(session, factor, code, settings, now)
    if not check.ok:
        return check, []
    factor.confirmed_at = now
    session.add(factor)
    codes = _new_recovery_codes(session, officer_id, now)
    record_event(session=session, action="second_factor.enrolled", actor_id=officer_id, target_type="officer",
                 target_id=officer_id, department_id=_department(session, officer_id))
    return CodeCheck(True, "Authenticator set up.", recovery_codes_left=len(codes)), codes


def verify_code(*, session: Session, officer_id: int, code: str, settings: SecondFactorSettings,
                now: datetime | None = None) -> CodeCheck:
    """A code from the authenticator, or an unused recovery code, for an enrolled officer."""
    now = now or utcnow()
    factor = _factor(session, officer_id, lock=True)
    if factor is None or factor.confirmed_at is None:
        return CodeCheck(False, "No authenticator is set up for this account.")
    return _check(session, factor, code, settings, now, allow_recovery=True)


def _check(session: Session, factor: SecondFactor, code: str, settings: SecondFactorSettings, now: datetime,
           *, allow_recovery: bool = False) -> CodeCheck:
    officer_id, dept = factor.officer_id, _department(session, factor.officer_id)
    if factor.locked_until is not None and factor.locked_until > now:
        record_event(session=session, action="second_factor.refused_locked", target_type="officer",
                     target_id=officer_id, department_id=dept)
        return CodeCheck(False, f"Too many wrong codes. Try again after {format_local(factor.locked_until)}.")
    cleaned = re.sub(r"[\s-]", "", (code or "")[:MAX_CODE_INPUT]).upper()
    reason = "wrong code"
    if _SIX_DIGITS.match(cleaned):  # ASCII only: str.isdigit() also takes other scripts' digits
        secret = open_sealed(settings.key, factor.secret_ciphertext, context=_context(officer_id))
        step = _matching_step(secret, cleaned, now)
        if step is not None and factor.last_step is not None and step <= factor.last_step:
            reason = "code already used"
        elif step is not None:
            factor.last_step, factor.failed_attempts = step, 0
            session.add(factor)
            return CodeCheck(True, "Code accepted.")
    elif allow_recovery and _B32.match(cleaned) and _use_recovery_code(session, officer_id, cleaned, now):
        factor.failed_attempts = 0
        session.add(factor)
        left = _recovery_left(session, officer_id)
        record_event(session=session, action="second_factor.recovery_code_used", actor_id=officer_id,
                     target_type="officer", target_id=officer_id, department_id=dept, left=left)
        return CodeCheck(True, "Recovery code accepted.", used_recovery_code=True, recovery_codes_left=left)
    return _failed(session, factor, settings, now, reason, dept)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp, current = pyotp.TOTP(secret), int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _failed(session: Session, factor: SecondFactor, settings: SecondFactorSettings, now: datetime, reason: str,
            dept: int | None) -> CodeCheck:
    factor.failed_attempts += 1
    record_event(session=session, action="second_factor.failure", target_type="officer",
                 target_id=factor.officer_id, department_id=dept, reason=reason,
                 failures_in_a_row=factor.failed_attempts)
    if factor.failed_attempts >= settings.max_failures:
        factor.locked_until = now + timedelta(minutes=settings.lock_minutes)
        factor.failed_attempts = 0
        record_event(session=session, action="second_factor.locked", target_type="officer",
                     target_id=factor.officer_id, department_id=dept, until=factor.locked_until.isoformat())
    session.add(factor)
    if reason == "code already used":
        return CodeCheck(False, "That code has already been used. Wait for the next code and enter it.")
    return CodeCheck(False, "That code is not right. Check your authenticator app and try again.")


def _new_recovery_codes(session: Session, officer_id: int, now: datetime) -> list[str]:
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.officer_id) == officer_id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_B32_ALPHABET) for _ in range(16))  # 80 random bits: SHA-256 is enough
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
        session.add(RecoveryCode(officer_id=officer_id, code_hash=_hash(raw), created_at=now))
    session.flush()
    return codes


def _use_recovery_code(session: Session, officer_id: int, cleaned: str, now: datetime) -> bool:
    # A conditional UPDATE: of two simultaneous uses of one code, exactly one changes the row.
    result = session.execute(update(RecoveryCode).where(
        col(RecoveryCode.officer_id) == officer_id, col(RecoveryCode.code_hash) == _hash(cleaned),
        col(RecoveryCode.used_at).is_(None)).values(used_at=now))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _recovery_left(session: Session, officer_id: int) -> int:
    return len(session.exec(select(RecoveryCode.id).where(RecoveryCode.officer_id == officer_id,
                                                          col(RecoveryCode.used_at).is_(None))).all())


def recovery_codes_left(*, session: Session, officer_id: int) -> int:
    return _recovery_left(session, officer_id)


def new_recovery_codes(*, session: Session, officer_id: int, code: str, settings: SecondFactorSettings,
                       now: datetime | None = None) -> tuple[CodeCheck, list[str]]:
    """Replace all recovery codes, after a current authenticator code (not a recovery code)."""
    now = now or utcnow()
    factor = _factor(session, officer_id, lock=True)
    if factor is None or factor.confirmed_at is None:
        return CodeCheck(False, "No authenticator is set up for this account."), []
    check = _check(session, factor, code, settings, now)
    if not check.ok:
        return check, []
    codes = _new_recovery_codes(session, officer_id, now)
    record_event(session=session, action="second_factor.recovery_codes_renewed", actor_id=officer_id,
                 target_type="officer", target_id=officer_id, department_id=_department(session, officer_id))
    return CodeCheck(True, "New recovery codes issued.", recovery_codes_left=len(codes)), codes


def _department(session: Session, officer_id: int) -> int | None:
    officer = session.get(Officer, officer_id)
    return officer.department_id if officer else None


def reset_second_factor(*, session: Session, actor_id: int, officer_id: int, via: str = "admin",
                        now: datetime | None = None) -> bool:
    """Remove an officer's authenticator and recovery codes and end their sessions; audited.

    The acting administrator is read again from the database (active, still an administrator),
    whatever the page believed. via="command-line" is the server operator's recovery path
    (`python -m training reset-second-factor`), where actor_id is the officer themself.
    Returns whether there was an authenticator to remove.
    """
    now = now or utcnow()
    target = session.get(Officer, officer_id)
    if via == "admin":
        actor = session.get(Officer, actor_id)
        if actor is None or not actor.active or actor.role != "admin":
            raise NotAllowed("Only an administrator can reset a second factor.")
        if actor_id == officer_id:
            raise NotAllowed("Ask another administrator to reset your own second factor.")
    if target is None:
        raise NotFound("No such officer.")
    factor = _factor(session, officer_id, lock=True)
    had = factor is not None and factor.confirmed_at is not None
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.officer_id) == officer_id))
    session.execute(delete(SecondFactor).where(col(SecondFactor.officer_id) == officer_id))
    end_sessions(session, officer_id, "second_factor_reset", now)
    record_event(session=session, action="second_factor.reset", actor_id=None if via != "admin" else actor_id,
                 target_type="officer", target_id=officer_id, department_id=target.department_id, via=via,
                 had_authenticator=had)
    return had
