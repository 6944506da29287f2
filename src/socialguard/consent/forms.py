from __future__ import annotations

from typing import Any

from django import forms

from socialguard.consent.models import Evidence, Scope, Status


class RecordForm(forms.Form):
    status = forms.ChoiceField(choices=[(Status.GIVEN, "Consent given"), (Status.REFUSED, "Refused")])
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.SOCIAL_MEDIA)
    guardian = forms.ChoiceField(required=False, label="Given by")
    given_on = forms.DateField(label="Date on the form", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(
        required=False, label="Expires on (if the form says)", widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.ChoiceField(
        choices=[(Evidence.FORM, Evidence.FORM.label), (Evidence.MIS, Evidence.MIS.label)]
    )
    form = forms.FileField(
        required=False, label="The signed form", help_text="A PDF, or a photo or scan of it."
    )
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, guardians: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [("", "The learner themselves"), *guardians]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file from the MIS", error_messages={"required": "Choose the CSV file."})


class WithdrawForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="How it was withdrawn (optional)")
