from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity.permissions import needs_two_factor

# Pages a privileged person may reach before their second factor is checked.
OPEN_PREFIXES = ("/account/two-factor/", "/account/sign-out/", "/static/", "/healthz", "/api/")


class TwoFactorRequiredMiddleware:
    """SMT, DSL and Quality Director use the product only after a second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_two_factor(user)
            and not user.is_verified()
        ):
            enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = "identity:two_factor_verify" if enrolled else "identity:two_factor_setup"
            return redirect(target)
        return self.get_response(request)
