"""Envelope encryption: round trip, binding to the record, wrong keys, tampering. No database."""

from __future__ import annotations

import string

import pytest

from socialguard.accounts import crypto

AAD = b"socialguard-vault:1234:password"


def test_round_trip_and_fresh_randomness() -> None:
    key = crypto.generate_key()
    a, b = crypto.seal("hunter2-Very-Long!", key, AAD), crypto.seal("hunter2-Very-Long!", key, AAD)
    assert a.ciphertext != b.ciphertext and a.wrapped_key != b.wrapped_key
    assert b"hunter2" not in a.ciphertext + a.wrapped_key
    assert crypto.unseal(a, {key.key_id: key}, AAD) == "hunter2-Very-Long!"


def test_a_ciphertext_moved_to_another_record_does_not_open() -> None:
    key = crypto.generate_key()
    sealed = crypto.seal("secret", key, AAD)
    with pytest.raises(crypto.VaultKeyError, match="altered or belongs to another"):
        crypto.unseal(sealed, {key.key_id: key}, b"socialguard-vault:9999:password")


def test_tampered_ciphertext_is_refused() -> None:
    key = crypto.generate_key()
    sealed = crypto.seal("secret", key, AAD)
    flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
    tampered = crypto.Sealed(flipped, sealed.nonce, sealed.wrapped_key, sealed.key_nonce, sealed.key_id)
    with pytest.raises(crypto.VaultKeyError, match="altered"):
        crypto.unseal(tampered, {key.key_id: key}, AAD)


def test_an_unknown_key_is_named_not_guessed() -> None:
    sealed = crypto.seal("secret", crypto.generate_key(), AAD)
    other = crypto.generate_key()
    with pytest.raises(crypto.VaultKeyError, match=f"locked with key {sealed.key_id}"):
        crypto.unseal(sealed, {other.key_id: other}, AAD)


def test_rewrap_keeps_the_ciphertext_and_opens_with_the_new_key_only() -> None:
    old, new = crypto.generate_key(), crypto.generate_key()
    sealed = crypto.seal("secret", old, AAD)
    moved = crypto.rewrap(sealed, {old.key_id: old}, new, AAD)
    assert moved.ciphertext == sealed.ciphertext and moved.key_id == new.key_id
    assert crypto.unseal(moved, {new.key_id: new}, AAD) == "secret"
    with pytest.raises(crypto.VaultKeyError):
        crypto.unseal(moved, {old.key_id: old}, AAD)


def test_keys_never_show_themselves() -> None:
    key = crypto.generate_key()
    assert key.to_text() not in repr(key) and key.key_id in repr(key)
    assert crypto.MasterKey.from_text(key.to_text(), "x") == key
    with pytest.raises(crypto.VaultKeyError, match="KEYFILE: is not a vault key"):
        crypto.MasterKey.from_text("too-short", "KEYFILE")


def test_generated_passwords_are_long_and_mixed() -> None:
    passwords = {crypto.generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for p in passwords:
        assert len(p) == 24
        assert any(c in string.ascii_uppercase for c in p) and any(c in string.digits for c in p)
        assert any(c in crypto.PASSWORD_SYMBOLS for c in p)
    with pytest.raises(ValueError):
        crypto.generate_password(8)
