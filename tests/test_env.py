"""Environment parsing is plain functions, tested here."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from socialguard import env as E


def test_bool_words() -> None:
    assert E.env_bool({"X": "Yes"}, "X") is True
    assert E.env_bool({"X": "0"}, "X", True) is False
    assert E.env_bool({}, "X", True) is True
    with pytest.raises(E.ConfigError, match="X='maybe'"):
        E.env_bool({"X": "maybe"}, "X")


def test_int_and_list() -> None:
    assert E.env_int({"N": "7"}, "N", 1) == 7
    with pytest.raises(E.ConfigError, match="whole number"):
        E.env_int({"N": "seven"}, "N", 1)
    assert E.env_list({"H": "a.example, b.example,,"}, "H", []) == ["a.example", "b.example"]


def test_database_url_default_and_validation(tmp_path: Path) -> None:
    assert E.database_url({}, tmp_path) == f"sqlite:///{tmp_path / 'socialguard.sqlite3'}"
    assert E.database_url({"SOCIALGUARD_DATABASE_URL": "postgres://u:p@h/db"}, tmp_path).startswith(
        "postgres://"
    )
    with pytest.raises(E.ConfigError) as err:
        E.database_url({"SOCIALGUARD_DATABASE_URL": "mysql://u:secret@h/db"}, tmp_path)
    assert "secret" not in str(err.value)  # never echo a password


def test_secret_key_generated_once_with_mode_0600(tmp_path: Path) -> None:
    key = E.secret_key({}, tmp_path)
    assert len(key) >= 50
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    assert E.secret_key({}, tmp_path) == key


KEY_MAKERS = {"secret_key": E.secret_key, "vault_key": E.vault_key, "audit_key": E.audit_key}


@pytest.mark.parametrize("name", KEY_MAKERS)
def test_processes_started_at_once_all_end_with_the_same_key(tmp_path: Path, name: str) -> None:
    """The web app and its workers start together on first run and each finds no key: one file
    wins, and every process ends with the key it holds; none fails or reads an empty file."""
    context = multiprocessing.get_context("fork")
    processes = 6
    for round_ in range(15):
        data = tmp_path / str(round_)
        barrier, results = context.Barrier(processes), context.Queue()

        def start(barrier: Any = barrier, results: Any = results, data: Path = data) -> None:
            barrier.wait()
            try:
                results.put(KEY_MAKERS[name]({}, data))
            except Exception as exc:  # reported, not lost in the child
                results.put(f"{type(exc).__name__}: {exc}")

        children = [context.Process(target=start) for _ in range(processes)]
        for child in children:
            child.start()
        keys = [results.get(timeout=30) for _ in children]
        for child in children:
            child.join(30)
        held = (data / name).read_text(encoding="utf-8")
        assert keys == [held] * processes, keys
        assert stat.S_IMODE(os.stat(data / name).st_mode) == 0o600
        assert [p.name for p in data.iterdir()] == [name]  # no temporary file left behind


def test_secret_from_file_variant(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("k" * 60 + "\n")
    assert E.secret_key({"SOCIALGUARD_SECRET_KEY_FILE": str(secret)}, tmp_path) == "k" * 60
    with pytest.raises(E.ConfigError, match="not both"):
        E.env_secret({"S": "a", "S_FILE": str(secret)}, "S")
    with pytest.raises(E.ConfigError, match="at least 50"):
        E.secret_key({"SOCIALGUARD_SECRET_KEY": "short"}, tmp_path)


def test_data_dir(tmp_path: Path) -> None:
    assert E.data_dir({}, tmp_path) == tmp_path / "var"
    assert E.data_dir({"SOCIALGUARD_DATA_DIR": str(tmp_path / "d")}, Path("/x")) == tmp_path / "d"


def test_vault_key_source_names_where_the_key_comes_from(tmp_path: Path) -> None:
    assert E.vault_key_source({"SOCIALGUARD_VAULT_KEY": "k"}, tmp_path) == "SOCIALGUARD_VAULT_KEY"
    named = E.vault_key_source({"SOCIALGUARD_VAULT_KEY_FILE": "/run/secrets/vault"}, tmp_path)
    assert named == "SOCIALGUARD_VAULT_KEY_FILE=/run/secrets/vault"
    assert E.vault_key_source({}, tmp_path).endswith("vault_key (generated now: none was configured)")
    E.vault_key({}, tmp_path)
    assert E.vault_key_source({}, tmp_path) == str(tmp_path / "vault_key")


def test_sqlite_busy_timeout() -> None:
    assert E.sqlite_busy_timeout({}) == 20
    assert E.sqlite_busy_timeout({"SOCIALGUARD_SQLITE_BUSY_TIMEOUT": "45"}) == 45
    with pytest.raises(E.ConfigError, match="SOCIALGUARD_SQLITE_BUSY_TIMEOUT"):
        E.sqlite_busy_timeout({"SOCIALGUARD_SQLITE_BUSY_TIMEOUT": "0"})


def test_storages_json_replaces_only_the_file_stores(tmp_path: Path) -> None:
    assert E.storages({}) == {}
    s3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "sg"}}
    assert E.storages({"SOCIALGUARD_STORAGES_JSON": json.dumps({"evidence": s3})}) == {"evidence": s3}
    secret = tmp_path / "storages.json"
    secret.write_text(json.dumps({"media": s3}))
    assert E.storages({"SOCIALGUARD_STORAGES_JSON_FILE": str(secret)}) == {"media": s3}
    for bad, words in (
        ("{not json", "not valid JSON"),
        ('["evidence"]', "expected an object"),
        (json.dumps({"default": s3}), "only evidence, media"),
        (json.dumps({"evidence": {"OPTIONS": {}}}), "BACKEND"),
    ):
        with pytest.raises(E.ConfigError, match=words):
            E.storages({"SOCIALGUARD_STORAGES_JSON": bad})
