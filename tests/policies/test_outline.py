"""Reading policies into clauses, comparing versions, Word import. Pure text: no database."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx

from socialguard.policies import outline
from socialguard.policies.demo import STAND_IN
from tests.policy_fixtures import V1, V2


def test_header_table_gives_dates_and_owner() -> None:
    parsed = outline.parse_markdown(V1)
    assert parsed.title == "Social Media Policy"
    assert parsed.issue_date == dt.date(2022, 2, 1)
    assert parsed.next_review_date == dt.date(2023, 2, 1)
    assert parsed.owner == "Quality Director"


def test_numbered_and_headed_clauses_form_an_outline() -> None:
    parsed = outline.parse_markdown(V1)
    keys = [c.key for c in parsed.clauses]
    assert keys == ["1", "1.1", "4", "4.1", "5", "5.2", "5.5", "declaration"]
    by_key = {c.key: c for c in parsed.clauses}
    assert by_key["1.1"].parent == "1" and by_key["1.1"].level == 2
    # "## 5.2" is written at the same depth as "## 5", yet it belongs under 5.
    assert by_key["5.2"].parent == "5"
    assert by_key["5.5"].parent == "5"
    assert "Local Safeguarding Children Board" in by_key["5.2"].text


def test_stand_in_outline_has_the_clauses_rules_cite() -> None:
    parsed = outline.parse_markdown(Path(STAND_IN).read_text())
    for reference in [
        "1.1",
        "2.1",
        "3.1",
        "3.2",
        "3.3",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "5.3",
        "5.4",
        "5.5",
        "Declaration",
        "Do's",
        "Don'ts",
        "Managing personal use",
        "Acceptance of friends",
    ]:
        assert parsed.clause(reference) is not None, reference
    assert parsed.clause("3.2").heading == "Senior management Team"


def test_find_clause_by_number_key_and_words() -> None:
    clauses = outline.parse_markdown(Path(STAND_IN).read_text()).clauses
    assert outline.find_clause(clauses, "the-dos").heading == "The Do's"
    assert outline.find_clause(clauses, "Don'ts").heading == "The Don'ts"
    assert outline.find_clause(clauses, "9.9") is None
    assert outline.find_clause(clauses, "") is None


def test_messy_input_never_fails() -> None:
    for text in ["", "just words", "# Title only", "## **\n\n1.2.3 x", "2022 was a year.\n\n3.1 Thing:"]:
        parsed = outline.parse_markdown(text)
        assert isinstance(parsed.clauses, list)
    assert [c.key for c in outline.parse_markdown("2022 was a year.\n\n3.1 Thing:").clauses] == ["3.1"]


def test_hash_ignores_line_endings_and_trailing_spaces_only() -> None:
    assert outline.text_hash("a \r\nb\n") == outline.text_hash("a\nb")
    assert outline.text_hash("a\nb") != outline.text_hash("a\nc")


def test_diff_names_changed_added_and_removed_clauses() -> None:
    old = outline.parse_markdown(V1).clauses
    new = outline.parse_markdown(
        V2.replace("### Declaration\n\nEveryone confirms they have read the policy.\n", "")
    ).clauses
    changes = {c.key: c for c in outline.diff_clauses(old, new)}
    assert changes["5.2"].kind == "changed"
    assert changes["5.6"].kind == "added"
    assert changes["declaration"].kind == "removed"
    assert changes["1.1"].kind == "unchanged"
    segments = changes["5.2"].segments()
    assert any(op == "insert" and "kind." in text for op, text in segments)
    assert ("delete", "may") in segments
    summary = outline.change_summary(list(changes.values()))
    assert summary == "clauses 4.1 and 5.2 changed; clause 5.6 added; clause declaration removed"


def test_whitespace_only_edits_are_not_changes() -> None:
    old = outline.parse_markdown(V1).clauses
    new = outline.parse_markdown(V1.replace("Be professional.", "Be   professional.")).clauses
    assert outline.change_summary(outline.diff_clauses(old, new)) == ""


def test_word_documents_become_the_same_outline() -> None:
    document = docx.Document()
    document.add_paragraph("Social Media Policy", style="Title")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Issue Date", "March 2024"
    table.cell(1, 0).text, table.cell(1, 1).text = "Date of Next Review", "March 2025"
    document.add_paragraph("5 The Policy", style="Heading 1")
    document.add_paragraph("5.2 Expected standards", style="Heading 2")
    document.add_paragraph("Be professional online.")
    document.add_paragraph("Never share passwords", style="List Bullet")
    document.add_paragraph("Declaration", style="Heading 2")
    document.add_paragraph("Everyone confirms they have read it.")
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = outline.parse_markdown(outline.docx_to_markdown(buffer.getvalue()))
    assert parsed.title == "Social Media Policy"
    assert parsed.issue_date == dt.date(2024, 3, 1) and parsed.next_review_date == dt.date(2025, 3, 1)
    assert [c.key for c in parsed.clauses] == ["5", "5.2", "declaration"]
    assert "- Never share passwords" in parsed.clause("5.2").text
