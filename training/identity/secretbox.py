"""Encryption for secrets the app must read back (TOTP seeds), with a key kept outside the database.

Why: a TOTP seed, unlike a password, cannot be stored as a one-way hash, because the server
must compute the same codes as the officer's phone. Encrypted with AES-256-GCM under a key
that is not in the database, a stolen database file, dump or backup alone does not let
anyone generate codes. The officer id is bound in as associated data, so a database writer
cannot copy an encrypted seed from one account onto another either.

Where the key comes from, first match wins:
- `FIPP_TOTP_KEY`: 32 random bytes, URL-safe base64 (`python -c "import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"` prints one);
- `FIPP_TOTP_KEY_FILE`, default `data/totp.key`: created on first use with mode 0600.
Losing the key means every officer re-enrols (an administrator resets their second factor).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from training.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEY_FILE = ROOT / "data" / "totp.key"
_PREFIX = "v1."


class KeyUnavailable(RuntimeError):
    """The encryption key is missing, malformed or does not open this secret."""


def new_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except ValueError as exc:
        raise KeyUnavailable(f"{where} is not URL-safe base64.") from exc
    if len(key) != 32:
        raise KeyUnavailable(f"{where} must hold 32 bytes (it holds {len(key)}).")
    return key


def load_key() -> bytes:
    """The TOTP encryption key, from the environment or the key file (created if absent)."""
    cfg = get_settings()
    if cfg.totp_key:
        return _decode(cfg.totp_key.get_secret_value(), "FIPP_TOTP_KEY")
    path = cfg.totp_key_file or DEFAULT_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(new_key_text() + "\n")
    return _decode(path.read_text(), str(path))


def seal(key: bytes, plaintext: str, *, context: str) -> str:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(key: bytes, token: str, *, context: str) -> str:
    if not token.startswith(_PREFIX):
        raise KeyUnavailable("Unknown secret format.")
    blob = base64.urlsafe_b64decode(token[len(_PREFIX):].encode())
    try:
        return AESGCM(key).decrypt(blob[:12], blob[12:], context.encode()).decode()
    except InvalidTag as exc:
        raise KeyUnavailable("The stored secret does not open with this key (wrong key, or moved rows).") from exc
