"""Security headers on every response: a strict Content-Security-Policy and a Permissions-Policy.

A small middleware rather than django-csp: the policy is one fixed string with no nonces or
per-view changes to manage (every page's script and style are files under /static/), so the
package would add a dependency and a settings format for one header; Django 6's own CSP
middleware takes the place of this one after an upgrade. Django's SecurityMiddleware already
sends Referrer-Policy (SECURE_REFERRER_POLICY), X-Content-Type-Options and
Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware X-Frame-Options.

A view that sets its own policy (evidence files shown inline) keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# No inline script or style, no plugins, no framing, no <base> or form posts elsewhere: an
# injected `<script>`, `onclick=` or `javascript:` link does not run even if escaping fails.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
# Powerful browser features no page here uses.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
