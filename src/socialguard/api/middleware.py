"""Answers under /api/ that no operation made (an unknown path, a method the path does not take)
in the API's `Problem` shape, as every operation's own errors are: a client reading JSON got the
site's HTML 404 page or a bare "Method not allowed". And HEAD, which HTTP says every GET takes
(link checkers and monitors send it), answered as the GET would be, without its body: django-ninja
routes no HEAD, so each GET operation answered 405. It is the GET, permissions, audit and all."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
SCHEMA = "/api/v1/openapi.json"
MAX_PATH_SHOWN = 200  # an address can be long; the answer need not repeat all of it


class ApiProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == SCHEMA and request.method not in ("GET", "HEAD", "OPTIONS"):
            # Answered here: the document is not an operation, and the CSRF check would answer a
            # POST to it with the site's HTML page.
            return _problem(f"{SCHEMA} does not take {request.method}; it takes GET.", 405, allow="GET")
        head = request.method == "HEAD" and request.path.startswith(API_PREFIX)
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
        response = _as_problem(request, response)
        return _without_body(response) if head else response


def _as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if (
        not (request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/"))
        or response.status_code not in (404, 405)
        or response.get("Content-Type", "").startswith("application/json")
    ):
        return response
    path = request.path if len(request.path) <= MAX_PATH_SHOWN else request.path[:MAX_PATH_SHOWN] + "…"
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        return _problem(f"{path} does not take {request.method}; it takes {allowed}.", 405, allow=allowed)
    detail = f"No API operation answers {request.method} {path}. The operations are listed in {SCHEMA}."
    return _problem(detail, 404)


def _without_body(response: HttpResponse) -> HttpResponse:
    """The GET's status and headers, its length included, and no body (RFC 9110, 9.3.2)."""
    if getattr(response, "streaming", False):
        response.close()  # an export's generator: nothing of it is read
        return HttpResponse(status=response.status_code, headers=dict(response.items()))
    length = len(response.content)
    response.content = b""
    response["Content-Length"] = str(length)
    return response


def _problem(detail: str, status: int, allow: str = "") -> HttpResponse:
    answer = JsonResponse(
        {"detail": detail, "errors": []}, status=status, content_type="application/json; charset=utf-8"
    )
    if allow:
        answer["Allow"] = allow
    return answer
