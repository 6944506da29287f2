from __future__ import annotations

from django import forms

from socialguard.privacy import checklists
from socialguard.privacy.exports import FORMATS
from socialguard.privacy.models import OTHER_PLATFORMS, PROFESSIONAL_NETWORKS, LawfulBasis, PersonKind


class SelfCheckForm(forms.Form):
    source = forms.ChoiceField(
        label="What are you checking?",
        choices=[
            ("", "Recognise the file for me"),
            *FORMATS.items(),
            ("pasted", "Handles or names I paste below"),
        ],
        required=False,
    )
    export = forms.FileField(
        label="Your export file",
        required=False,
        help_text="From the platform's “download your information”. It is read in memory and never stored.",
    )
    pasted = forms.CharField(
        label="Or paste handles or names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line: @handle, a profile address, or a name (“Jane Doe” or “Doe, Jane”).",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("export") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError("Choose your export file, or paste handles or names.")
        if data.get("export") and (data.get("pasted") or "").strip():
            raise forms.ValidationError("Check a file or pasted handles, not both at once.")
        return data


class ResolveForm(forms.Form):
    resolved = forms.IntegerField(min_value=0, label="How many of these have you dealt with?")


PLATFORM_CHOICES = [(key, label) for key, (label, _) in checklists.PLATFORMS.items()]


class PlatformsForm(forms.Form):
    platforms = forms.MultipleChoiceField(
        choices=PLATFORM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Which do you use personally?",
        error_messages={"required": "Choose at least one platform you use."},
    )


SCREEN_PLATFORMS = [*PROFESSIONAL_NETWORKS.items(), *OTHER_PLATFORMS.items()]


class ScreeningForm(forms.Form):
    candidate = forms.CharField(max_length=200, label="Candidate's name", required=False)
    role_applied_for = forms.CharField(max_length=200, label="Role applied for", required=False)
    lawful_basis = forms.ChoiceField(
        choices=[("", "Choose the lawful basis"), *LawfulBasis.choices],
        label="Lawful basis for the check",
        required=False,
    )
    candidate_told = forms.BooleanField(
        label="The candidate has been told that a check will be made", required=False
    )
    platforms = forms.MultipleChoiceField(
        choices=SCREEN_PLATFORMS,
        widget=forms.CheckboxSelectMultiple,
        label="Platforms to look at",
        help_text=(
            "5.3: professional networks only (LinkedIn). Any other needs an SMT member's approved exception."
        ),
        required=False,
    )
    exception_reason = forms.CharField(
        label="Reason for looking beyond professional networks",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckResultForm(forms.Form):
    looked_at = forms.CharField(
        label="What was looked at", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.CharField(
        label="What it found, and what follows", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label="Date of the recruitment decision", widget=forms.DateInput(attrs={"type": "date"})
    )


class PersonSearchForm(forms.Form):
    kind = forms.ChoiceField(choices=PersonKind.choices, label="Who")
    q = forms.CharField(label="Name or ID", max_length=100)


class EraseForm(forms.Form):
    reason = forms.CharField(max_length=200, label="Reason", initial="Retention period ended")
