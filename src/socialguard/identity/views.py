from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity import reauth, services
from socialguard.identity.access import current_user, public, signed_in
from socialguard.identity.forms import CodeForm, QueuedPasswordResetForm, SignInForm, TokenForm
from socialguard.identity.models import ApiToken
from socialguard.identity.permissions import can

ENROLLING_SESSION_KEY = "sg_enrolling_device"
WRONG_CODE = (
    "That code is not right, or there were too many tries: wait a few seconds, check your phone's clock "
    "and enter the newest code."
)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "identity/locked_out.html", {"minutes": minutes}, status=429)


sign_in = public(
    auth_views.LoginView.as_view(
        template_name="identity/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = public(auth_views.LogoutView.as_view())


def safe_next(request: HttpRequest, default: str = "web:home") -> str:
    """Where `?next=` asks to go, if that is a page of this site; otherwise `default`.

    Only a local path or this host passes, so a crafted link cannot send someone who has just
    signed in to a look-alike site.
    """
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


def _verified(request: HttpRequest) -> bool:
    """Whether this session passed its second factor (django-otp's middleware adds the check)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _confirmed_device(request: HttpRequest) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=current_user(request), confirmed=True).first()


def _enrolling_device(request: HttpRequest, *, restart: bool) -> tuple[TOTPDevice, bool]:
    """The unconfirmed device whose key this session was shown, and whether it was made just now.

    Tied to the session, so a key shown to someone else who signed in with the same password is
    never the one this person confirms (starting a device removes any other unconfirmed one).
    """
    user = current_user(request)
    pk = request.session.get(ENROLLING_SESSION_KEY)
    if pk is not None and not restart:
        device = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
        if device is not None:
            return device, False
    device = services.totp_device_start(user=user)
    request.session[ENROLLING_SESSION_KEY] = device.pk
    return device, True


@signed_in
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if _confirmed_device(request) is not None:
        # Replacing an authenticator needs the one already set up: a password alone must not do it.
        if not _verified(request):
            messages.info(
                request,
                "You already have an authenticator app. Enter its code; if it is lost, ask another "
                "member of the senior management team to reset your two-factor sign-in.",
            )
            return redirect("identity:two_factor_verify")
        if not reauth.is_recent(request):
            messages.info(request, "To replace your authenticator app, first enter a code from it.")
            query = urlencode({"next": reverse("identity:two_factor_setup")})
            return redirect(f"{reverse('identity:two_factor_verify')}?{query}")
    restart = request.method == "GET" and bool(request.GET.get("restart"))
    device, started_now = _enrolling_device(request, restart=restart)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and started_now:
        form.add_error(None, "The set-up was started again elsewhere. Scan this new code and enter its code.")
    elif request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            fresh = _verified(request) and reauth.is_recent(request)
            try:
                services.totp_device_confirm(user=user, device=device, second_factor_fresh=fresh)
            except PermissionDenied:
                # Another tab finished an enrolment meanwhile: this one is now a replacement.
                messages.error(request, "You already have an authenticator app: enter a code from it first.")
                return redirect("identity:two_factor_verify")
            # The session is verified with the new device, but enrolling is not a fresh proof of
            # the person (reauth): a vault reveal still asks for a code.
            request.session.pop(ENROLLING_SESSION_KEY, None)
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("web:home")
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "identity/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff"),
            "secret": (secret := base64.b32encode(device.bin_key).decode()),
            # Typed from a phone screen, 32 letters read better in fours (shown apart, copied as one).
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "replacing": _confirmed_device(request) is not None,
        },
    )


@signed_in
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = _confirmed_device(request)
    if device is None:
        return redirect("identity:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, _ = device.verify_is_allowed()
        if verified and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            reauth.mark(request)
            return redirect(safe_next(request))
        form.add_error("code", WRONG_CODE)
    return render(request, "identity/two_factor_verify.html", {"form": form})


def _tokens_revoked(count: int) -> str:
    if not count:
        return ""
    tokens = f"{count} API token{'s were' if count > 1 else ' was'}"
    return f" Your {tokens} revoked; make a new one if you need it."


class AuditedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    success_url = reverse_lazy("identity:password_reset_complete")

    def get_user(self, uidb64: str) -> Any:
        # A link sent before the leave date opens nothing after it: the page says it is invalid.
        from socialguard.identity.backends import has_left

        user = super().get_user(uidb64)
        return user if user is not None and not has_left(user) else None

    def form_valid(self, form: Any) -> HttpResponse:
        # The new password, its audit event and the revoked tokens commit together.
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = services.user_password_changed(actor=form.user, user=form.user, how="reset by email")
        if revoked:
            messages.info(self.request, _tokens_revoked(revoked).strip())
        return response


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "identity/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            revoked = services.user_password_changed(
                actor=current_user(self.request), user=form.user, how="changed by the person"
            )
        messages.success(
            self.request,
            "Your password has been changed and your other sessions signed out." + _tokens_revoked(revoked),
        )
        return response


password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm,
        template_name="identity/password_reset.html",
        email_template_name="identity/email/password_reset.txt",
        subject_template_name="identity/email/password_reset_subject.txt",
        success_url=reverse_lazy("identity:password_reset_done"),
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="identity/password_reset_done.html")
)
password_reset_confirm = public(AuditedPasswordResetConfirmView.as_view())
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(template_name="identity/password_reset_complete.html")
)
password_change = signed_in(AuditedPasswordChangeView.as_view())


@signed_in
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = services.token_create(
            user=current_user(request),
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
        )
        form = TokenForm()
    return render(
        request,
        "identity/tokens.html",
        {
            "form": form,
            "issued": issued,
            "tokens": ApiToken.objects.filter(user=current_user(request)),
            # The command-line tool runs on the server, for those who manage sign-ins there; to
            # anyone else its `--as` option is noise.
            "sees_cli": can(request.user, "users.manage"),
        },
    )


@signed_in
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=current_user(request))
    services.token_revoke(actor=current_user(request), token=token)
    messages.success(request, f"Token '{token.name}' revoked.")
    return redirect("identity:tokens")
