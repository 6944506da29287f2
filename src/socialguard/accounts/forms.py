from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from socialguard.accounts.models import Platform, SecretKind, Visibility
from socialguard.accounts.selectors import FOUND_MAX, SHOW_ALL
from socialguard.accounts.services import PROPOSAL_FIELDS, RunnerChoice
from socialguard.identity.models import User
from socialguard.ids import parse_id
from socialguard.people.access import in_directory
from socialguard.people.models import StaffMember

# A directory of up to SHOW_ALL people is listed in full (a box per person, filtered in the page by
# picker.js); a longer one is searched: the form lists the people found (FOUND_MAX at most) and
# those already chosen, never all of them (at 10,000 staff the full list was a 2 MB page).


def _ids(values: Any) -> list[int]:
    """Staff ids from what was sent or given as initial values (ids, strings or staff members)."""
    texts = [str(getattr(v, "pk", v)) for v in (values if isinstance(values, list | tuple) else [values])]
    return [number for number in map(parse_id, texts) if number is not None]


class ProposalForm(forms.Form):
    # Required here as in the service (policy 5.5), so the form marks them and says what is missing
    # beside each one; only the security details below are optional, as long as one of them is given.
    platform = forms.ChoiceField(
        choices=Platform.choices, error_messages={"required": "Choose the platform."}
    )
    handle = forms.CharField(
        max_length=120,
        label="Proposed name or handle",
        error_messages={"required": "Say the proposed name or handle (policy 5.5)."},
    )
    aim = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Aim of the account",
        error_messages={"required": "Say the aim of the account (policy 5.5)."},
    )
    audience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Intended audience",
        error_messages={"required": "Say the intended audience (policy 5.5)."},
    )
    promotion = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How it will be promoted",
        error_messages={"required": "Say how the account will be promoted (policy 5.5)."},
    )
    runners = forms.ModelMultipleChoiceField(
        queryset=StaffMember.objects.none(),
        # data-filter: picker.js adds a search box once the list is long.
        widget=forms.CheckboxSelectMultiple(attrs={"data-filter": "Find runners"}),
        help_text="At least two people (policy 5.5).",
        error_messages={"required": "Name at least two staff members who will run the account (policy 5.5)."},
    )
    lead = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        label="Lead runner",
        empty_label="Choose the lead",
        widget=forms.Select(attrs={"data-filter": "Find the lead"}),
        error_messages={"required": "Choose one of the runners as the lead."},
    )
    two_factor = forms.BooleanField(required=False, initial=True, label="Two-factor sign-in will be on")
    shared_mailbox = forms.EmailField(required=False, label="Role mailbox it will sign in with")
    recovery_codes_holder = forms.CharField(
        required=False, max_length=200, label="Who holds the recovery codes"
    )
    security_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Other security measures"
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, label="Open or private/closed")

    def __init__(
        self, *args: Any, found: QuerySet[StaffMember] | None = None, find: str = "", **kwargs: Any
    ) -> None:
        """`found`: the directory matched against `find` (people.access.directory), listed when the
        directory is too long to list in full."""
        super().__init__(*args, **kwargs)
        people = in_directory()  # the people.access directory: the API's lookup lists the same
        self.fields["runners"].queryset = people  # type: ignore[attr-defined]
        self.fields["lead"].queryset = people  # type: ignore[attr-defined]
        self.find = find
        self.searching = people.count() > SHOW_ALL
        if self.searching:
            self._list_only_the_chosen_and_found(people, found)

    def _list_only_the_chosen_and_found(
        self, people: QuerySet[StaffMember], found: QuerySet[StaffMember] | None
    ) -> None:
        if self.is_bound:
            chosen = _ids(self.data.getlist("runners")) + _ids(self.data.get("lead"))  # type: ignore[attr-defined]
        else:
            chosen = _ids(self.initial.get("runners") or []) + _ids(self.initial.get("lead"))
        shown = list(people.filter(pk__in=chosen))
        hits = list(found.exclude(pk__in=chosen)[: FOUND_MAX + 1]) if found is not None and self.find else []
        self.more_found = len(hits) > FOUND_MAX
        self.found_count = min(len(hits), FOUND_MAX)
        shown += hits[:FOUND_MAX]
        choices = [(p.pk, str(p)) for p in shown]
        runners, lead = self.fields["runners"], self.fields["lead"]
        runners.widget.choices = choices
        lead.widget.choices = [("", "Choose the lead"), *choices]
        # picker.js fetches matches from the search URL into the boxes, and keeps the lead's
        # options to the people in the list; the lead's own filter box would fight that.
        lead.widget.attrs.pop("data-filter", None)
        lead.widget.attrs["data-follows"] = "id_runners"
        runners.widget.attrs.pop("data-filter", None)
        runners.finder = {  # type: ignore[attr-defined]
            "url": reverse("accounts:find_people"),
            "label": "Find runners by name or staff ID",
            "value": self.find,
            "found": self.found_count,
            "more": self.more_found,
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PROPOSAL_FIELDS}

    def runner_choices(self) -> list[RunnerChoice]:
        lead = self.cleaned_data.get("lead")
        chosen = list(self.cleaned_data.get("runners") or [])
        if lead is not None and lead not in chosen:
            chosen.append(lead)
        return [RunnerChoice(staff, staff == lead) for staff in chosen]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, help_text="Required to reject."
    )


class CreateAccountForm(forms.Form):
    handle = forms.CharField(max_length=120)
    url = forms.URLField(required=False, label="Profile address", assume_scheme="https")
    login_email = forms.EmailField(label="Login email (a role mailbox)")
    two_factor_enabled = forms.BooleanField(required=False, label="Two-factor sign-in is on")
    visibility = forms.ChoiceField(choices=Visibility.choices)
    monitor = forms.ModelChoiceField(
        queryset=User.objects.none(), label="SMT monitor", empty_label="Choose a member of SMT"
    )
    review_every_days = forms.IntegerField(
        min_value=7, max_value=365, initial=30, label="Review every (days)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            is_active=True, role_assignments__role="smt"
        ).distinct()


class SecretForm(forms.Form):
    kind = forms.ChoiceField(choices=SecretKind.choices)
    label = forms.CharField(required=False, max_length=120)
    value = forms.CharField(widget=forms.PasswordInput(render_value=False), label="Secret", strip=False)
    rotate_every_days = forms.IntegerField(
        required=False, min_value=7, initial=180, label="Change it every (days)"
    )


class RevealForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Why do you need it?")
    for_staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        label="Handing it to",
        empty_label="Nobody: I use it myself",
        help_text="The runner who will use it; it is changed when they leave.",
    )

    def __init__(self, account: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["for_staff"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            runs_accounts__account=account, runs_accounts__active=True
        ).distinct()

    code = forms.CharField(
        required=False,
        max_length=6,
        label="Authenticator code",
        help_text="Needed unless you confirmed it in the last few minutes.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Comment")
