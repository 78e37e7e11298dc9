"""The evidence key: an Ed25519 key kept outside the database, with key ids for rotation.

Rules an auditor may ask about:
- Every submitted attempt (with its answers), completion and audit event carries a seal: an
  Ed25519 signature made with a key the database does not hold. Someone who can write to the
  database but not read the key file cannot make a seal that verifies.
- The keyring comes from FIPP_EVIDENCE_KEY (its text) or else the file FIPP_EVIDENCE_KEY_FILE
  (default data/evidence.key), created with mode 0600 at first start. One key per line:
  `ed25519-private <base64 seed>` or `ed25519-public <base64 key>`; the last private line signs,
  every line verifies. Each seal stores its key id, so old seals still verify after a rotation.
- Anyone with the public lines (`python -m training evidence-key public`) can check seals,
  checkpoints and packs; only the private key can make them.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from training.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEY_FILE = ROOT / "data" / "evidence.key"
KEY_ENV = "FIPP_EVIDENCE_KEY"
KEY_FILE_ENV = "FIPP_EVIDENCE_KEY_FILE"
MAX_KEY_TEXT = 64_000


class KeyUnavailable(Exception):
    """No evidence key could be read (or none that can sign)."""


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _raw_public(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(pub: Ed25519PublicKey) -> str:
    return "ed25519:" + hashlib.sha256(_raw_public(pub)).hexdigest()[:16]


@dataclass(frozen=True)
class EvidenceKey:
    key_id: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    def public_line(self) -> str:
        return f"ed25519-public {_b64(_raw_public(self.public))}"


@dataclass(frozen=True)
class Keyring:
    keys: tuple[EvidenceKey, ...]
    source: str = ""

    @property
    def signer(self) -> EvidenceKey:
        for key in reversed(self.keys):
            if key.private is not None:
                return key
        raise KeyUnavailable(f"the evidence keyring ({self.source}) holds no private key, so it cannot sign")

    def sign(self, message: bytes) -> tuple[str, str]:
        """(key id, base64 signature) for message, made with the newest private key."""
        key = self.signer
        assert key.private is not None
        return key.key_id, _b64(key.private.sign(message))

    def verify(self, key_id: str | None, message: bytes, signature: str | None) -> bool:
        key = next((k for k in self.keys if k.key_id == key_id), None)
        if key is None or not signature:
            return False
        try:
            key.public.verify(base64.b64decode(signature, validate=True), message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def public_text(self) -> str:
        return "".join(f"{k.public_line()}\n" for k in self.keys)


def parse_keyring(text: str, source: str = "") -> Keyring:
    keys: list[EvidenceKey] = []
    for n, line in enumerate(text[:MAX_KEY_TEXT].replace(",", "\n").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, value = line.partition(" ")
        try:
            raw = base64.b64decode(value.strip(), validate=True)
            if kind == "ed25519-private":
                private = Ed25519PrivateKey.from_private_bytes(raw)
                keys.append(EvidenceKey(key_id_of(private.public_key()), private.public_key(), private))
            elif kind == "ed25519-public":
                public = Ed25519PublicKey.from_public_bytes(raw)
                keys.append(EvidenceKey(key_id_of(public), public))
            else:
                raise ValueError(kind)
        except ValueError:
            raise KeyUnavailable(f"{source} line {n}: not an ed25519-private or ed25519-public key") from None
    if not keys:
        raise KeyUnavailable(f"{source}: no keys in it")
    return Keyring(tuple(keys), source)


def key_file() -> Path:
    return get_settings().evidence_key_file or DEFAULT_KEY_FILE


def new_private_line() -> str:
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return f"ed25519-private {_b64(seed)}"


_CACHE: dict[str, Keyring] = {}


def load_keyring(*, create: bool = False) -> Keyring:
    """The keyring from FIPP_EVIDENCE_KEY or the key file; with create, make the file if there is none."""
    secret = get_settings().evidence_key
    text = secret.get_secret_value() if secret else None
    source = f"${KEY_ENV}"
    if not text:
        path = key_file()
        source = str(path)
        if create and not path.exists():
            write_new_key_file(path)
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyUnavailable(f"no evidence key: cannot read {path} ({exc.__class__.__name__}); set "
                                 f"{KEY_ENV} or {KEY_FILE_ENV}") from None
    cached = _CACHE.get(text)
    if cached is None:
        cached = _CACHE[text] = parse_keyring(text, source)
    return cached


def write_new_key_file(path: Path) -> None:
    """Create the key file with mode 0600; never overwrite one (O_EXCL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write("# FIPP Academy evidence key. Back it up apart from the database; never commit it.\n")
        fh.write(new_private_line() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def rotate_key_file(path: Path) -> str:
    """Append a new private key (which signs from now on); older keys stay to verify old seals."""
    line = new_private_line()
    with path.open("a", encoding="ascii") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key_id_of(parse_keyring(line).keys[0].public)
