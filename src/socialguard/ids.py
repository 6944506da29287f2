"""A database id read from the address bar, a form or the command line.

`str.isdigit()` is not enough: "²" and "٣" pass it but `int()` refuses the first and takes the
second, and a 20-digit number overflows the database's 64-bit integers. Each was a server error.
"""

from __future__ import annotations

# Primary keys are 64-bit (BigAutoField).
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id `value` spells in ASCII digits, or None for anything else (blank, signed, too big)."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None
