"""Password rules and hashing (argon2id).

The rules follow NIST SP 800-63B-4 for password-only sign-in: a minimum length (15 by
default), a generous maximum, no composition rules (no "one digit, one symbol"), and a
check against commonly used and easily guessed passwords.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from training.errors import WeakPassword
from training.settings import Settings, get_settings

COMMON_FILE = Path(__file__).resolve().parents[1] / "data" / "common_passwords.txt"
# OWASP's recommended minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. The library's
# default (64 MiB, 3 passes, 4 lanes) made 100 parallel sign-ins take the server past 1 GB (finding 4);
# with this setting and at most HASH_SLOTS hashes at once (training/identity/throttle.py) memory
# stays bounded. Older hashes are upgraded at the next successful sign-in (needs_rehash).
ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM = 2, 19 * 1024, 1
_HASHER = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM)
_SEQUENCES = ("0123456789012345678901234567890", "abcdefghijklmnopqrstuvwxyzabcdefghij",
              "qwertyuiopasdfghjklzxcvbnmqwertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_repeated(text: str) -> bool:
    return any(len(text) % n == 0 and text == text[:n] * (len(text) // n) for n in range(1, len(text) // 2 + 1))


def _is_sequence(text: str) -> bool:
    return any(text in seq or text in seq[::-1] for seq in _SEQUENCES)


def password_problem(password: str, settings: Settings, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < settings.password_min_length:
        return f"Use at least {settings.password_min_length} characters; a short phrase of four or more words works well."
    if len(password) > settings.password_max_length:
        return f"Use at most {settings.password_max_length} characters."
    low = re.sub(r"\s+", "", password.lower())
    core = re.sub(r"[\d\W_]+$", "", low)
    common = common_passwords()
    guessable = (low in common or core in common or _is_repeated(low) or _is_sequence(low)
                 or (len(core) >= 2 and (_is_repeated(core) or _is_sequence(core))))
    if guessable:
        return "That password is too common or too easy to guess; choose another."
    for item in personal:
        item = item.strip().lower()
        if item and len(item) >= 3 and (low == item or core == item or low.startswith(item) and len(low) - len(item) < 6):
            return "Do not build the password from your name, email or badge number."
    return None


def check_password(password: str, settings: Settings, *, personal: tuple[str, ...] = ()) -> None:
    problem = password_problem(password, settings, personal=personal)
    if problem:
        raise WeakPassword(problem)


# At most this many argon2 computations at once in this process (FIPP_HASH_SLOTS, default: one per
# CPU): a burst of sign-ins waits its turn instead of taking 19 MiB each all at once (finding 4).
# Made at first use, not at import, so that a bad setting is reported by the start-up check.
HASH_SLOTS: threading.BoundedSemaphore | None = None
_SLOTS_LOCK = threading.Lock()


def _slots() -> threading.BoundedSemaphore:
    global HASH_SLOTS
    with _SLOTS_LOCK:
        if HASH_SLOTS is None:
            HASH_SLOTS = threading.BoundedSemaphore(get_settings().hash_slots or max(1, os.cpu_count() or 1))
        return HASH_SLOTS


def hash_password(password: str) -> str:
    with _slots():
        return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        with _slots():
            return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Verified against when the user is unknown, so both paths take the same time. Made at the
    first sign-in, not at import: an argon2 hash at import delayed every process's first page."""
    return _HASHER.hash("fipp-academy-timing-equaliser-not-a-password")
