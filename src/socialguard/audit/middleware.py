from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from socialguard.audit.context import acting_from


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy rewrites it,
    # and gunicorn already applies forwarded_allow_ips when configured behind one.
    return request.META.get("REMOTE_ADDR", "")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_from(client_address(request)):
            return self.get_response(request)
