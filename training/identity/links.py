"""One-time set-password links: an imported officer's first password, and recovery.

Rules a supervisor may ask about:
- A link works once and for 24 hours; the database keeps only the SHA-256 of its token.
  Issuing a new link for an officer cancels their earlier unused ones.
- Setting a password through a link ends every session of that officer and lifts a lock.
- "Forgot password" answers the same whether or not the account exists, and sends the
  email in the background so the answer takes the same time either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Officer, OneTimeLink, utcnow
from training.audit import record_event
from training.errors import InvalidInput
from training.identity.fields import personal_words
from training.identity.passwords import check_password, hash_password
from training.identity.sessions import end_sessions, new_token, token_hash
from training.mail import SmtpSettings, app_url, send_mail
from training.settings import Settings

LINK_TTL = timedelta(hours=24)
LINK_PATH = "/set-password"
PURPOSES = ("first_password", "reset")
INVALID = "This link is not valid: it was used already, has expired, or was replaced by a newer one."


def link_url(token: str) -> str:
    """The link to hand over: absolute when FIPP_PUBLIC_URL is set, otherwise a path on the app's address."""
    return f"{app_url().rstrip('/')}{LINK_PATH}?{urlencode({'token': token})}"


def issue_link(*, session: Session, officer_id: int, purpose: str, actor_id: int | None,
               now: datetime | None = None) -> str:
    """A new single-use link for this officer (earlier unused ones stop working). Audited."""
    assert purpose in PURPOSES
    now = now or utcnow()
    for old in session.exec(select(OneTimeLink).where(OneTimeLink.officer_id == officer_id,
                                                      OneTimeLink.used_at == None)):  # noqa: E711
        old.used_at = now  # cancelled
        session.add(old)
    token = new_token()
    session.add(OneTimeLink(token_hash=token_hash(token), officer_id=officer_id, purpose=purpose,
                            created_by=actor_id, created_at=now, expires_at=now + LINK_TTL))
    officer = session.get(Officer, officer_id)
    record_event(session=session, action="account.link_issued", actor_id=actor_id, target_type="officer",
                 target_id=officer_id, department_id=officer.department_id if officer else None, purpose=purpose)
    session.flush()
    return token


def _valid(session: Session, token: str, now: datetime) -> OneTimeLink | None:
    if not token or len(token) > 100:
        return None
    link = session.exec(select(OneTimeLink).where(OneTimeLink.token_hash == token_hash(token))).first()
    if link is None or link.used_at is not None or link.expires_at < now:
        return None
    return link


@dataclass(frozen=True)
class LinkTarget:
    officer_id: int
    name: str
    purpose: str


def link_target(*, session: Session, token: str, now: datetime | None = None) -> LinkTarget | None:
    """Whose password a link sets, or None when it cannot be used."""
    link = _valid(session, token, now or utcnow())
    officer = session.get(Officer, link.officer_id) if link else None
    if link is None or officer is None or not officer.active:
        return None
    return LinkTarget(link.officer_id, officer.name, link.purpose)


def use_link(*, session: Session, token: str, password: str, settings: Settings, now: datetime | None = None) -> None:
    """Set the password a link is for; the link is spent and every session of the officer ends."""
    now = now or utcnow()
    link = _valid(session, token, now)
    officer = session.get(Officer, link.officer_id, with_for_update=True) if link else None
    if link is None or officer is None or not officer.active:
        raise InvalidInput(INVALID)
    check_password(password, settings, personal=personal_words(officer.name, officer.email, officer.badge_number))
    link.used_at = now
    officer.password_hash, officer.password_changed_at = hash_password(password), now
    officer.failed_sign_ins, officer.locked_until = 0, None
    session.add_all([link, officer])
    end_sessions(session, link.officer_id, "password_changed", now)
    record_event(session=session, action="account.password_set_by_link", actor_id=officer.id,
                 target_type="officer", target_id=officer.id, department_id=officer.department_id,
                 purpose=link.purpose)


def request_reset(*, session: Session, email: str, now: datetime | None = None) -> tuple[str, str] | None:
    """Forgot password: (address, link token) for an active officer with that email, else None.
    Both outcomes are audited alike; the caller answers the same either way."""
    email = (email or "").strip().lower()[:254]
    officer = session.exec(select(Officer).where(func.lower(Officer.email) == email)).first() if "@" in email else None
    if officer is None or not officer.active or officer.id is None:
        record_event(session=session, action="account.reset_requested", target_type="login", target_id=email[:80],
                     known=False)
        return None
    record_event(session=session, action="account.reset_requested", target_type="officer", target_id=officer.id,
                 department_id=officer.department_id, known=True)
    return officer.email, issue_link(session=session, officer_id=officer.id, purpose="reset", actor_id=None, now=now)


def email_link(*, smtp: SmtpSettings, to: str, token: str, purpose: str) -> None:
    what = "set your FIPP Academy password" if purpose == "first_password" else "set a new FIPP Academy password"
    send_mail(settings=smtp, to=to, subject="Your FIPP Academy password link",
              body=f"Use this link within 24 hours to {what}. It works once.\n\n{link_url(token)}\n\n"
                   "If you did not ask for this, ignore this email; your password stays as it is.\n")
