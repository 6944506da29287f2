"""Envelope encryption for the credential vault (policy 3.2: "store … passwords securely").

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
    data_key = AESGCM.generate_key(bit_length=256)
    nonce, key_nonce = os.urandom(NONCE_BYTES), os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), aad)
    wrapped = AESGCM(master.key).encrypt(key_nonce, data_key, _wrap_aad(master.key_id, aad))
    return Sealed(ciphertext, nonce, wrapped, key_nonce, master.key_id)


def _data_key(sealed: Sealed, keys: Mapping[str, MasterKey], aad: bytes) -> bytes:
    master = keys.get(sealed.key_id)
    if master is None:
        raise VaultKeyError(
            f"this secret is locked with key {sealed.key_id}, which is not configured; "
            "set SOCIALGUARD_VAULT_PREVIOUS_KEY_FILE to that key while a rotation is unfinished"
        )
    try:
        return AESGCM(master.key).decrypt(sealed.key_nonce, sealed.wrapped_key, _wrap_aad(master.key_id, aad))
    except InvalidTag:
        raise VaultKeyError(
            "the stored key for this secret was altered or belongs to another secret"
        ) from None


def unseal(sealed: Sealed, keys: Mapping[str, MasterKey], aad: bytes) -> str:
    data_key = _data_key(sealed, keys, aad)
    try:
        return AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, aad).decode("utf-8")
    except InvalidTag:
        raise VaultKeyError("this secret was altered or belongs to another record") from None


def rewrap(sealed: Sealed, keys: Mapping[str, MasterKey], new: MasterKey, aad: bytes) -> Sealed:
    """The same secret, its data key now wrapped by `new` (the ciphertext is unchanged)."""
    data_key = _data_key(sealed, keys, aad)
    key_nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(new.key).encrypt(key_nonce, data_key, _wrap_aad(new.key_id, aad))
    return Sealed(sealed.ciphertext, sealed.nonce, wrapped, key_nonce, new.key_id)


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
