"""Rules a deployment may tune, read from the environment with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw and raw.strip().isdigit() else default


@dataclass(frozen=True)
class Settings:
    # NIST SP 800-63B-4: at least 15 characters when a password is the only factor.
    password_min_length: int = 15
    password_max_length: int = 128
    lockout_threshold: int = 5  # failed sign-ins in a row
    lockout_minutes: int = 15
    idle_timeout_minutes: int = 30
    absolute_timeout_hours: int = 12


def load_settings() -> Settings:
    return Settings(
        password_min_length=max(8, _int("FIPP_PASSWORD_MIN_LENGTH", 15)),
        lockout_threshold=max(1, _int("FIPP_LOCKOUT_THRESHOLD", 5)),
        lockout_minutes=max(1, _int("FIPP_LOCKOUT_MINUTES", 15)),
        idle_timeout_minutes=max(1, _int("FIPP_IDLE_TIMEOUT_MINUTES", 30)),
        absolute_timeout_hours=max(1, _int("FIPP_ABSOLUTE_TIMEOUT_HOURS", 12)),
    )
