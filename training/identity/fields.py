"""What people type about an officer: required one-line text, an email (training/emails.py), a badge
number, and no cell a spreadsheet would run as a formula (exports and roster files are opened in spreadsheets)."""

from __future__ import annotations

import unicodedata

from training.emails import check_email
from training.errors import InvalidInput

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def visible_start(value: str) -> str:
    """value without any leading Unicode space or invisible format character (NBSP, U+2003, U+200B...)."""
    i = 0
    while i < len(value) and (value[i].isspace() or unicodedata.category(value[i]) in ("Cf", "Zs", "Cc")):
        i += 1
    return value[i:]


def starts_like_formula(value: str) -> bool:
    """Would a spreadsheet read this cell as a formula? Checked after stripping every Unicode space."""
    return value.lstrip(" ").startswith(FORMULA_START) or visible_start(value).startswith(FORMULA_START)


def check_no_formula(value: str, field: str) -> str:
    if starts_like_formula(value):
        raise InvalidInput(f"{field} cannot start with = + - @ (a spreadsheet would run it as a formula).")
    return value


def check_badge(badge: str) -> str:
    """Badge numbers never contain "@", so a badge can never be mistaken for an email at sign-in."""
    if "@" in badge:
        raise InvalidInput("A badge or employee number cannot contain '@'.")
    return badge


def clean_text(value: str, field: str, max_len: int) -> str:
    """A required one-line text field: trimmed, bounded, no control characters."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{field} is required.")
    if len(value) > max_len:
        raise InvalidInput(f"{field} is longer than {max_len} characters.")
    if any(ord(c) < 32 for c in value):
        raise InvalidInput(f"{field} contains control characters.")
    return value


def check_officer_fields(name: str, email: str, badge_number: str) -> tuple[str, str, str]:
    """An officer's name, email (lower-cased) and badge number, cleaned; InvalidInput names the bad one."""
    name = check_no_formula(clean_text(name, "Name", 200), "Name")
    email = clean_text(email, "Email", 254).lower()
    badge_number = check_no_formula(check_badge(clean_text(badge_number, "Badge or employee number", 60)),
                                    "Badge or employee number")
    return name, check_email(email), badge_number


def personal_words(name: str, email: str, badge: str) -> tuple[str, ...]:
    """What a password may not be built from (training/identity/passwords.py)."""
    return (name, name.replace(" ", ""), email, email.split("@")[0], badge)
