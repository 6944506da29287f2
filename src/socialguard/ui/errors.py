from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest


def sentence(message: object) -> str:
    """Services word their problems as lower-case clauses ("say the aim of the account"); a page
    shows them as sentences."""
    text = str(message).strip()
    if not text:
        return text
    first = text.split(maxsplit=1)[0]
    if first.isalpha():  # not a file name or code ("shot.png is not …") that must keep its case
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!)" else text + "."


def validation_messages(exc: ValidationError) -> list[str]:
    """A service's ValidationError as lines for the command line: "field name: what is wrong"."""
    if hasattr(exc, "error_dict"):
        return [f"{field.replace('_', ' ')}: {m}" for field, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form that was posted, so each problem is shown beside
    the field it is about; a problem with no field of its own goes to the top of the form, named by
    words rather than the service's field name."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, sentence(message))
        return
    for name, problems in exc.message_dict.items():
        for message in problems:
            if name in form.fields:
                form.add_error(name, sentence(message))
            elif name == NON_FIELD_ERRORS:
                form.add_error(None, sentence(message))
            else:
                form.add_error(None, f"{name.replace('_', ' ').capitalize()}: {sentence(message)}")


def form_messages(form: forms.BaseForm) -> list[str]:
    """A form's errors as sentences naming each field by its label, for a page that redirects
    rather than showing the form again."""
    lines = []
    for name, problems in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or name.replace("_", " ").capitalize()) if field else ""
        lines += [f"{label}: {sentence(p)}" if label else sentence(p) for p in problems]
    return lines


def service_messages(exc: ValidationError) -> list[str]:
    """A service's ValidationError as sentences for a page with no form to put them on."""
    return [sentence(m) for m in exc.messages]


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call for a posted form: on success show `success`; otherwise show each
    problem (a ValidationError's sentences, a PermissionDenied's reason). True if it worked."""
    try:
        action()
    except ValidationError as exc:
        for message in service_messages(exc):
            messages.error(request, message)
        return False
    except PermissionDenied as exc:
        messages.error(request, sentence(exc) or "You may not do that.")
        return False
    messages.success(request, success)
    return True
