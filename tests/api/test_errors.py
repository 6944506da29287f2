"""One exception handler: services raise the product's domain errors and the API turns each into
its status code and the one `Problem` body, in one place (api/problems.handle_errors) instead of
a try/except copied into each router."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from socialguard.api import problems
from socialguard.people.services import ImportFailed, RowError

API_DIR = Path(problems.__file__).parent


def _client() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-test", auth=None)
    router = Router()

    @router.post("/denied")
    def denied(request: HttpRequest) -> Any:
        raise PermissionDenied("only SMT approve or reject account proposals")

    @router.post("/refused")
    def refused(request: HttpRequest) -> Any:
        raise ValidationError({"reason": "say why the proposal is rejected"})

    @router.post("/refused-plain")
    def refused_plain(request: HttpRequest) -> Any:
        raise ValidationError("this proposal is approved")

    @router.post("/import")
    def import_failed(request: HttpRequest) -> Any:
        raise ImportFailed([RowError(file="staff.csv", row=3, field="email", message="not an email")])

    api.add_router("/", router)
    problems.handle_errors(api)
    return TestClient(api)


def test_permission_denied_is_a_403_with_the_services_reason() -> None:
    response = _client().post("/denied")
    assert response.status_code == 403
    assert response.json() == {"detail": "only SMT approve or reject account proposals", "errors": []}


def test_a_refused_change_is_a_400_per_field() -> None:
    response = _client().post("/refused")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "say why the proposal is rejected",
        "errors": [{"field": "reason", "message": "say why the proposal is rejected"}],
    }
    plain = _client().post("/refused-plain")
    assert plain.status_code == 400
    assert plain.json()["errors"] == [{"field": None, "message": "this proposal is approved"}]


def test_a_failed_import_is_a_400_per_row() -> None:
    response = _client().post("/import")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"file": "staff.csv", "row": 3, "field": "email", "message": "not an email"}
    ]


def test_no_router_catches_the_domain_errors_itself() -> None:
    catching = re.compile(r"\bexcept\b\s*\(?[^:]*\b(PermissionDenied|ValidationError|ImportFailed)\b")
    copies = [
        f"{path.name}: {line.strip()}"
        for path in sorted(API_DIR.glob("*.py"))
        if path.name != "problems.py"
        for line in path.read_text().splitlines()
        if catching.search(line)
    ]
    assert copies == []
