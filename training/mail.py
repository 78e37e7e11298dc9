"""Outgoing email through the agency's SMTP server, configured from the environment.

FIPP_SMTP_HOST turns email on; without it nothing is sent and callers say what they would
have sent. FIPP_SMTP_PORT (587), FIPP_SMTP_USER / FIPP_SMTP_PASSWORD (optional),
FIPP_SMTP_FROM (the sender), FIPP_SMTP_TLS: "starttls" (default), "ssl" or "none" (only for a
relay on the same host or a test server).
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from training.settings import get_settings

MAX_BODY = 100_000


def app_url() -> str:
    """The address officers use to reach the app (FIPP_PUBLIC_URL), for links in emails; may be empty."""
    return get_settings().public_url or ""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: str = "starttls"
    timeout_s: float = 20.0


def smtp_settings() -> SmtpSettings | None:
    """The SMTP settings, or None when FIPP_SMTP_HOST is not set (training/settings.py checks them)."""
    cfg = get_settings()
    if not cfg.smtp_host or not cfg.smtp_from:
        return None
    return SmtpSettings(host=cfg.smtp_host, port=cfg.smtp_port, sender=cfg.smtp_from, tls=cfg.smtp_tls,
                        user=cfg.smtp_user,
                        password=cfg.smtp_password.get_secret_value() if cfg.smtp_password else None)


def build_message(*, sender: str, to: str, subject: str, body: str) -> EmailMessage:
    if "\n" in subject or "\r" in subject or "\n" in to or "\r" in to:
        raise ValueError("Header injection refused: a line break in the subject or recipient.")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject[:200]
    msg.set_content(body[:MAX_BODY])
    return msg


def send_mail(*, settings: SmtpSettings, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises on any SMTP failure so the caller can retry later."""
    msg = build_message(sender=settings.sender, to=to, subject=subject, body=body)
    if settings.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout_s,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
    with smtp:
        if settings.tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.user and settings.password:
            smtp.login(settings.user, settings.password)
        smtp.send_message(msg)
