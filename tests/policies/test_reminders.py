"""Reminders: the same list on the home page and in the digest; at most one email per person per
day, delivered through a real SMTP server on 127.0.0.1; escalation to line managers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import LazySettings
from django.test import Client
from django.utils import timezone

from socialguard.policies import reminders, services
from socialguard.policies.models import PolicyVersion
from tests.conftest import sign_in
from tests.policy_fixtures import V2, import_version
from tests.smtp import Inbox

ALL = dict.fromkeys(services.DECLARATION_FIELDS, True)


def _declare_everyone(people: dict[str, Any], version: PolicyVersion) -> None:
    for key in ("boss", "tutor", "volunteer"):
        member = people[key]
        services.declaration_make(actor=member.user, staff=member, version=version, confirmations=ALL)


def _publish_v2(people: dict[str, Any]) -> PolicyVersion:
    v2 = import_version(people["qd"], V2)
    services.version_publish(actor=people["qd"], version=v2)
    return v2


def test_publishing_sends_each_person_one_digest_asking_them_to_declare_again(
    published: dict[str, Any], mailbox: Inbox
) -> None:
    _declare_everyone(published, published["v1"])
    # Before the new version only the Quality Director and SMT have something to do: the overdue review.
    assert reminders.send_digests() == 2
    assert sorted(m["To"] for m in mailbox.messages) == ["qd@dmm.example", "smt@dmm.example"]
    assert "Social Media Policy review (overdue)" in mailbox.messages[0].get_payload(decode=True).decode()
    _publish_v2(published)
    assert reminders.send_digests() == 3  # each member of staff, once
    recipients = sorted(m["To"] for m in mailbox.messages)
    assert recipients == [
        "ada@dmm.example",
        "ben@dmm.example",
        "cara@dmm.example",
        "qd@dmm.example",
        "smt@dmm.example",
    ]
    ben = next(m for m in mailbox.messages if m["To"] == "ben@dmm.example")
    body = ben.get_payload(decode=True).decode()
    assert ben["Subject"] == "socialguard: 1 thing to do"
    assert "Declare that you have read the social media policy (version 2)" in body
    assert (
        "The policy changed since you declared version 1: clauses 4.1 and 5.2 changed; clause 5.6 added."
        in body
    )
    assert "/policy/declare/" in body
    # Another run the same day sends nothing more: at most one digest per person per day.
    assert reminders.send_digests() == 0
    assert len(mailbox.messages) == 5


def test_unchanged_reminders_wait_a_week_and_new_ones_go_next_day(
    published: dict[str, Any], mailbox: Inbox
) -> None:
    ben = published["tutor"].user
    today = timezone.localdate()
    assert reminders.send_digests(users=[ben], today=today) == 1
    assert not reminders.digest_for(ben, today + dt.timedelta(days=1)).send
    assert "Nothing new" in reminders.digest_for(ben, today + dt.timedelta(days=1)).why
    assert reminders.digest_for(ben, today + dt.timedelta(days=7)).send
    _publish_v2(published)  # a new version: a new reminder, so tomorrow's email goes
    assert reminders.digest_for(ben, today + dt.timedelta(days=1)).send
    assert len(mailbox.messages) == 1


def test_nothing_owed_means_no_email(published: dict[str, Any], mailbox: Inbox) -> None:
    _declare_everyone(published, published["v1"])
    assert reminders.send_digests(users=[published["tutor"].user]) == 0
    assert mailbox.messages == []
    assert reminders.digest_for(published["tutor"].user).why == "Nothing needs you, so no email is sent."


def test_line_manager_hears_after_the_escalation_time(
    published: dict[str, Any], settings: LazySettings
) -> None:
    boss, v1 = published["boss"], published["v1"]
    services.declaration_make(actor=boss.user, staff=boss, version=v1, confirmations=ALL)
    assert not [r for r in reminders.reminders_for(boss.user) if r.key.startswith("escalate:")]
    settings.DECLARATION_ESCALATION_DAYS = 14
    PolicyVersion.objects.filter(pk=v1.pk).update(published_at=timezone.now() - dt.timedelta(days=20))
    escalations = [r for r in reminders.reminders_for(boss.user) if r.key.startswith("escalate:")]
    assert len(escalations) == 1
    assert escalations[0].title == "2 of your team have not declared the policy"
    assert "Cara Helper, Ben Tutor" in escalations[0].detail
    own = [r for r in reminders.reminders_for(published["tutor"].user) if r.key.startswith("declare:")]
    assert own[0].urgency == "overdue"


def test_review_reminders_go_to_the_quality_director_and_smt_only(published: dict[str, Any]) -> None:
    for person, expected in [
        (published["qd"], True),
        (published["smt"], True),
        (published["tutor"].user, False),
    ]:
        keys = [r.key for r in reminders.reminders_for(person)]
        assert any(k.startswith("review:overdue") for k in keys) is expected


def test_home_page_and_digest_preview_show_the_same_items(published: dict[str, Any], client: Client) -> None:
    sign_in(client, published["tutor"].user)
    home = client.get("/").content.decode()
    assert "Declare that you have read the social media policy (version 1)" in home
    preview = client.get("/policy/reminders/").content.decode()
    assert "Declare that you have read the social media policy (version 1)" in preview
    assert "This goes out with the next daily run." in preview


def _visible_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_overdue_review_is_said_once_and_the_quality_director_is_told_they_start_it(
    published: dict[str, Any],
) -> None:
    qd = _visible_text(sign_in(Client(), published["qd"]).get("/").content.decode())
    smt = _visible_text(sign_in(Client(), published["smt"]).get("/").content.decode())
    assert "overdue overdue" not in qd and "overdue overdue" not in smt
    assert "Social Media Policy review overdue Review overdue since" in qd and "You start the review." in qd
    assert "Quality Director starts" not in qd and "The Quality Director starts the review." in smt
    body = "".join(_body_lines(published["qd"]))
    assert "overdue (overdue)" not in body


def _body_lines(user: Any) -> list[str]:
    return reminders._body(user, reminders.reminders_for(user)).splitlines()
