from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from socialguard.ids import parse_id
from socialguard.people.models import StaffMember
from socialguard.people.search import name_search
from socialguard.policies.models import Course, PolicyVersion
from socialguard.policies.selectors import staff_in_post

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # what <input type=date> reads

# The policy's Declaration section asks for three confirmations; these are our own words for them.
CONFIRMATIONS = {
    "read_and_understood": "I have read the social media policy (version {n}) and I understand it.",
    "agrees_to_comply": "I agree to follow it for as long as I work or volunteer here.",
    "accepts_monitoring": (
        "I know and accept that the organisation may monitor internet and social media use, as the "
        "policy describes, and may act if the policy is not followed."
    ),
}


class DeclarationForm(forms.Form):
    def __init__(self, version: PolicyVersion, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, text in CONFIRMATIONS.items():
            self.fields[name] = forms.BooleanField(
                label=text.format(n=version.number),
                required=True,
                error_messages={"required": "Tick this to confirm it."},
            )


class PolicyImportForm(forms.Form):
    file = forms.FileField(label="Policy file", help_text="Markdown (.md) or Word (.docx).")
    title = forms.CharField(
        required=False, max_length=200, help_text="Leave empty to use the document's own title."
    )


class PublishForm(forms.Form):
    issue_date = forms.DateField(widget=DATE)
    next_review_date = forms.DateField(widget=DATE, help_text="Usually a year after the issue date.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issue, review = data.get("issue_date"), data.get("next_review_date")
        if issue and review and review <= issue:
            self.add_error("next_review_date", "The next review must come after the issue date.")
        return data


class CommentForm(forms.Form):
    version = forms.ModelChoiceField(
        queryset=PolicyVersion.objects.none(), label="Version", empty_label="Choose a version"
    )
    # Suggestions from the page's <datalist> as the reviewer types: a number or a heading
    # (outline.find_clause turns either into the clause's key, which is what is stored).
    clause = forms.CharField(
        max_length=120,
        label="Clause (number or heading)",
        help_text="For example 5.2, or Acceptance of friends for a clause without a number.",
        widget=forms.TextInput(attrs={"list": "review-clauses", "autocomplete": "off"}),
    )
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment")

    def __init__(self, versions: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]


class ReconfirmForm(forms.Form):
    next_review_date = forms.DateField(widget=DATE)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why no change is needed"
    )

    def clean_next_review_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["next_review_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError("Choose a date in the future.")
        return day


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ["code", "name", "description", "required_for", "refresher_months", "grace_days", "active"]
        # The model's field names say nothing to whoever adds a course: say what each is for.
        help_texts = {
            "code": "A short name without spaces, e.g. smp-induction: the course column of a training CSV "
            "uses it.",
            "grace_days": "Days someone has to complete it the first time, from their start or from when "
            "it became required for them.",
        }


class CompletionForm(forms.Form):
    """The person is found by name on the server (the training record page's "Find" box), so the
    list holds a few matches, not every member of staff: the page stays small at any size, and the
    find works with or without JavaScript (htmx only refreshes the list as one types)."""

    SHOWN = 20  # people in the list at once

    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), label="Staff member", empty_label="Choose a person"
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.filter(active=True), label="Course", empty_label="Choose a course"
    )
    completed_on = forms.DateField(widget=DATE, label="Completed on")
    evidence = forms.CharField(
        required=False, max_length=500, help_text="Certificate number, link or where the record is kept."
    )

    def __init__(self, *args: Any, find: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        in_post = staff_in_post().order_by("last_name", "first_name", "pk")
        field.queryset = in_post  # type: ignore[attr-defined]  # what may be chosen: any in post
        find = find.strip()
        matches = name_search(in_post, find)
        shown = list(matches[: self.SHOWN + 1])
        more = len(shown) > self.SHOWN
        shown = shown[: self.SHOWN]
        chosen = parse_id(str(self["staff"].value() or ""))
        if chosen is not None and chosen not in {m.pk for m in shown}:
            # The person already chosen (a link's ?staff=, a form sent back with an error) stays.
            shown = list(in_post.filter(pk=chosen)) + shown
        label = field.label_from_instance  # type: ignore[attr-defined]
        field.widget.choices = [("", "Choose a person"), *((str(m.pk), label(m)) for m in shown)]
        total = matches.count() if more else len(shown)
        # Said beside the find box (a live region, so a screen reader hears it as the list
        # changes) and read with the list.
        self.found = _found_help(find, total, more, self.SHOWN)
        field.widget.attrs["aria-describedby"] = "find_status"


def _found_help(find: str, total: int, more: bool, shown: int) -> str:
    if not find:
        if more:
            return f"The first {shown} of {total} staff in post by surname: find the person by name."
        return f"All {total} staff in post, by surname."
    if not total:
        return f"No one in post matches “{find}”: try part of their name, or their email or staff ID."
    if more:
        return f"The first {shown} of {total} who match “{find}”: add more of the name."
    return f"{total} {'person matches' if total == 1 else 'people match'} “{find}”."


class CsvImportForm(forms.Form):
    file = forms.FileField(label="CSV file")
