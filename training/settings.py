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
    signin_per_address: int = 30  # sign-in tries per network address per 5 minutes
    signin_per_login: int = 10  # sign-in tries per typed email or badge number per 5 minutes


def load_settings() -> Settings:
    return Settings(
        password_min_length=max(8, _int("FIPP_PASSWORD_MIN_LENGTH", 15)),
        lockout_threshold=max(1, _int("FIPP_LOCKOUT_THRESHOLD", 5)),
        lockout_minutes=max(1, _int("FIPP_LOCKOUT_MINUTES", 15)),
        idle_timeout_minutes=max(1, _int("FIPP_IDLE_TIMEOUT_MINUTES", 30)),
        absolute_timeout_hours=max(1, _int("FIPP_ABSOLUTE_TIMEOUT_HOURS", 12)),
        signin_per_address=max(1, _int("FIPP_SIGNIN_PER_ADDRESS", 30)),
        signin_per_login=max(1, _int("FIPP_SIGNIN_PER_LOGIN", 10)),
    )
