from __future__ import annotations

from typing import Any

from django import forms

from socialguard.identity.roles import Role
from socialguard.people.models import EmploymentType
from socialguard.people.records import KINDS, SPECS

LABELS = {
    "external_id": "External id (from your HR or MIS system)",
    "line_manager_id": "Line manager's external id",
    "learner_ids": "Learners' external ids (separated by ;)",
    "social_handles": "Social media handles (separated by ;)",
}


class PersonForm(forms.Form):
    """Plain text fields built from the import spec; validation is the importer's (records.py)."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for column in SPECS[kind]:
            label = LABELS.get(column.name, column.name.replace("_", " ").capitalize())
            if column.name == "employment_type":
                self.fields[column.name] = forms.ChoiceField(label=label, choices=EmploymentType.choices)
            elif "date" in column.name:
                self.fields[column.name] = forms.CharField(
                    label=label,
                    required=column.required,
                    help_text="YYYY-MM-DD or DD/MM/YYYY",
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "YYYY-MM-DD"}),
                )
            else:
                self.fields[column.name] = forms.CharField(
                    label=label,
                    required=column.required,
                    help_text=column.help.capitalize(),
                )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the file list?",
        choices=[
            (k, {"staff": "Staff", "learners": "Learners", "guardians": "Parents and guardians"}[k])
            for k in KINDS
        ],
    )
    file = forms.FileField(
        label="CSV file", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    aliases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line."
    )
    handles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line, e.g. @dmm_uk."
    )
    email_domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="One per line."
    )


class SignInCreateForm(forms.Form):
    email = forms.EmailField()
    full_name = forms.CharField(max_length=200)
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    active = forms.BooleanField(required=False, label="May sign in")
