"""Every setting a deployment may tune, read once from the environment and checked at start.

Each field below is one environment variable (its `validation_alias`), with its type, default,
bounds and what it is for; README.md documents the same names (tests/test_docs.py checks both
ways). A bad value (not a number, out of range, an unknown time zone, a malformed URL, an
unknown SMTP TLS mode, ...) is an error naming the variable when the app or a command starts,
never a silent fallback to the default. An empty variable counts as unset.

Read settings through `get_settings()`: one validated, frozen object per process. Tests that
change the environment clear its cache (tests/conftest.py does it around monkeypatched env).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from training.emails import email_problem

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'data' / 'fipp.db'}"


class SettingsError(ValueError):
    """One or more settings in the environment are bad; the message names each variable."""


def _http_address(value: str | None, example: str) -> str | None:
    if value is None:
        return None
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
        raise ValueError(f"not an http(s) address such as {example}")
    return value


# SQLAlchemy's own URL syntax (the pattern of sqlalchemy.engine.url._parse_url, copied, and its
# integer port), checked without importing SQLAlchemy: settings are read at every start, and the
# signed-out first page loads no SQLAlchemy at all (db/boot.py). tests/training/test_settings.py
# checks that this accepts exactly what make_url accepts.
_DATABASE_URL = re.compile(r"""
    (?P<name>[\w\+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?
    (?:/(?P<database>[^\?]*))?
    (?:\?(?P<query>.*))?
    """, re.X)


def _is_database_url(url: str) -> bool:
    match = _DATABASE_URL.match(url)
    if match is None:
        return False
    try:
        if match["port"] is not None:  # "host:" with nothing after the colon is refused too
            int(match["port"])
    except ValueError:
        return False
    return True


def _database_url(value: SecretStr | None) -> SecretStr | None:
    if value is None:
        return None
    if not _is_database_url(value.get_secret_value().strip()):
        raise ValueError("not a database URL such as postgresql+psycopg://user@host/db "
                         "or sqlite:///data/fipp.db")
    return value


def _env(name: str, description: str, default: Any = None, **bounds: Any) -> Any:
    return Field(default, validation_alias=name, description=description, **bounds)


class Settings(BaseSettings):
    """The deployment's settings; field names are the variable names without FIPP_, lower case."""

    model_config = SettingsConfigDict(frozen=True, env_ignore_empty=True, populate_by_name=True, extra="forbid",
                                      hide_input_in_errors=True)

    password_max_length: ClassVar[int] = 128  # a rule, not a setting: argon2 input stays bounded

    # Sign-in and sessions. NIST SP 800-63B-4: at least 15 characters when a password is the only factor.
    password_min_length: int = _env("FIPP_PASSWORD_MIN_LENGTH", "shortest password accepted", 15, ge=8, le=64)
    lockout_threshold: int = _env("FIPP_LOCKOUT_THRESHOLD", "failed sign-ins in a row before a lock", 5,
                                  ge=1, le=100)
    lockout_minutes: int = _env("FIPP_LOCKOUT_MINUTES", "how long a lock lasts", 15, ge=1, le=24 * 60)
    idle_timeout_minutes: int = _env("FIPP_IDLE_TIMEOUT_MINUTES", "a session ends after this long unused", 30,
                                     ge=1, le=24 * 60)
    absolute_timeout_hours: int = _env("FIPP_ABSOLUTE_TIMEOUT_HOURS", "a session ends this long after sign-in", 12,
                                       ge=1, le=24 * 30)
    signin_per_address: int = _env("FIPP_SIGNIN_PER_ADDRESS", "sign-in tries per network address per 5 minutes",
                                   30, ge=1, le=100_000)
    signin_per_login: int = _env("FIPP_SIGNIN_PER_LOGIN", "sign-in tries per typed email or badge per 5 minutes",
                                 10, ge=1, le=10_000)
    hash_slots: int | None = _env("FIPP_HASH_SLOTS", "argon2 hashes at once (unset: one per CPU)", ge=1, le=1024)

    # Second factor (training/identity/second_factor.py, secretbox.py).
    totp_key: SecretStr | None = _env("FIPP_TOTP_KEY", "TOTP encryption key: 32 bytes, URL-safe base64")
    totp_key_file: Path | None = _env("FIPP_TOTP_KEY_FILE", "TOTP key file when FIPP_TOTP_KEY is unset "
                                      "(default data/totp.key)")
    totp_max_failures: int = _env("FIPP_TOTP_MAX_FAILURES", "wrong codes in a row before a lock", 5, ge=1, le=100)
    totp_lock_minutes: int = _env("FIPP_TOTP_LOCK_MINUTES", "how long a second-factor lock lasts", 15,
                                  ge=1, le=24 * 60)

    # Evidence keys (training/evidence/keys.py). The text is checked at start; a key file when first used.
    evidence_key: SecretStr | None = _env("FIPP_EVIDENCE_KEY", "the evidence keyring's text (wins over the file)")
    evidence_key_file: Path | None = _env("FIPP_EVIDENCE_KEY_FILE", "the evidence keyring file "
                                          "(default data/evidence.key)")

    # Where things are.
    database_url: SecretStr = _env("DATABASE_URL", "any SQLAlchemy URL", SecretStr(DEFAULT_DATABASE_URL))
    database_owner_url: SecretStr | None = _env("DATABASE_OWNER_URL", "PostgreSQL owner role that migrates")
    content_root: Path = _env("FIPP_CONTENT_ROOT", "folder holding modules/ and question_bank/", ROOT)
    public_url: str | None = _env("FIPP_PUBLIC_URL", "the app's public address, for certificates and emails")
    timezone: str = _env("FIPP_TIMEZONE", "the agency's IANA time zone", "America/New_York")

    # Email (training/mail.py).
    smtp_host: str | None = _env("FIPP_SMTP_HOST", "SMTP server; unset means no email is sent")
    smtp_port: int = _env("FIPP_SMTP_PORT", "SMTP port", 587, ge=1, le=65535)
    smtp_from: str | None = _env("FIPP_SMTP_FROM", "sender address; required with FIPP_SMTP_HOST")
    smtp_user: str | None = _env("FIPP_SMTP_USER", "SMTP login")
    smtp_password: SecretStr | None = _env("FIPP_SMTP_PASSWORD", "SMTP password")
    smtp_tls: Literal["starttls", "ssl", "none"] = _env("FIPP_SMTP_TLS", "starttls, ssl or none", "starttls")

    # xAPI (training/xapi.py).
    xapi_base: str = _env("FIPP_XAPI_BASE", "base IRI of activity and account ids", "https://fipp-academy.invalid")
    xapi_actor: Literal["account", "email"] = _env("FIPP_XAPI_ACTOR", "actor as account or email", "account")
    lrs_url: str | None = _env("FIPP_LRS_URL", "the Learning Record Store deliver-xapi sends to")
    lrs_user: str | None = _env("FIPP_LRS_USER", "LRS login (HTTP Basic)")
    lrs_password: SecretStr | None = _env("FIPP_LRS_PASSWORD", "LRS password (HTTP Basic)")

    @field_validator("smtp_host", "smtp_from", "smtp_user", "lrs_user", "timezone", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("smtp_tls", "xapi_actor", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("public_url", "lrs_url")
    @classmethod
    def _optional_address(cls, value: str | None) -> str | None:
        return _http_address(value, "https://academy.example.org")

    @field_validator("xapi_base")
    @classmethod
    def _address(cls, value: str) -> str:
        return _http_address(value, "https://academy.example.org") or value

    @field_validator("database_url", "database_owner_url")
    @classmethod
    def _url(cls, value: SecretStr | None) -> SecretStr | None:
        return _database_url(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str:
        try:
            ZoneInfo(value or "")
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not a time zone name such as America/New_York") from None
        return value or ""

    @field_validator("totp_key")
    @classmethod
    def _key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            size = len(base64.urlsafe_b64decode(value.get_secret_value().strip().encode()))
        except (binascii.Error, ValueError):
            raise ValueError("not URL-safe base64") from None
        if size != 32:
            raise ValueError(f"not 32 bytes (it holds {size})")
        return value

    @field_validator("evidence_key")
    @classmethod
    def _keyring(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        from training.evidence.keys import KeyUnavailable, parse_keyring  # it imports this module

        try:
            parse_keyring(value.get_secret_value(), "")
        except KeyUnavailable as exc:  # names a line, never the key
            raise ValueError(str(exc).strip(" :")) from None
        return value

    @field_validator("content_root")
    @classmethod
    def _folder(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError("not a folder")
        return value

    @model_validator(mode="after")
    def _sender_with_host(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError("FIPP_SMTP_FROM must be the sender's email address when FIPP_SMTP_HOST is set")
        problem = email_problem(self.smtp_from, display_name=True) if self.smtp_from else None
        if problem is not None:
            raise ValueError(f"FIPP_SMTP_FROM is not an email address: {problem}")
        return self

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Variable name -> description, for every setting (the docs test reads this)."""
        return {str(f.validation_alias): f.description or "" for f in cls.model_fields.values()}


def _secret(name: str) -> bool:
    field = next((f for f in Settings.model_fields.values() if f.validation_alias == name), None)
    return field is None or "SecretStr" in str(field.annotation)


def _describe(exc: ValidationError) -> str:
    """One line naming every bad variable, with its value unless it may hold a secret."""
    problems = []
    for err in exc.errors():
        text = err["msg"].removeprefix("Value error, ")
        name = str(err["loc"][0]) if err["loc"] else ""
        text = text[:1].lower() + text[1:] if name else text  # "NAME='x': input should be ..."
        raw = os.environ.get(name) if name else None
        shown = f"{name}={raw.strip()!r}" if raw is not None and not _secret(name) else name
        problems.append(f"{shown}: {text}" if name else text)
    return "Bad setting: " + "; ".join(problems) + "."


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, validated once per process; raises SettingsError naming
    each bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_describe(exc)) from None
