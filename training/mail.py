"""Outgoing email through the agency's SMTP server, configured from the environment.

FIPP_SMTP_HOST turns email on; without it nothing is sent and callers say what they would
have sent. FIPP_SMTP_PORT (587), FIPP_SMTP_USER / FIPP_SMTP_PASSWORD (optional),
FIPP_SMTP_FROM (the sender), FIPP_SMTP_TLS: "starttls" (default), "ssl" or "none" (only for a
relay on the same host or a test server).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

MAX_BODY = 100_000
TLS_MODES = ("starttls", "ssl", "none")


def app_url() -> str:
    """The address officers use to reach the app (FIPP_PUBLIC_URL), for links in emails; may be empty."""
    return (os.environ.get("FIPP_PUBLIC_URL") or "").strip()


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    tls: str = "starttls"
    timeout_s: float = 20.0


def smtp_settings() -> SmtpSettings | None:
    """The SMTP settings, or None when FIPP_SMTP_HOST is not set. A bad value is an error."""
    host = (os.environ.get("FIPP_SMTP_HOST") or "").strip()
    if not host:
        return None
    port_raw = (os.environ.get("FIPP_SMTP_PORT") or "587").strip()
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise ValueError(f"FIPP_SMTP_PORT='{port_raw}' is not a port number.")
    tls = (os.environ.get("FIPP_SMTP_TLS") or "starttls").strip().lower()
    if tls not in TLS_MODES:
        raise ValueError(f"FIPP_SMTP_TLS='{tls}' must be one of {', '.join(TLS_MODES)}.")
    sender = (os.environ.get("FIPP_SMTP_FROM") or "").strip()
    if "@" not in sender:
        raise ValueError("FIPP_SMTP_FROM must be the sender's email address when FIPP_SMTP_HOST is set.")
    return SmtpSettings(host=host, port=int(port_raw), sender=sender, tls=tls,
                        user=os.environ.get("FIPP_SMTP_USER") or None,
                        password=os.environ.get("FIPP_SMTP_PASSWORD") or None)


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
