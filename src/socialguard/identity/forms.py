from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction

from socialguard.identity.models import TokenScope, normalise_email


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "That email address and password do not match. Check both and try again.",
        "inactive": "This sign-in has been withdrawn. Ask the senior management team.",
    }

    def clean_username(self) -> str:
        # One spelling for the sign-in and the lockout alike (identity/lockout.py).
        return normalise_email(self.cleaned_data["username"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code is made of digits only.")
        return code


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What is this token for?", max_length=100, help_text="For example: 'monthly report script'."
    )
    scope = forms.ChoiceField(label="Access", choices=TokenScope.choices, initial=TokenScope.READ)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email is written and sent by the worker: the request neither
    waits on SMTP nor fails with it, and the link (a secret) is never stored in a task's arguments."""

    def get_users(self, email: str) -> Any:
        # A leaver, from their leave date, gets no link: the password would open nothing.
        from socialguard.identity.backends import has_left

        return (user for user in super().get_users(email) if not has_left(user))

    def save(self, *args: Any, request: Any = None, use_https: bool = False, **kwargs: Any) -> None:
        from django.contrib.sites.shortcuts import get_current_site

        from socialguard.identity.tasks import send_password_reset

        site = f"{'https' if use_https else 'http'}://{get_current_site(request).domain}"
        for user in self.get_users(self.cleaned_data["email"]):
            transaction.on_commit(partial(send_password_reset.enqueue, user_id=user.pk, site=site))
