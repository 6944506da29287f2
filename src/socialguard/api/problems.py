"""The API's one shape for "nothing was done, and here is why": a summary and per-field errors.

Every error the API answers (401, 403, 404, 400, 422 and the rest) has this shape, whether a
view returns it or ninja raises it, and every operation documents the ones it can answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from socialguard.people.services import ImportFailed


class Problem(Schema):
    # Named for what it is: the OpenAPI document and the docs page call each schema by its class name.
    detail: str
    errors: list[dict[str, Any]] = []


def problem(detail: str, field: str | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": field, "message": detail}] if field else []}


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


def _where(loc: Iterable[Any]) -> str:
    # ninja's locations start with the parameter's source and name ("body", "payload", "category");
    # the client knows the body as a whole, so name the field as they sent it.
    parts = [str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "payload":
        parts = ["body", *parts[2:]]
    return ".".join(parts)


def request_problem(exc: RequestInvalid) -> dict[str, Any]:
    errors = [{"field": _where(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors]
    return {"detail": "; ".join(f"{e['field']}: {e['message']}" for e in errors), "errors": errors}


def document_errors(router: Router) -> None:
    """Declare the errors every operation can answer, so the document lists them: 401 and 403
    (every operation needs a token with a permission), 422 where it takes parameters, 400 where
    it reads a body (an unparseable one) or writes (a rule refuses it), 404 where it addresses an
    object by id."""
    for path, view in router.path_operations.items():
        for operation in view.operations:
            codes = {401, 403}
            if operation.models:
                codes.add(422)
            if any(m.__ninja_param_source__ in ("body", "form", "file") for m in operation.models):
                codes.add(400)
            if set(operation.methods) - {"GET", "HEAD", "OPTIONS"}:
                codes.add(400)  # a service refused the change (ValidationError, below)
            if "{" in path:
                codes.add(404)
            for code in codes:
                if code not in operation.response_models:
                    operation.response_models[code] = operation._create_response_model(Problem)


def handle_errors(api: NinjaAPI) -> None:
    """The one place errors become responses, all in the `Problem` shape: ninja's own (404,
    HttpError, request validation) and the product's domain errors that services raise, so an
    operation calls its service and lets these through instead of catching them itself:

    - `PermissionDenied` (the service checked its actor): 403 with the service's reason;
    - `ValidationError` (a rule refused the change): 400, per field where the service named one;
    - `ImportFailed` (a CSV import, all or nothing): 400, per row and field."""

    def respond(request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, problem(str(exc)), exc.status_code)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = respond(
            request,
            problem(
                "No valid API token: send Authorization: Bearer <token>. "
                "Create one under Account > API tokens."
            ),
            401,
        )
        # RFC 6750: a 401 names the scheme that would be accepted.
        response["WWW-Authenticate"] = 'Bearer realm="socialguard"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, problem("Not found."), 404)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, request_problem(exc), 422)

    def denied(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, problem(str(exc) or "Not allowed."), 403)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, validation_problem(exc), 400)

    def import_failed(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, import_problem(exc), 400)

    def not_json(request: HttpRequest, exc: Any) -> HttpResponse:
        # A form upload (multipart) sent to an operation that reads a JSON body: the upload was
        # parsed as one (web/limits.py) and the body cannot be read again.
        sent = request.content_type
        return respond(
            request, problem(f"This operation takes a JSON body (application/json), not {sent}."), 415
        )

    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestInvalid, invalid)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(ValidationError, refused)
    api.add_exception_handler(ImportFailed, import_failed)
    api.add_exception_handler(RawPostDataException, not_json)
