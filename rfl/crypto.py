"""Encryption at rest for personal and sensitive fields (code of conduct R11, R15).

A leaked database file must not leak people: every personal value is sealed with AES-GCM
before it reaches storage, bound to the record it belongs to so a ciphertext cannot be moved
to another row. The key never lives in the repository: it comes from the `RFL_DATA_KEY`
environment variable (urlsafe base64 of 32 bytes) or from a key file created with mode 0600
next to the database on first start. Pseudonyms for research exports use a second key
derived from the same secret, so they are stable within one deployment and useless outside it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rfl.errors import InputError

KEY_ENV = "RFL_DATA_KEY"
KEY_FILE = "rfl-data.key"
_VERSION = b"\x01"  # leading byte of every sealed value, so keys or schemes can rotate later


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise InputError(where, "is not urlsafe base64") from None
    if len(key) != 32:
        raise InputError(where, "must hold 32 bytes (urlsafe base64)")
    return key


def key_from_environment() -> bytes | None:
    """The deployment's secret from RFL_DATA_KEY, or None when it is not set."""
    text = os.environ.get(KEY_ENV)
    return _decode_key(text, KEY_ENV) if text else None


def key_file_secret(data_dir: str | Path) -> bytes | None:
    """The secret in the key file of `data_dir` whatever the environment says, or None when
    there is no key file (none is made)."""
    path = Path(data_dir) / KEY_FILE
    if not path.exists():
        return None
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise InputError(path, "is readable by group or others; chmod 600 it")
    return _decode_key(path.read_text(), str(path))


def load_or_create_key(data_dir: str | Path) -> bytes:
    """The deployment's secret: from the environment, else from (or into) the data directory.

    An existing key file readable by group or others is refused rather than used: it would
    mean the secret has already been exposed on this machine.
    """
    key = key_from_environment()
    if key is not None:
        return key
    path = Path(data_dir) / KEY_FILE
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new data directory is its owner's
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file_secret(data_dir)
    with os.fdopen(fd, "w") as out:
        out.write(base64.urlsafe_b64encode(os.urandom(32)).decode("ascii") + "\n")
    return _decode_key(path.read_text(), str(path))


class Cipher:
    """Seals JSON-able values for storage and makes keyed pseudonyms."""

    def __init__(self, secret: bytes):
        self._aead = AESGCM(_derive(secret, b"rfl records at rest"))
        self._pseudonym_key = _derive(secret, b"rfl research pseudonyms")

    def seal(self, value, context: str) -> bytes:
        """Encrypt `value` (JSON-able) bound to `context`, e.g. the record's global id."""
        nonce = os.urandom(12)
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return _VERSION + nonce + self._aead.encrypt(nonce, plain, context.encode("utf-8"))

    def open(self, blob: bytes, context: str):
        """Decrypt a value sealed for the same context; raises if it was altered or moved."""
        if blob[:1] != _VERSION:
            raise ValueError("unknown sealing version")
        nonce, body = blob[1:13], blob[13:]
        return json.loads(self._aead.decrypt(nonce, body, context.encode("utf-8")))

    def pseudonym(self, value: str) -> str:
        """A stable, non-reversible stand-in for an identifier (research exports)."""
        return hmac.new(self._pseudonym_key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:20]
