from __future__ import annotations

from typing import Any

from django import forms

from socialguard.incidents.models import Agency, Category, EntryKind, Outcome, PartyRole, Severity, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); each is checked by content in
    `incidents.evidence`, so this only collects them."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        choices=[("", "Choose…"), *Category.choices],
        label="What kind of concern is it?",
        help_text=(
            "A safeguarding concern, contact with a learner under 18, or a report naming a learner "
            "under 18 goes straight to the Designated Safeguarding Lead."
        ),
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What happened?")
    happened_on = forms.DateField(
        required=False, label="When did it happen?", widget=forms.DateInput(attrs={"type": "date"})
    )
    platform = forms.CharField(
        required=False, max_length=60, label="Where: the platform", help_text="e.g. Instagram"
    )
    url = forms.CharField(required=False, max_length=500, label="Link to the post or page")
    account = forms.CharField(
        required=False, max_length=200, label="The account involved", help_text="e.g. @name"
    )
    reporter_affected = forms.BooleanField(required=False, label="I am the person affected")
    evidence = MultipleFileField(
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"}
        ),
        label="Screenshots or files",
        help_text="PNG, JPEG, GIF, WebP or PDF, up to 10 MB each.",
    )


PARTY_ROLES = PartyRole.choices


class TriageForm(forms.Form):
    severity = forms.ChoiceField(choices=Severity.choices)
    investigator = forms.IntegerField(widget=forms.Select)
    clauses = forms.CharField(
        required=False, help_text="Policy clauses, e.g. 5.2, 5.4", label="Policy clauses"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


ENTRY_KINDS = [(k, v) for k, v in EntryKind.choices if k in ("note", "action", "contact", "evidence")]
WORKING = [(k, v) for k, v in Status.choices if k in ("triaged", "investigating", "awaiting_referral")]
AGENCIES = Agency.choices
OUTCOMES = Outcome.choices
