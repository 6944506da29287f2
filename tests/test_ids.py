from __future__ import annotations

import pytest

from socialguard.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("0", 0),
        (42, 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 400, None),
        ("²", None),  # isdigit() says yes, int() says no
        ("٣", None),  # Arabic-Indic three: int() reads it, an address bar should not
        ("-1", None),
        (" 7", None),
        ("7.0", None),
        ("", None),
        (None, None),
        (True, None),
        (["1"], None),
    ],
)
def test_parse_id(value: object, expected: int | None) -> None:
    assert parse_id(value) == expected
