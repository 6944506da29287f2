from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.identity import reauth, services
from socialguard.identity.forms import CodeForm, SignInForm, TokenForm
from socialguard.identity.models import ApiToken
from socialguard.web.access import current_user, public, signed_in

WRONG_CODE = (
    "That code is not right, or there were too many tries: wait a few seconds, check your phone's clock "
    "and enter the newest code."
)


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "identity/locked_out.html", status=429)


sign_in = public(
    auth_views.LoginView.as_view(
        template_name="identity/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
sign_out = public(auth_views.LogoutView.as_view())


@signed_in
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=current_user(request), confirmed=False).first()
    if device is None or (request.method == "GET" and request.GET.get("restart")):
        device = services.totp_device_start(user=current_user(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["code"]):
            services.totp_device_confirm(user=current_user(request), device=device)
            otp_login(request, device)
            reauth.mark(request)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect("web:home")
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "identity/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff"),
            "secret": base64.b32encode(device.bin_key).decode(),
        },
    )


@signed_in
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=current_user(request), confirmed=True).first()
    if device is None:
        return redirect("identity:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, _ = device.verify_is_allowed()
        if verified and device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            reauth.mark(request)
            return redirect(request.GET.get("next") or "web:home")
        form.add_error("code", WRONG_CODE)
    return render(request, "identity/two_factor_verify.html", {"form": form})


class AuditedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    success_url = reverse_lazy("identity:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(actor=form.user, user=form.user, how="reset by email")
        return response


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "identity/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(
            actor=current_user(self.request), user=form.user, how="changed by the person"
        )
        messages.success(self.request, "Your password has been changed.")
        return response


password_reset = public(
    auth_views.PasswordResetView.as_view(
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
        {"form": form, "issued": issued, "tokens": ApiToken.objects.filter(user=current_user(request))},
    )


@signed_in
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=current_user(request))
    services.token_revoke(actor=current_user(request), token=token)
    messages.success(request, f"Token '{token.name}' revoked.")
    return redirect("identity:tokens")
