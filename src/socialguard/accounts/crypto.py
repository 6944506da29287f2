"""Envelope encryption for the credential vault (policy 3.2: "store … passwords securely") and
for files kept at rest (case evidence).

Each secret is encrypted with its own random data key (AES-256-GCM, with the secret's identity
as associated data, so a ciphertext moved to another row will not open). The data key is itself
encrypted ("wrapped") with the master key, which lives outside the database. Rotating the master
key re-wraps the data keys only: the secrets' ciphertexts never change, so a rotation can stop
half-way and resume without loss. No Django here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


class VaultKeyError(Exception):
    """A key is missing, malformed or wrong, or the stored data was altered."""


class KeyNotConfigured(VaultKeyError):
    """The master key that wrapped a data key is not among the configured keys."""


@dataclass(frozen=True)
class MasterKey:
    key: bytes

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise VaultKeyError(f"a vault key is {KEY_BYTES} bytes; this one is {len(self.key)}")

    def __repr__(self) -> str:  # never print the key itself
        return f"MasterKey(id={self.key_id})"

    @property
    def key_id(self) -> str:
        """A public fingerprint that names the key without revealing it."""
        return hashlib.sha256(b"socialguard-vault-key\0" + self.key).hexdigest()[:16]

    @classmethod
    def from_text(cls, text: str, where: str) -> MasterKey:
        try:
            raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise VaultKeyError(f"{where}: is not a vault key (expected 44 base64 characters)") from None
        if len(raw) != KEY_BYTES:
            raise VaultKeyError(f"{where}: is not a vault key (expected {KEY_BYTES} bytes, got {len(raw)})")
        return cls(raw)

    def to_text(self) -> str:
        return base64.urlsafe_b64encode(self.key).decode("ascii")


def generate_key() -> MasterKey:
    return MasterKey(os.urandom(KEY_BYTES))


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    wrapped_key: bytes
    key_nonce: bytes
    key_id: str


def _wrap_aad(key_id: str, aad: bytes) -> bytes:
    return b"wrap\0" + key_id.encode() + b"\0" + aad


def seal(plaintext: str, master: MasterKey, aad: bytes) -> Sealed:
    data_key, wrapped = new_data_key(master, aad)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), aad)
    return Sealed(ciphertext, nonce, wrapped.wrapped_key, wrapped.key_nonce, wrapped.key_id)


@dataclass(frozen=True)
class WrappedKey:
    """A data key as stored: encrypted by the master key named by `key_id`."""

    wrapped_key: bytes
    key_nonce: bytes
    key_id: str


def _unwrap(wrapped: WrappedKey, keys: Mapping[str, MasterKey], aad: bytes, what: str) -> bytes:
    master = keys.get(wrapped.key_id)
    if master is None:
        raise KeyNotConfigured(
            f"this {what} is locked with key {wrapped.key_id}, which is not configured; "
            "set SOCIALGUARD_VAULT_PREVIOUS_KEY_FILE to that key while a rotation is unfinished"
        )
    try:
        return AESGCM(master.key).decrypt(
            wrapped.key_nonce, wrapped.wrapped_key, _wrap_aad(master.key_id, aad)
        )
    except InvalidTag:
        raise VaultKeyError(
            f"the stored key for this {what} was altered or belongs to another {what}"
        ) from None


def _wrap(data_key: bytes, master: MasterKey, aad: bytes) -> WrappedKey:
    key_nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(master.key).encrypt(key_nonce, data_key, _wrap_aad(master.key_id, aad))
    return WrappedKey(wrapped, key_nonce, master.key_id)


def new_data_key(master: MasterKey, aad: bytes) -> tuple[bytes, WrappedKey]:
    """A fresh random data key, and the same wrapped by `master` for storing beside its data."""
    data_key = AESGCM.generate_key(bit_length=256)
    return data_key, _wrap(data_key, master, aad)


def unwrap_key(wrapped: WrappedKey, keys: Mapping[str, MasterKey], aad: bytes, what: str = "file") -> bytes:
    return _unwrap(wrapped, keys, aad, what)


def rewrap_key(
    wrapped: WrappedKey, keys: Mapping[str, MasterKey], new: MasterKey, aad: bytes, what: str = "file"
) -> WrappedKey:
    """The same data key, now wrapped by `new`: what it encrypts never changes."""
    return _wrap(_unwrap(wrapped, keys, aad, what), new, aad)


def _data_key(sealed: Sealed, keys: Mapping[str, MasterKey], aad: bytes) -> bytes:
    return _unwrap(WrappedKey(sealed.wrapped_key, sealed.key_nonce, sealed.key_id), keys, aad, "secret")


def unseal(sealed: Sealed, keys: Mapping[str, MasterKey], aad: bytes) -> str:
    data_key = _data_key(sealed, keys, aad)
    try:
        return AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, aad).decode("utf-8")
    except InvalidTag:
        raise VaultKeyError("this secret was altered or belongs to another record") from None


def rewrap(sealed: Sealed, keys: Mapping[str, MasterKey], new: MasterKey, aad: bytes) -> Sealed:
    """The same secret, its data key now wrapped by `new` (the ciphertext is unchanged)."""
    wrapped = _wrap(_data_key(sealed, keys, aad), new, aad)
    return Sealed(sealed.ciphertext, sealed.nonce, wrapped.wrapped_key, wrapped.key_nonce, wrapped.key_id)


# Files encrypted at rest (evidence) start with this, then the nonce, then the AES-GCM output.
# Nothing accepted as evidence (PNG, JPEG, GIF, WebP, PDF) starts this way, so a file stored
# before encryption is told apart from an encrypted one by its first bytes.
BLOB_MAGIC = b"SGENC1\0"


def is_encrypted_blob(blob: bytes) -> bool:
    return blob.startswith(BLOB_MAGIC)


def encrypt_blob(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return BLOB_MAGIC + nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)


def decrypt_blob(data_key: bytes, blob: bytes, aad: bytes) -> bytes:
    if not is_encrypted_blob(blob):
        raise VaultKeyError("this file is not encrypted")
    start = len(BLOB_MAGIC)
    nonce, body = blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :]
    try:
        return AESGCM(data_key).decrypt(nonce, body, aad)
    except InvalidTag:
        raise VaultKeyError("this file was altered or belongs to another record") from None


PASSWORD_SYMBOLS = "!#$%&*+-=?@^_~"


def generate_password(length: int = 24) -> str:
    """A strong random password with every character class, from the OS's secure generator."""
    if length < 16:
        raise ValueError("use at least 16 characters")
    alphabet = string.ascii_letters + string.digits + PASSWORD_SYMBOLS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, PASSWORD_SYMBOLS]
        if all(any(c in group for c in password) for group in classes):
            return password
