"""audit/labels.py: the trail reads in words ("Signed in", "Case", "No further action") while the
codes stay available to auditors, the filters and the export."""

from __future__ import annotations

import ast
import csv
import importlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from socialguard.audit.labels import (
    ACTIONS,
    action_label,
    object_type_label,
    record_kind,
    short_hash,
    value_label,
)
from socialguard.audit.services import audit_record
from socialguard.identity.roles import Role
from socialguard.people.records import KINDS

SRC = Path(__file__).resolve().parents[2] / "src" / "socialguard"


def _prefix_wrapper(value: ast.expr) -> str:
    """ "content." for f"content.{action}", else ""."""
    if (
        isinstance(value, ast.JoinedStr)
        and len(value.values) == 2
        and isinstance(value.values[0], ast.Constant)
        and isinstance(value.values[1], ast.FormattedValue)
        and isinstance(value.values[1].value, ast.Name)
    ):
        return str(value.values[0].value)
    return ""


def _constant_verbs(call: ast.Call) -> list[str]:
    return [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _relays(tree: ast.Module) -> set[str]:
    """Functions that hand their own `verb` parameter on to `_audit` (consent's takedown_audit,
    which content calls): their callers, in any module, name the verbs."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and "verb" in {a.arg for a in node.args.args}:
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", None) == "_audit"
                    and any(isinstance(a, ast.Name) and a.id == "verb" for a in inner.args)
                ):
                    names.add(node.name)
    return names


def _wrapper_verbs(tree: ast.Module) -> set[str]:
    verbs = set()
    relays = _relays(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_audit":
            strings = _constant_verbs(node)
            if not strings and any(isinstance(a, ast.Name) and a.id == "verb" for a in node.args):
                continue  # inside a relay: its callers are read below
            assert len(strings) == 1, f"_audit call at line {node.lineno} must name one action"
            verbs.add(strings[0])
    for path in SRC.rglob("*.py") if relays else ():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) in relays
            ):
                strings = _constant_verbs(node)
                assert len(strings) == 1, f"{path}:{node.lineno}: a relay call must name one action"
                verbs.add(strings[0])
    assert verbs, "a prefixing wrapper that nobody calls"
    return verbs


def _workflow_actions() -> set[str]:
    """The codes the services hand to a workflow table's `apply(..., audit=...)`."""
    found = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "apply":
                for kw in node.keywords:
                    if kw.arg != "audit":
                        continue
                    arms = [kw.value.body, kw.value.orelse] if isinstance(kw.value, ast.IfExp) else [kw.value]
                    for arm in arms:
                        assert isinstance(arm, ast.Constant), f"{path}:{node.lineno}: name the action"
                        found.add(arm.value)
    assert found, "no workflow step records an action"
    return found


def _recorded_actions() -> set[str]:
    """Every action code the source passes to audit_record: literals, both arms of a conditional,
    module constants; the one f-string (people records) is expanded from the kinds it is built from."""
    found: set[str] = set()
    unread: list[str] = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text())
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit_record"):
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                value = kw.value
                arms = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                for arm in arms:
                    if isinstance(arm, ast.Constant) and isinstance(arm.value, str):
                        found.add(arm.value)
                    elif isinstance(arm, ast.Name) and module == "socialguard.identity.workflow":
                        found |= _workflow_actions()  # Workflow.apply(..., audit="cases.triaged")
                    elif isinstance(arm, ast.Name):
                        found.add(getattr(importlib.import_module(module), arm.id))
                    elif isinstance(arm, ast.JoinedStr) and module == "socialguard.people.services":
                        labels = [k[:-1] if k.endswith("s") else k for k in KINDS]
                        found |= {f"{label}.{verb}" for label in labels for verb in ("created", "updated")}
                    elif _prefix_wrapper(arm):
                        # A module's own `_audit(..., "verb", ...)` wrapper adding its prefix
                        # (content: f"content.{action}"): every verb its calls pass.
                        found |= {_prefix_wrapper(arm) + verb for verb in _wrapper_verbs(tree)}
                    else:
                        unread.append(f"{path}:{node.lineno}")
    assert not unread, f"action codes this test cannot read (add them here): {unread}"
    return found


def test_every_action_the_code_records_has_a_label() -> None:
    recorded = _recorded_actions()
    assert {"user.signed_in", "cases.triaged", "audit.verified", "staff.created"} <= recorded
    missing = sorted(recorded - ACTIONS.keys())
    assert not missing, f"add labels to socialguard/audit/labels.py ACTIONS for {missing}"


def test_every_record_type_reads_as_words() -> None:
    for model in apps.get_models():
        code = model._meta.label_lower
        if model.__module__.startswith("socialguard."):
            label = object_type_label(code)
            assert label != code and "." not in label and "_" not in label, code
    assert object_type_label("incidents.case") == "Case"
    assert object_type_label("identity.user") == "Sign-in"
    assert object_type_label("nothing.known") == "nothing.known"  # an unknown code stays visible


def test_actions_without_a_label_still_read_as_words() -> None:
    assert action_label("user.signed_in") == "Signed in"
    assert action_label("posts.something_new") == "Something new"


def test_the_type_is_left_off_where_the_name_says_it() -> None:
    assert record_kind("incidents.case", "Case C-2024-0003") == ""
    assert record_kind("identity.user", "Morgan Ellis") == "Sign-in"


def test_stored_codes_read_as_words() -> None:
    assert value_label("incidents.case", "outcome", "no_further_action") == "No further action"
    assert value_label("incidents.case", "severity", "low") is None  # already a word
    assert value_label("incidents.case", "outcome", "made_up") is None
    assert value_label("auth.user", "items", "cases:task:2") == "case task #2"
    assert value_label("auth.user", "items", "declare:v2") == "declare policy version 2"
    assert value_label("auth.user", "items", "cases:new:C-1,C-2") == "new reports to triage: C-1, C-2"
    assert value_label("auth.user", "items", "training:induction:expired") == "training induction (expired)"
    assert short_hash("ab" * 32) == "abababababab…" and short_hash("not a hash") is None


pytestmark = pytest.mark.django_db


@pytest.fixture
def events(register: dict[str, Any]) -> str:
    audit_record(
        actor=None,
        action="cases.closed",
        object_type="incidents.case",
        object_id="3",
        object_repr="Case C-2024-0003",
        after={"outcome": "no_further_action"},
    )
    audit_record(
        actor=None,
        action="reminders.digest_sent",
        object_type="identity.user",
        after={"items": ["cases:task:2"]},
    )
    digest = "0123456789abcdef" * 4
    audit_record(
        actor=None,
        action="audit.checkpointed",
        object_type="audit.audithead",
        object_repr="checkpoint of #3",
        after={"hash": digest},
    )
    return digest


def test_the_page_reads_in_words_and_keeps_the_codes(events: str, client_for: Callable[..., Client]) -> None:
    page = client_for(Role.AUDITOR).get("/audit/").content.decode()
    assert 'Case closed <code class="code-note">cases.closed</code>' in page
    assert "Case C-2024-0003</span>" in page and "(incidents.case)" not in page and "(Case)" not in page
    assert '<span title="no_further_action">No further action</span>' in page
    assert '<span title="cases:task:2">case task #2</span>' in page
    # The checkpoint's fingerprint is shortened, whole in the title, and a checkpoint is explained.
    assert f'<span title="{events}">{events[:12]}…</span>' in page
    assert f">{events}<" not in page
    assert "A <strong>checkpoint</strong> is" in page
    # The filters read in words and still choose by code.
    assert '<option value="cases.closed">Case closed</option>' in page
    assert '<option value="incidents.case">Case</option>' in page


def test_filters_by_code_and_search_by_words(events: str, client_for: Callable[..., Client]) -> None:
    client = client_for(Role.AUDITOR)
    by_code = client.get("/audit/", {"action": "cases.closed"}).content.decode()
    assert '<option value="cases.closed" selected>' in by_code
    assert "C-2024-0003" in by_code and "checkpoint of #3" not in by_code
    by_words = client.get("/audit/", {"q": "checkpoint written"}).content.decode()
    assert "checkpoint of #3" in by_words and "C-2024-0003" not in by_words


def test_the_export_keeps_codes_and_adds_words(events: str, client_for: Callable[..., Client]) -> None:
    response = client_for(Role.AUDITOR).get("/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    closed = next(r for r in rows if r["action"] == "cases.closed")
    assert closed["action_label"] == "Case closed"
    assert closed["object_type"] == "incidents.case" and closed["object_type_label"] == "Case"
    assert '"no_further_action"' in closed["after"] and closed["change"] == "outcome: No further action"
    checkpoint = next(r for r in rows if r["action"] == "audit.checkpointed")
    assert checkpoint["change"] == f"hash: {events}"  # whole in the export
