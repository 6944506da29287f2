"""Parsers for environment-driven configuration.

Small pure functions so that each setting's parsing is unit-tested (tests/test_env.py).
Every variable is documented in docs/configuration.md.
"""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A configuration variable has a value we cannot use."""


def env_bool(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None


def env_list(env: Mapping[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(env: Mapping[str, str], name: str) -> str | None:
    """Read NAME, or the file named by NAME_FILE (the Docker/systemd secrets convention)."""
    value = env.get(name)
    file_name = env.get(f"{name}_FILE")
    if value and file_name:
        raise ConfigError(f"set either {name} or {name}_FILE, not both")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{name}_FILE={file_name!r}: cannot read ({exc.strerror})") from None
    return value or None


def data_dir(env: Mapping[str, str], project_root: Path) -> Path:
    raw = env.get("SOCIALGUARD_DATA_DIR")
    return Path(raw).expanduser().resolve() if raw else project_root / "var"


def database_url(env: Mapping[str, str], data: Path) -> str:
    raw = env.get("SOCIALGUARD_DATABASE_URL", "").strip()
    if not raw:
        return f"sqlite:///{data / 'socialguard.sqlite3'}"
    if not raw.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ConfigError(
            f"SOCIALGUARD_DATABASE_URL={raw.split('@')[-1]!r}: "
            "expected sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME"
        )
    return raw


def secret_key(env: Mapping[str, str], data: Path) -> str:
    """The configured key, else one generated on first run into DATA_DIR/secret_key (mode 0600)."""
    configured = env_secret(env, "SOCIALGUARD_SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise ConfigError("SOCIALGUARD_SECRET_KEY: must be at least 50 characters")
        return configured
    key_file = data / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    return first_key(key_file, secrets.token_urlsafe(64))


def first_key(path: Path, key: str) -> str:
    """Put `key` in `path` (mode 0600) unless another process has put one there first; returns the
    key the file holds. Processes started at once (the web app and its workers, on first run) must
    all end with the same key, and none may read the file before its key is in it: so the key is
    written in full to a private temporary file, which is then linked into place; the link fails
    for every process but the first, which then read the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        return key
    finally:
        os.unlink(temporary)


def new_key_file(path: Path) -> str:
    """A new random key (32 bytes, URL-safe base64) in `path`, readable by this user only, never
    replacing one that exists; returns the key the file holds (see first_key)."""
    return first_key(path, base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))


def vault_key(env: Mapping[str, str], data: Path) -> str:
    """The credential vault's master key (base64, 32 bytes): SOCIALGUARD_VAULT_KEY or its _FILE,
    else one generated on first run into DATA_DIR/vault_key (mode 0600). Never in the database."""
    configured = env_secret(env, "SOCIALGUARD_VAULT_KEY")
    if configured:
        return configured
    key_file = data / "vault_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    return new_key_file(key_file)


def vault_key_source(env: Mapping[str, str], data: Path) -> str:
    """Where `vault_key` will take the key from, for messages that must say what to restore.
    Call it before `vault_key`, which creates the file when there is none."""
    if env.get("SOCIALGUARD_VAULT_KEY"):
        return "SOCIALGUARD_VAULT_KEY"
    if env.get("SOCIALGUARD_VAULT_KEY_FILE"):
        return f"SOCIALGUARD_VAULT_KEY_FILE={env['SOCIALGUARD_VAULT_KEY_FILE']}"
    key_file = data / "vault_key"
    if key_file.exists():
        return str(key_file)
    return f"{key_file} (generated now: none was configured)"


def sqlite_busy_timeout(env: Mapping[str, str]) -> int:
    """Seconds an SQLite connection waits for another process's write before giving up."""
    seconds = env_int(env, "SOCIALGUARD_SQLITE_BUSY_TIMEOUT", 20)
    if seconds < 1:
        raise ConfigError(f"SOCIALGUARD_SQLITE_BUSY_TIMEOUT={seconds}: expected at least 1 (seconds)")
    return seconds


def _tighten(path: Path, mode: int) -> None:
    """chmod `path` to `mode` when others could read it and it is ours to change."""
    try:
        info = path.lstat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077 and not path.is_symlink():
            path.chmod(mode)
    except OSError:
        pass  # vanished, or not ours: nothing to tighten


def private_data_dir(data: Path) -> Path:
    """Create DATA_DIR readable by this user only (0700), and tighten what an older version
    left readable by others: the database, the key files and the mail folder, whose messages
    carry password-reset links when there is no SMTP server."""
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(data, 0o700)
    for child in data.iterdir():
        if child.is_file():
            _tighten(child, 0o600)
    mail = data / "mail"
    if mail.is_dir():
        _tighten(mail, 0o700)
        for message in mail.iterdir():
            _tighten(message, 0o600)
    return data


def audit_key(env: Mapping[str, str], data: Path) -> str:
    """The audit trail's HMAC key (URL-safe base64, at least 32 bytes): SOCIALGUARD_AUDIT_KEY or its
    _FILE, else one generated on first run into DATA_DIR/audit_key (mode 0600). Never in the
    database: whoever holds it can re-seal a rewritten chain (docs/configuration.md)."""
    configured = env_secret(env, "SOCIALGUARD_AUDIT_KEY")
    key_file = data / "audit_key"
    if configured:
        source = "SOCIALGUARD_AUDIT_KEY"
    elif key_file.exists():
        configured, source = key_file.read_text(encoding="utf-8").strip(), str(key_file)
    else:
        return new_key_file(key_file)
    try:
        # validate=True: the lenient decoder would silently skip characters outside the alphabet.
        raw = base64.b64decode(configured.encode("ascii"), altchars=b"-_", validate=True)
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) < 32:
        # The value itself is never echoed: it is a secret, and error messages reach logs.
        raise ConfigError(
            f"{source}: the audit key must be at least 32 random bytes in URL-safe base64 "
            "(generate one with `socialguard audit generate-key`)"
        )
    return configured


FILE_STORES = ("evidence", "media")


def storages(env: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """SOCIALGUARD_STORAGES_JSON (or the file its _FILE names, as it may hold an access key):
    Django STORAGES entries for socialguard's file stores, e.g. {"evidence": {"BACKEND":
    "storages.backends.s3.S3Storage", "OPTIONS": {...}}}; unset: the local directories."""
    import json

    raw = env_secret(env, "SOCIALGUARD_STORAGES_JSON")
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"SOCIALGUARD_STORAGES_JSON is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError('SOCIALGUARD_STORAGES_JSON: expected an object such as {"evidence": {...}}')
    result: dict[str, dict[str, object]] = {}
    for name, entry in value.items():
        if name not in FILE_STORES:
            raise ConfigError(
                f"SOCIALGUARD_STORAGES_JSON names {name!r}; only {', '.join(FILE_STORES)} can be configured"
            )
        if not isinstance(entry, dict) or not isinstance(entry.get("BACKEND"), str):
            raise ConfigError(
                f'SOCIALGUARD_STORAGES_JSON[{name!r}]: expected {{"BACKEND": "...", "OPTIONS": {{...}}}}'
            )
        result[name] = entry
    return result
