from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

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
