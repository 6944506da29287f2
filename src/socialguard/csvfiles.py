"""The one CSV writer and the one CSV reader: every export and every import goes through here.

Writer: a cell that starts with = + - @ TAB or CR is a formula to Excel, LibreOffice and Google
Sheets, so a learner named `=HYPERLINK(...)` would run when an auditor opens the export. Such a
cell is written with a leading apostrophe (OWASP's advice), which spreadsheets show as text;
`unguard` takes it off again when our own export is imported back.

Reader: bounded, so one upload cannot keep a worker busy for minutes. A file with too many
columns, or a line or cell too long for any register, is refused at the first such row with
the row (and column) named, before anything else is looked at.

No Django here: the CLI, services and views all use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

# Leading characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"

# Far above any real register (the widest import has 13 columns, the longest cell is a list of
# social handles) and far below what takes a worker more than a moment to read.
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
MAX_LINE_CHARS = 100_000


class CsvProblem(ValueError):
    """A file the reader refuses; `row` and `column` say where (None when it is the whole file)."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


def guard(value: Any) -> str:
    """The text of one cell, made safe to open in a spreadsheet."""
    return _guarded((value,))[0]


def unguard(text: str) -> str:
    """Undo `guard`: an apostrophe followed by a formula character is our guard, not data."""
    if text.startswith(GUARD) and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


class _Stream(Protocol):
    def write(self, text: str, /) -> Any: ...


class GuardedWriter:
    """`csv.writer` whose every cell passes through `guard`. `writerow` returns what the
    stream's `write` returned, so a streaming response can yield it."""

    def __init__(self, stream: _Stream) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(_guarded(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Many rows in one call: the same guard as `writerow`, without a call per cell (an
        export of 100,000 learners has a million cells)."""
        self._writer.writerows(_guarded(row) for row in rows)


_FORMULA_CHARS = frozenset(FORMULA_STARTS)


def _guarded(row: Iterable[Any]) -> list[str]:
    """Each cell's text, with an apostrophe before one that a spreadsheet would read as a formula
    (the one definition of the guard: `guard`, `writerow` and `writerows` all come here)."""
    cells = ["" if cell is None else cell if type(cell) is str else str(cell) for cell in row]
    return [GUARD + text if text[:1] in _FORMULA_CHARS else text for text in cells]


def writer(stream: _Stream) -> GuardedWriter:
    return GuardedWriter(stream)


def to_text(rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (header first) as text."""
    out = io.StringIO()
    writer(out).writerows(rows)
    return out.getvalue()


class LineEcho:
    """A stream whose `write` hands back the line, for `StreamingHttpResponse`."""

    def write(self, text: str) -> str:
        return text


def _bounded_lines(text: str, max_line_chars: int, rows_read: list[int]) -> Iterator[str]:
    for line in io.StringIO(text, newline=""):
        if len(line) > max_line_chars:
            raise CsvProblem(
                f"has a line of {len(line):,} characters; lines may be at most {max_line_chars:,} "
                "(is this really a register exported as CSV?)",
                row=rows_read[0] + 1,
            )
        yield line


def read_rows(
    text: str,
    *,
    max_columns: int = MAX_COLUMNS,
    max_cell_chars: int = MAX_CELL_CHARS,
    max_line_chars: int = MAX_LINE_CHARS,
) -> Iterator[tuple[int, list[str]]]:
    """Rows as (row number as a spreadsheet shows it, cells), the header being row 1.

    Raises CsvProblem at the first row with too many columns or too long a cell or line, or
    that is not valid CSV. Cells are returned as they are in the file (no `unguard`, no strip).
    """
    rows_read = [0]
    reader = csv.reader(_bounded_lines(text, max_line_chars, rows_read))
    header: list[str] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvProblem(f"is not valid CSV: {exc}", row=rows_read[0] + 1) from None
        rows_read[0] += 1
        number = rows_read[0]
        if len(cells) > max_columns:
            raise CsvProblem(f"has {len(cells):,} columns; at most {max_columns} are accepted", row=number)
        for index, cell in enumerate(cells):
            if len(cell) > max_cell_chars:
                name = header[index] if index < len(header) and header[index] else f"column {index + 1}"
                raise CsvProblem(
                    f"is {len(cell):,} characters long; a cell may be at most {max_cell_chars:,}",
                    row=number,
                    column=name,
                )
        if number == 1:
            header = [c.strip() for c in cells]
        yield number, cells
