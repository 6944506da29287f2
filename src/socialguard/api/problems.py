"""The API's one shape for "nothing was saved, and here is why": a summary and per-field errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema

from socialguard.people.services import ImportFailed


class ProblemOut(Schema):
    detail: str
    errors: list[dict[str, Any]] = []


def validation_problem(exc: ValidationError) -> dict[str, Any]:
    errors: list[dict[str, Any]]
    if hasattr(exc, "error_dict"):
        errors = [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]
    else:
        errors = [{"field": None, "message": m} for m in exc.messages]
    return {"detail": "; ".join(e["message"] for e in errors), "errors": errors}


def import_problem(failed: ImportFailed) -> dict[str, Any]:
    return {
        "detail": "Nothing was saved.",
        "errors": [
            {"file": e.file, "row": e.row, "field": e.field, "message": e.message} for e in failed.errors
        ],
    }
