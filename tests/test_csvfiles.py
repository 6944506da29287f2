"""The one CSV writer (formula guard) and reader (bounded), and that every import and export uses them."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from socialguard import csvfiles

SRC = Path(__file__).resolve().parents[1] / "src" / "socialguard"
PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_are_written_as_text_and_read_back_unchanged(payload: str) -> None:
    out = io.StringIO()
    csvfiles.writer(out).writerow(["name", payload, 3])
    [(_, cells)] = list(csvfiles.read_rows(out.getvalue()))
    assert cells[1] == "'" + payload
    assert csvfiles.unguard(cells[1]) == payload
    assert cells[2] == "3"


def test_ordinary_cells_and_apostrophes_are_left_alone() -> None:
    assert csvfiles.guard("O'Neil") == "O'Neil"
    assert csvfiles.unguard("'quoted'") == "'quoted'"
    assert csvfiles.guard(None) == ""
    assert csvfiles.to_text([["a", "b"], ["1", "x,y"]]) == 'a,b\r\n1,"x,y"\r\n'


def test_too_many_columns_is_refused_at_the_row() -> None:
    text = "a,b\n1,2\n" + ",".join(["x"] * 201) + "\n"
    with pytest.raises(csvfiles.CsvProblem) as problem:
        list(csvfiles.read_rows(text))
    assert (problem.value.row, problem.value.message) == (3, "has 201 columns; at most 200 are accepted")


def test_too_long_a_cell_names_row_and_column() -> None:
    text = "name,notes\nAda," + "x" * 10_001 + "\n"
    with pytest.raises(csvfiles.CsvProblem) as problem:
        list(csvfiles.read_rows(text))
    assert (problem.value.row, problem.value.column) == (2, "notes")
    assert "10,001 characters long; a cell may be at most 10,000" in problem.value.message


def test_too_long_a_line_is_refused_before_it_is_split() -> None:
    text = "a\n" + "y," * 60_000 + "\n"
    with pytest.raises(csvfiles.CsvProblem) as problem:
        list(csvfiles.read_rows(text))
    assert problem.value.row == 2
    assert "has a line of 120,001 characters" in problem.value.message


def test_quoted_newlines_count_as_one_row() -> None:
    rows = list(csvfiles.read_rows('a,b\n"line one\nline two",2\nx,y\n'))
    assert [n for n, _ in rows] == [1, 2, 3]


def _csv_module_users() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ):
                found.setdefault(str(path.relative_to(SRC)), set()).add(node.attr)
    return found


def test_only_the_csvfiles_module_writes_or_reads_csv() -> None:
    # One writer with the formula guard and one bounded reader: any other csv.writer or
    # csv.reader would be an export without the guard or an import without the limits. The
    # rules engine's register reader (`socialguard check --register`, a file on the operator's
    # own disk) may not import outside rules/ and is the one exception.
    users = _csv_module_users()
    users.pop("csvfiles.py")
    assert users == {"rules/register.py": {"DictReader"}}
