"""Every list the API reads is paged with a maximum: no GET answers a bare JSON array (which
grows with the data), and each page takes a `limit` no larger than MAX_LIMIT."""

from __future__ import annotations

import json
from typing import Any

from socialguard.api.contract import MAX_LIMIT
from socialguard.api.urls import api


def _schema(document: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in ref:
        ref = document["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]
    return ref


def _reads() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    document = json.loads(json.dumps(api.get_openapi_schema()))  # as served: status codes as strings
    found = []
    for path, methods in document["paths"].items():
        operation = methods.get("get")
        if operation is None or "200" not in operation["responses"]:
            continue
        content = operation["responses"]["200"].get("content", {}).get("application/json")
        if content:
            found.append((path, operation, _schema(document, content["schema"])))
    return found


def test_no_read_answers_a_bare_list() -> None:
    reads = _reads()
    assert len(reads) >= 30
    bare = [path for path, _, schema in reads if schema.get("type") == "array"]
    assert bare == []


def test_every_page_has_a_maximum_size() -> None:
    pages = [(path, op) for path, op, schema in _reads() if "items" in schema.get("properties", {})]
    assert len(pages) >= 20
    for path, operation in pages:
        (limit,) = [p for p in operation["parameters"] if p["name"] == "limit"]
        assert limit["schema"]["maximum"] == MAX_LIMIT, path
