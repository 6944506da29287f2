from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity.permissions import needs_two_factor

# Pages a person may reach before their second factor is checked. The two-factor pages refuse
# enrolment themselves to anyone who already has an authenticator (identity/views.py).
OPEN_PREFIXES = (
    "/account/two-factor/",
    "/account/sign-out/",
    "/static/",
    "/healthz",
    "/api/",
    "/favicon.ico",
)


class TwoFactorRequiredMiddleware:
    """SMT, DSL and Quality Director use the product only after a second factor; so does anyone
    else who set up an authenticator (it would protect nothing if sign-in never asked for it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
        ):
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return _to(request, "identity:two_factor_verify")
            if needs_two_factor(user):
                return _to(request, "identity:two_factor_setup")
        return self.get_response(request)


def _to(request: HttpRequest, name: str) -> HttpResponse:
    """Redirect to a two-factor page, coming back to the page asked for once it is passed."""
    url = reverse(name)
    if name.endswith("verify") and request.method == "GET" and request.path != "/":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
