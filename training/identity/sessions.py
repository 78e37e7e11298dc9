"""Browser sessions: started by a one-time hand-off, carried in an HttpOnly cookie, checked on the server.

Rules a supervisor may ask about:
- Signing in creates a session whose cookie token (256 random bits) only the browser holds;
  the database keeps its SHA-256. The script that checked the password never sees that token:
  it mints a one-time hand-off (valid 60 seconds, bound to the browser that signed in) which
  the /session/start route exchanges for the cookie.
- A session ends after 30 idle minutes or 12 hours in all, whichever comes first; both are
  enforced on the server at every page run and before every write.
- Signing out, deactivation, a role or department change and a password change end every
  session of that officer at once, on every device.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from db.models import Officer, UserSession, utcnow
from training.audit import record_event
from training.identity.principal import Principal, principal_of
from training.settings import Settings

HANDOFF_TTL = timedelta(seconds=60)
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute
TOKEN_BYTES = 32  # 256 bits: the cookie token, the hand-off token and the browser key


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def open_session(*, session: Session, officer_id: int, now: datetime | None = None) -> tuple[str, UserSession]:
    """A session whose cookie token is returned directly (the hand-off route, scripts and tests)."""
    now = now or utcnow()
    token = new_token()
    us = UserSession(token_hash=token_hash(token), officer_id=officer_id, created_at=now, last_seen_at=now)
    session.add(us)
    session.flush()
    return token, us


def start_handoff(*, session: Session, officer_id: int, browser_key: str, now: datetime | None = None) -> str:
    """After every sign-in check has passed: a pending session and its one-time hand-off token.

    The pending session's token hash is that of a random value nobody is given, so it cannot be
    used until redeem_handoff sets a real one."""
    now = now or utcnow()
    handoff = new_token()
    session.add(UserSession(token_hash=token_hash(new_token()), officer_id=officer_id, created_at=now,
                            last_seen_at=now, handoff_hash=token_hash(handoff),
                            handoff_expires_at=now + HANDOFF_TTL, browser_hash=token_hash(browser_key)))
    session.flush()
    return handoff


def redeem_handoff(*, session: Session, handoff: str, browser_key: str, now: datetime | None = None) -> str | None:
    """Exchange a hand-off for the cookie token: once, within 60 s, from the browser that signed in."""
    now = now or utcnow()
    if not handoff or not browser_key:
        return None
    us = session.exec(select(UserSession).where(UserSession.handoff_hash == token_hash(handoff))).first()
    if us is None or us.ended_at is not None:
        return None
    us.handoff_hash = None  # single use, whatever happens next
    session.add(us)
    expired = us.handoff_expires_at is None or us.handoff_expires_at < now
    if expired or not secrets.compare_digest(us.browser_hash or "", token_hash(browser_key)):
        us.ended_at, us.end_reason = now, "handoff_refused"
        return None
    officer = session.get(Officer, us.officer_id)
    if officer is None or not officer.active:
        us.ended_at, us.end_reason = now, "deactivated"
        return None
    token = new_token()
    us.token_hash, us.handoff_expires_at = token_hash(token), None
    us.created_at = us.last_seen_at = now
    session.flush()
    return token


def end_sessions(session: Session, officer_id: int, reason: str, now: datetime | None = None) -> int:
    """End every open session of one officer (also pending hand-offs). Returns how many."""
    now = now or utcnow()
    count = 0
    for us in session.exec(select(UserSession).where(UserSession.officer_id == officer_id,
                                                     UserSession.ended_at == None)):  # noqa: E711
        us.ended_at, us.end_reason, us.handoff_hash = now, reason, None
        session.add(us)
        count += 1
    return count


@dataclass(frozen=True)
class SessionCheck:
    principal: Principal | None
    message: str = ""
    needs_write: bool = False  # only from write=False: something must be recorded


def check_session(*, session: Session, token: str | None, settings: Settings,
                  now: datetime | None = None, write: bool = True) -> SessionCheck:
    """The principal behind a session token, or why there is none.

    Returns rather than raises, so that ending an expired session is committed and audited.
    last_seen_at is refreshed at most once a minute, so most page runs write nothing; the idle
    timeout is therefore exact to within a minute. With write=False nothing is changed and
    needs_write says whether a call with write=True is due (the router reads first and takes
    the write lock only then).
    """
    now = now or utcnow()
    if not token:
        return SessionCheck(None, "Please sign in.")
    us = session.exec(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
    if us is None or us.ended_at is not None or us.handoff_hash is not None:
        return SessionCheck(None, "Your session has ended. Please sign in again.")
    officer = session.get(Officer, us.officer_id)
    reason = None
    if officer is None or not officer.active:
        reason = "deactivated"
    elif now - us.last_seen_at > timedelta(minutes=settings.idle_timeout_minutes):
        reason = "idle"
    elif now - us.created_at > timedelta(hours=settings.absolute_timeout_hours):
        reason = "absolute"
    touch_due = now - us.last_seen_at >= TOUCH_EVERY
    if not write and (reason is not None or officer is None or touch_due):
        return SessionCheck(principal_of(officer, us.id) if reason is None and officer else None, needs_write=True)
    if reason is not None or officer is None:
        us.ended_at, us.end_reason = now, reason
        session.add(us)
        record_event(session=session, action="session.expired", target_type="officer", target_id=us.officer_id,
                     reason=reason)
        return SessionCheck(None, {
            "idle": f"You were signed out after {settings.idle_timeout_minutes} minutes without activity.",
            "absolute": f"Sessions last at most {settings.absolute_timeout_hours} hours. Please sign in again.",
        }.get(reason or "", "Your access has ended. Please contact your administrator."))
    if touch_due:
        us.last_seen_at = now
        session.add(us)
    return SessionCheck(principal_of(officer, us.id))


def sign_out(*, session: Session, token: str | None) -> None:
    """Sign out: every session of this officer ends, on every device."""
    if not token:
        return
    us = session.exec(select(UserSession).where(UserSession.token_hash == token_hash(token))).first()
    if us is not None and us.ended_at is None:
        end_sessions(session, us.officer_id, "signed_out")
        record_event(session=session, action="signout", actor_id=us.officer_id, target_type="officer",
                     target_id=us.officer_id)
