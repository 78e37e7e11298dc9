"""Single sign-on: an identity from the agency's OpenID Connect provider, mapped to an officer.

Rules a supervisor may ask about:
- An identity maps to the active officer with the same email address, and only when the
  identity provider says that address is verified (`email_verified` is true; for Microsoft
  Entra ID, its optional claim `xms_edov`).
- An identity with no verified email, or whose email belongs to no active officer, is refused
  with a message saying why; the refusal is audited.
- One sign-in at the provider opens one app session, and only while it is fresh (its ID token
  was issued in the last 10 minutes). The app session then has the same limits as a password
  one: signing out, 30 idle minutes or 12 hours need a new sign-in at the provider.
- The app does not ask SSO officers for its own second factor: the agency's identity
  provider is where multi-factor authentication is enforced (README, "Single sign-on").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.engine import write_session
from db.models import Officer, OidcSignIn, utcnow
from training.audit import record_event

FRESH_FOR = timedelta(minutes=10)
CLOCK_SKEW = timedelta(minutes=2)


@dataclass(frozen=True)
class OidcOutcome:
    """officer_id is set when a session should be opened; message explains a refusal.
    acted is False when this identity was already used (or is stale) and nothing was done."""

    officer_id: int | None
    message: str = ""
    acted: bool = True


def _text(claims: Mapping[str, object], name: str, limit: int = 255) -> str:
    value = claims.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _verified(claims: Mapping[str, object]) -> bool:
    """email_verified (OIDC Core); Microsoft Entra ID sends no email_verified, but its optional claim
    xms_edov ("email domain owner verified") says the same about the address."""
    for name in ("email_verified", "xms_edov"):
        flag = claims.get(name)
        if flag is True or (isinstance(flag, str) and flag.lower() == "true"):  # some providers send a string
            return True
    return False


def map_identity(*, session: Session, claims: Mapping[str, object], provider: str = "default",
                 now: datetime | None = None) -> OidcOutcome:
    """Map the provider's claims (st.user) to an active officer, once per ID token."""
    now = now or utcnow()
    issuer, subject, iat = _text(claims, "iss"), _text(claims, "sub"), claims.get("iat")
    if (not issuer or not subject or not isinstance(iat, int | float) or isinstance(iat, bool)
            or not 0 < iat < 2**40):  # a time in range, so the conversion below cannot overflow
        return OidcOutcome(None, "The identity provider's answer lacked an issuer, subject or time.", acted=False)
    issued = datetime.fromtimestamp(int(iat), tz=now.tzinfo)
    if not (now - FRESH_FOR <= issued <= now + CLOCK_SKEW):
        return OidcOutcome(None, acted=False)  # an old identity cookie: the officer signs in at the provider again
    seen = session.exec(select(OidcSignIn.id).where(OidcSignIn.issuer == issuer, OidcSignIn.subject == subject,
                                                    OidcSignIn.issued_at == int(iat))).first()
    if seen is not None:
        return OidcOutcome(None, acted=False)
    email = _text(claims, "email", 254).lower()
    officer = None
    if email and _verified(claims):
        officer = session.exec(select(Officer).where(func.lower(Officer.email) == email)).first()
    if officer is None or not officer.active:
        reason = ("email not verified by the provider" if email and not _verified(claims) else
                  "no email" if not email else "no officer with this email" if officer is None else
                  "officer deactivated")
        session.add(OidcSignIn(issuer=issuer, subject=subject, issued_at=int(iat), outcome="refused", at=now))
        record_event(session=session, action="signin.oidc_refused", target_type="login", target_id=email[:80] or None,
                     provider=provider[:40], issuer=issuer, subject=subject, reason=reason)
        if reason == "email not verified by the provider":
            return OidcOutcome(None, "Your agency's sign-in did not confirm that your email address is verified, "
                                     "so it cannot be matched to a FIPP Academy account. Ask your agency's IT team.")
        return OidcOutcome(None, "Your agency's sign-in worked, but it does not match an active FIPP Academy "
                                 "account. Ask your training administrator to add you with this email address: "
                                 f"{email or '(none sent)'}")
    session.add(OidcSignIn(issuer=issuer, subject=subject, issued_at=int(iat), officer_id=officer.id,
                           outcome="session", at=now))
    record_event(session=session, action="signin.oidc", actor_id=officer.id, target_type="officer",
                 target_id=officer.id, department_id=officer.department_id, provider=provider[:40], issuer=issuer,
                 subject=subject)
    return OidcOutcome(officer.id)


def map_identity_once(*, engine: Engine, claims: Mapping[str, object], provider: str = "default") -> OidcOutcome | None:
    """map_identity in a transaction of its own; None when another tab used the same sign-in at the same moment."""
    try:
        with write_session(engine) as s:
            return map_identity(session=s, claims=claims, provider=provider)
    except IntegrityError:  # the one-use key on the ID token: the other tab's sign-in stands
        return None
