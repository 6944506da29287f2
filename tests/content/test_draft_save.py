"""Drafting (issue 14 items 1 and 2): who may draft, and the check that runs on every save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socialguard.accounts.models import AccountRunner, AccountStatus
from socialguard.audit.models import AuditEvent
from socialguard.content import services
from socialguard.content.models import CheckResult, DraftEvent, State
from tests.content.conftest import GOOD, write


def rules_of(draft: Any) -> list[str]:
    return [f["rule"] for f in CheckResult.objects.get(draft=draft).findings]


def test_a_runner_drafts_and_the_check_runs_and_is_audited(team: dict[str, Any]) -> None:
    draft = write(team)
    assert draft.state == State.DRAFT
    assert draft.author == team["tutor"]
    result = CheckResult.objects.get(draft=draft)
    assert result.verdict == "pass" and result.findings == []
    assert result.content_hash == services.draft_hash(draft)
    event = AuditEvent.objects.get(action="content.draft_created")
    assert event.object_type == "content.draft" and event.object_id == str(draft.pk)
    assert list(draft.events.values_list("kind", flat=True)) == ["created"]


def test_every_save_checks_again(team: dict[str, Any]) -> None:
    draft = write(team)
    services.draft_save(
        actor=team["runner"], draft=draft, text="Our statement on the tribunal claim against DMM ^BT"
    )
    result = CheckResult.objects.get(draft=draft)
    assert result.verdict == "review"
    assert result.findings[0]["rule"] == "CT001" and result.findings[0]["clause"] == "Do's"
    assert DraftEvent.objects.filter(draft=draft, kind="saved").count() == 1


@pytest.mark.parametrize("who", ["outsider", "auditor"])
def test_only_runners_and_smt_draft(team: dict[str, Any], who: str) -> None:
    with pytest.raises((PermissionDenied, ValidationError)):
        write(team, by=who)


def test_smt_drafts_for_any_account(team: dict[str, Any]) -> None:
    draft = write(team, "News from the team ^AB", by="smt")
    assert draft.author == team["boss"]


def test_a_runner_who_has_left_cannot_draft(team: dict[str, Any]) -> None:
    tutor = team["tutor"]
    tutor.leave_date = timezone.localdate() - dt.timedelta(days=1)
    tutor.save()
    with pytest.raises(PermissionDenied):
        write(team)


def test_a_closed_account_takes_no_drafts(team: dict[str, Any]) -> None:
    account = team["account"]
    account.status = AccountStatus.CLOSED
    account.save()
    with pytest.raises(PermissionDenied, match="closed"):
        write(team)


def test_an_empty_post_is_blocked_with_its_clause(team: dict[str, Any]) -> None:
    draft = write(team, "   ")
    (finding,) = CheckResult.objects.get(draft=draft).findings
    assert finding["rule"] == "PB001" and finding["severity"] == "block" and finding["clause"] == "5.1"


def test_bluesky_counts_graphemes_not_characters(team: dict[str, Any]) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, five code points
    fits = family * 296 + " ^BT"
    assert len(fits) > 300
    assert "PB002" not in rules_of(write(team, fits))
    draft = write(team, "a" * 297 + " ^BT")
    finding = next(f for f in CheckResult.objects.get(draft=draft).findings if f["rule"] == "PB002")
    assert "301 characters (graphemes); Bluesky allows 300" in finding["message"]


def test_other_platforms_use_the_table(team: dict[str, Any]) -> None:
    draft = write(team, "x" * 3001, account="linkedin")
    assert "PB002" in rules_of(draft)
    assert "PB002" not in rules_of(write(team, "x" * 3000, account="linkedin"))


def test_a_missing_sign_off_is_blocked_and_says_which(team: dict[str, Any]) -> None:
    draft = write(team, "Applications are open.")
    finding = next(f for f in CheckResult.objects.get(draft=draft).findings if f["rule"] == "PB003")
    assert "^BT" in finding["message"] and finding["severity"] == "block"
    # Another runner's initials are not the author's sign-off.
    assert "PB003" in rules_of(write(team, "Applications are open. ^CH"))
    assert "PB003" not in rules_of(write(team, GOOD))


def test_an_account_with_no_runners_is_named(team: dict[str, Any]) -> None:
    draft = write(team, by="smt", text="Hello ^AB")
    AccountRunner.objects.filter(account=team["account"]).update(active=False)
    services.draft_save(actor=team["smt"], draft=draft, text="Hello again ^AB")
    finding = next(f for f in CheckResult.objects.get(draft=draft).findings if f["rule"] == "PB005")
    assert "no current runners" in finding["message"]


def test_a_reply_must_say_what_it_replies_to(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        write(team, is_reply=True)
    assert "reply_to" in error.value.message_dict


def test_links_must_be_web_addresses(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        write(team, links=["javascript:alert(1)"])
    assert "links" in error.value.message_dict


def test_only_the_author_changes_a_draft(team: dict[str, Any]) -> None:
    draft = write(team)
    with pytest.raises(PermissionDenied):
        services.draft_save(actor=team["runner2"], draft=draft, text="Mine now ^CH")


def test_the_live_check_writes_nothing(team: dict[str, Any]) -> None:
    from socialguard.content.checking import check_text

    before = AuditEvent.objects.count()
    outcome = check_text(
        account=team["account"], author=team["tutor"], text="Happy birthday Sam, born 03/05/2008!"
    )
    assert outcome.verdict == "block"
    assert {f["rule"] for f in outcome.findings} >= {"PD004", "PB003"}
    assert AuditEvent.objects.count() == before and CheckResult.objects.count() == 0


def test_text_longer_than_any_platform_takes_is_refused_before_the_check(team: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as error:
        write(team, "a" * 63_207)
    assert "no platform takes more than 63,206" in error.value.message_dict["text"][0]
    assert not CheckResult.objects.exists()


def test_half_a_character_is_refused_before_the_check(team: dict[str, Any]) -> None:
    # The API's JSON can spell a lone surrogate; neither the models nor PostgreSQL take one.
    with pytest.raises(ValidationError) as error:
        write(team, "Open day \ud800 on Saturday")
    assert "half of a character" in error.value.message_dict["text"][0]
    assert not CheckResult.objects.exists()
