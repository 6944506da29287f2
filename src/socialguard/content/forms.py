from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from socialguard.accounts.models import OrgAccount
from socialguard.people.models import Guardian, Learner, StaffMember

TEXT_HELP = "Findings appear below as you type; saving runs the same check."


class ComposeForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=OrgAccount.objects.none(),
        label="Account to post on",
        empty_label="Choose an account",
        error_messages={"required": "Choose the account to post on."},
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 7}),
        label="Post",
        help_text=TEXT_HELP,
        error_messages={"required": "Write the post: it is empty."},
    )
    links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Links to attach",
        help_text="One web address per line (https://…), beside any in the text.",
    )
    is_reply = forms.BooleanField(required=False, label="This is a reply")
    reply_to = forms.CharField(
        max_length=500, required=False, label="Replying to", help_text="The link to the post you reply to."
    )
    reply_to_criticism = forms.BooleanField(
        required=False,
        label="It answers criticism of the organisation",
        help_text="Policy 5.1: only with SMT's express approval; an SMT member must approve it.",
    )
    publish_date = forms.DateField(
        required=False,
        label="Publish on (date)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave the date and time blank to publish as soon as it is approved.",
    )
    publish_time = forms.TimeField(
        required=False, label="Publish at (time, UK)", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, accounts: Any = None, fixed_account: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_account:
            del self.fields["account"]  # the draft's account never changes
        else:
            self.fields["account"].queryset = accounts if accounts is not None else OrgAccount.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("publish_date"), data.get("publish_time")
        if day and not time:
            self.add_error("publish_time", "Give the time to publish as well as the day.")
        elif time and not day:
            self.add_error("publish_date", "Give the day to publish as well as the time.")
        elif day and time:
            when = timezone.make_aware(dt.datetime.combine(day, time))
            if when < timezone.now() - dt.timedelta(minutes=1):
                self.add_error(
                    "publish_date", "That time has passed: choose one to come, or leave both blank."
                )
            data["publish_at"] = when
        data.setdefault("publish_at", None)
        if data.get("is_reply") and not (data.get("reply_to") or "").strip():
            self.add_error("reply_to", "Say which post this replies to (paste its link).")
        return data

    def link_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("links") or "").splitlines() if line.strip()]

    @staticmethod
    def initial_for(draft: Any) -> dict[str, Any]:
        local = timezone.localtime(draft.publish_at) if draft.publish_at else None
        return {
            "text": draft.text,
            "links": "\n".join(draft.links or []),
            "is_reply": draft.is_reply,
            "reply_to": draft.reply_to,
            "reply_to_criticism": draft.reply_to_criticism,
            "publish_date": local.date() if local else None,
            "publish_time": local.time().replace(second=0, microsecond=0) if local else None,
        }


def register_choices(user: Any = None) -> list[tuple[str, str]]:
    """Everyone in the register, as "kind:id" with a name to pick by (no dates of birth), and
    each learner's photo consent: in full for those who may read the consent register, only
    "may be posted: yes/no" for everyone else (consent.access)."""
    from socialguard.consent import access as consent_access
    from socialguard.consent.selectors import states_of_learners

    full = consent_access.may_view(user)
    learners = list(Learner.objects.order_by("last_name", "first_name"))
    states = states_of_learners(learners)
    choices: list[tuple[str, str]] = []
    for learner in learners:
        state = states[learner.external_id]
        status = state.words if full else f"may be posted: {'yes' if state.may_post else 'no'}"
        choices.append((f"learner:{learner.external_id}", f"{learner.full_name} (learner) — {status}"))
    for kind, label, model in (("staff", "staff", StaffMember), ("guardian", "parent or guardian", Guardian)):
        for person in model.objects.order_by("last_name", "first_name"):
            choices.append((f"{kind}:{person.external_id}", f"{person.full_name} ({label})"))
    return choices


class MediaForm(forms.Form):
    file = forms.FileField(
        label="Photo or video",
        help_text="PNG, JPEG, WebP, GIF, MP4, MOV or WebM. Photos are saved without their location data.",
        error_messages={"required": "Choose the photo or video to attach."},
    )
    alt_text = forms.CharField(
        max_length=1000,
        required=False,
        label="Description for people who cannot see it",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    people_shown = forms.MultipleChoiceField(
        required=False,
        label="People shown in it",
        help_text="Name everyone who can be recognised, so the check can see whose consent is needed.",
        widget=forms.CheckboxSelectMultiple(attrs={"data-filter": "Find a person"}),
    )
    shown_answer = forms.ChoiceField(
        required=False,
        label="If you named nobody",
        choices=[
            ("", "I named everyone who can be recognised"),
            ("none", "It shows no identifiable people"),
            ("crowd", "It shows a crowd at a public event"),
        ],
        widget=forms.RadioSelect,
        help_text="socialguard counts the faces in a photo: account for each one.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people_shown"].choices = register_choices(user)  # type: ignore[attr-defined]

    def people(self) -> list[dict[str, str]]:
        refs = []
        for value in self.cleaned_data.get("people_shown") or []:
            kind, _, ref = str(value).partition(":")
            refs.append({"kind": kind, "id": ref})
        return refs


class CommentForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What should change",
        error_messages={"required": "Say what should change."},
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why this is acceptable",
        help_text="Shown wherever the post is shown, and kept in the audit trail.",
        error_messages={"required": "Say why this finding is acceptable here."},
    )


class RecordForm(forms.Form):
    url = forms.CharField(
        max_length=500,
        label="Link to the published post",
        help_text="Open the post on the platform and copy its address.",
        required=False,
    )


class ArchiveForm(forms.Form):
    q = forms.CharField(
        required=False, label="Words in the post", widget=forms.TextInput(attrs={"type": "search"})
    )
    account = forms.ModelChoiceField(
        queryset=OrgAccount.objects.none(), required=False, empty_label="Any account"
    )
    author = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), required=False, label="Drafted by", empty_label="Anyone"
    )
    category = forms.ChoiceField(required=False, label="Finding about")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, accounts: Any, authors: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["author"].queryset = authors  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", "Any"), *[(c, c.replace("-", " ")) for c in categories]]  # type: ignore[attr-defined]
