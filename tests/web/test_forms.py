"""The shared form rendering: required fields are not called optional, each problem is shown
beside its field in words (and listed at the top under the field's label), help text and errors
are tied to their field for screen readers, and the page says it is in British English."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.test import Client

from socialguard.accounts.models import Proposal, ProposalStatus
from socialguard.identity.roles import Role
from socialguard.people.models import Organisation
from tests.conftest import sign_in


class _Fields(HTMLParser):
    """Each `<div class="field">`'s text and element ids, every id on the page, and every
    aria-describedby reference."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, Any]] = []
        self.ids: set[str] = set()
        self.described_by: list[str] = []
        self._depth: list[int] = []  # nesting depth of open divs; -1 marks a field div
        self.top_errors = ""
        self._in_top = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
            if self._in_field():
                self.fields[-1]["ids"].add(a["id"])
        if "aria-describedby" in a:
            self.described_by += a["aria-describedby"].split()
        if tag == "div":
            classes = a.get("class", "").split()
            if "field" in classes:
                self.fields.append({"text": "", "ids": set(a.get("id", "").split())})
                self._depth.append(-1)
            elif "errors" in classes:
                self._in_top = 1
                self._depth.append(-2)
            else:
                self._depth.append(0)

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth and self._depth.pop() == -2:
            self._in_top = 0

    def handle_data(self, data: str) -> None:
        if self._in_field():
            self.fields[-1]["text"] += data
        if self._in_top:
            self.top_errors += data

    def _in_field(self) -> bool:
        return -1 in self._depth

    def field_with(self, element_id: str) -> str:
        """The words of the field box that holds the element with this id."""
        (text,) = [" ".join(f["text"].split()) for f in self.fields if element_id in f["ids"]]
        return text


def _parse(html: str) -> _Fields:
    parsed = _Fields()
    parsed.feed(html)
    return parsed


def test_proposal_form_marks_only_the_optional_fields_optional(
    published: dict[str, Any], client: Client
) -> None:
    sign_in(client, published["boss"].user)
    page = _parse(client.get("/accounts/proposals/new/").content.decode())
    for required in ["id_handle", "id_aim", "id_audience", "id_promotion", "id_lead", "id_visibility"]:
        assert "(optional)" not in page.field_with(required), required
    assert "(optional)" not in page.field_with("id_runners")
    for optional in ["id_shared_mailbox", "id_recovery_codes_holder", "id_security_notes"]:
        assert "(optional)" in page.field_with(optional), optional


def test_a_missing_answer_is_shown_beside_its_field_in_words(
    published: dict[str, Any], client: Client
) -> None:
    Organisation.objects.create(name="DMM", email_domains="dmm.example")
    sign_in(client, published["boss"].user)
    posted = {
        "platform": "instagram",
        "handle": "@dmm",
        "aim": "",
        "audience": "Prospective learners",
        "promotion": "Open day leaflets",
        "runners": [published["tutor"].pk],
        "lead": published["tutor"].pk,
        "two_factor": "on",
        "visibility": "open",
    }
    html = client.post("/accounts/proposals/new/", posted).content.decode()
    page = _parse(html)
    assert "Say the aim of the account" in page.field_with("id_aim_error")
    assert "Aim of the account: Say the aim of the account" in " ".join(page.top_errors.split())
    # With every field answered, the service's own check (two runners) lands beside the runners.
    html = client.post("/accounts/proposals/new/", {**posted, "aim": "Recruitment"}).content.decode()
    page = _parse(html)
    assert "Name at least two staff members" in page.field_with("id_runners_error")
    assert "Runners: Name at least two staff members" in " ".join(page.top_errors.split())
    assert "monospace" not in _site_css()


def test_recording_an_account_shows_each_problem_by_its_label_not_its_code(
    published: dict[str, Any], make_user: Any, client: Client
) -> None:
    smt = make_user(Role.SMT)
    proposal = Proposal.objects.create(
        proposer=published["tutor"], platform="instagram", handle="@dmm", status=ProposalStatus.APPROVED
    )
    sign_in(client, smt)
    response = client.post(
        f"/accounts/proposals/{proposal.pk}/create/",
        {
            "handle": "@dmm",
            "login_email": "someone@gmail.com",
            "visibility": "open",
            "monitor": smt.pk,
            "review_every_days": 30,
        },
    )
    html = response.content.decode()
    assert "two factor enabled" not in html.lower() and "login email:" not in html.lower()
    page = _parse(html)
    assert "Turn on two-factor sign-in" in page.field_with("id_two_factor_enabled_error")
    assert "Two-factor sign-in is on: Turn on two-factor sign-in" in " ".join(page.top_errors.split())
    assert 'value="someone@gmail.com"' in html  # what was typed is kept


class _Sample(forms.Form):
    name = forms.CharField(help_text="As on the register.")
    agree = forms.BooleanField(help_text="Tick to agree.")
    colours = forms.MultipleChoiceField(
        choices=[("r", "Red"), ("g", "Green")], widget=forms.CheckboxSelectMultiple, help_text="Pick two."
    )


def test_help_text_and_errors_are_tied_to_their_fields() -> None:
    for form in [_Sample(), _Sample({"name": ""})]:
        page = _parse(render_to_string("form_fields.html", {"form": form}))
        assert page.described_by, "no field is described"
        missing = [ref for ref in page.described_by if ref not in page.ids]
        assert not missing, f"aria-describedby points at ids the page lacks: {missing}"
    page = _parse(render_to_string("form_fields.html", {"form": _Sample({"name": ""})}))
    assert {"id_name_helptext", "id_name_error", "id_colours_error"} <= set(page.described_by)


def test_pages_say_they_are_in_british_english(client: Client) -> None:
    html = client.get("/account/sign-in/").content.decode()
    assert re.search(r'<html lang="en-GB">', html) and 'name="password"' in html


def _site_css() -> str:
    from pathlib import Path

    import socialguard.web

    return (Path(socialguard.web.__file__).parent / "static/socialguard/site.css").read_text()


def test_every_kind_of_text_box_the_forms_render_wears_the_sites_field_style(
    published: dict[str, Any], make_user: Any, client: Client
) -> None:
    """A number or web-address box left to the browser's default is thin-bordered and tiny next to
    the others (the course form's "Refresher months", the vault's "Change it every (days)")."""
    sign_in(client, make_user(Role.SMT, Role.QUALITY_DIRECTOR))
    kinds: set[str] = set()
    for path in ("/policy/training/courses/new/", "/accounts/proposals/new/", "/cases/report/", "/audit/"):
        kinds |= set(re.findall(r'<input[^>]*\btype="([a-z]+)"', client.get(path).content.decode()))
    kinds -= {"hidden", "checkbox", "radio", "file", "submit"}
    assert "number" in kinds
    css = _site_css()
    styled = css[: css.index("{", css.index("input[type=text]"))]
    assert {k for k in kinds if f"input[type={k}]" not in styled} == set()
