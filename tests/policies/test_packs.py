"""The organisation's rules pack held in the database: validated, versioned, audited, previewed,
and used at once by POST /api/v1/check and the compose page's live check; clause mapping onto
the imported policy; reviewers' overrides and dismissals counted on the rule-quality page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialguard.audit.models import AuditEvent
from socialguard.content import services as content_services
from socialguard.content.checking import check_text
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from socialguard.policies import packs, services
from socialguard.policies.engine import forget_policy_engine, policy_engine
from socialguard.policies.models import FindingDismissal, RulesPack
from socialguard.rules.pack import UNMAPPED, PackError
from tests.conftest import sign_in
from tests.content.conftest import fresh_engine_cache, media_dir, platform, submitted, team, write
from tests.policy_fixtures import V1, import_version

__all__ = ["fresh_engine_cache", "media_dir", "platform", "team"]  # fixtures used here

pytestmark = pytest.mark.django_db

DAMN = "What a crap good result for our learners ^BT"
REMOVE_DAMN = "[remove]\nprofanity = ['crap']\n"


@pytest.fixture
def qd(team: dict[str, Any], make_user: Any) -> Any:
    return make_user(Role.QUALITY_DIRECTOR, email="quinn@dmm.example", name="Quinn Director")


def api_check(user: Any, text: str) -> list[dict[str, Any]]:
    secret = token_create(user=user, name="t", scope="read_write").secret
    response = Client().post(
        "/api/v1/check",
        json.dumps({"posts": [{"text": text}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.content
    findings: list[dict[str, Any]] = response.json()[0]["findings"]
    return findings


def compose_check(team: dict[str, Any], text: str) -> str:
    response = sign_in(Client(), team["runner"]).post(
        reverse("posts:check"), {"account": team["account"].pk, "text": text}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_pack_saved_in_the_web_changes_api_and_compose_check_at_once_and_is_audited(
    team: dict[str, Any], qd: Any
) -> None:
    assert "OF001" in {f["rule"] for f in api_check(team["runner"], DAMN)}
    assert "OF001" in compose_check(team, DAMN)
    policy_engine()  # compiled and cached before the save: the save must replace it

    page = sign_in(Client(), qd)
    response = page.post(reverse("policies:rules_pack"), {"text": REMOVE_DAMN, "action": "save"})
    assert response.status_code == 302

    assert "OF001" not in {f["rule"] for f in api_check(team["runner"], DAMN)}
    assert "OF001" not in compose_check(team, DAMN)
    saved = RulesPack.objects.get()
    assert saved.number == 1 and saved.created_by == qd
    event = AuditEvent.objects.get(action="rules.pack_saved")
    assert event.actor_id == qd.pk and event.object_id == str(saved.pk)
    assert event.after["version"] == 1
    assert "added [remove] profanity" in event.after["changes"]

    # A second save is version 2, with what changed against version 1.
    services.pack_save(actor=qd, text=REMOVE_DAMN + "[severity]\nCT001 = 'block'\n")
    latest = AuditEvent.objects.filter(action="rules.pack_saved").order_by("-seq").first()
    assert latest is not None and latest.after["version"] == 2
    assert latest.after["changes"] == "added [severity] CT001"
    assert "OF001" not in {f["rule"] for f in api_check(team["runner"], DAMN)}  # the newest is used

    # Saving the same text again is no mistake in the pack: a plain note, no version, no event.
    same = REMOVE_DAMN + "[severity]\nCT001 = 'block'\n"
    html = page.post(reverse("policies:rules_pack"), {"text": same, "action": "save"}, follow=True)
    text = html.content.decode()
    assert "Nothing to save: this is version 2 as it stands." in text
    assert "The pack cannot be used yet" not in text
    assert (
        RulesPack.objects.count() == 2 and AuditEvent.objects.filter(action="rules.pack_saved").count() == 2
    )


def test_pack_page_refuses_unknown_names_with_line_section_key_and_reason(
    team: dict[str, Any], qd: Any
) -> None:
    page = sign_in(Client(), qd)
    text = "[lexicons]\nprofanty = ['x']\n[severity]\nXX001 = 'block'\nOF001 = 'high'\n"
    for action in ("preview", "save"):
        html = page.post(reverse("policies:rules_pack"), {"text": text, "action": action}).content.decode()
        assert "pack version 1, line 2: [lexicons] profanty: no lexicon has this name" in html
        assert "line 4: [severity] XX001: no rule has this code" in html
        assert "line 5: [severity] OF001: &#x27;high&#x27; is not a severity" in html
    assert not RulesPack.objects.exists()
    with pytest.raises(PackError):
        services.pack_save(actor=qd, text=text)


# Over rules.pack.MAX_PACK_CHARS (200,000): a long word list, the way the tester's 2.2 MB pack was.
HUGE = "[lexicons]\nprofanity = [" + ", ".join(f"'word{i:06d}'" for i in range(17_000)) + "]\n"
TOO_LONG = f"the pack is {len(HUGE):,} characters long; a pack may have at most 200,000"


def test_the_web_refuses_a_pack_over_the_size_limit_saying_its_size_and_the_limit(
    team: dict[str, Any], qd: Any
) -> None:
    page = sign_in(Client(), qd)
    for action in ("preview", "save"):
        response = page.post(reverse("policies:rules_pack"), {"text": HUGE, "action": action})
        assert response.status_code == 200
        assert f"pack version 1: {TOO_LONG}" in response.content.decode()
    assert not RulesPack.objects.exists()
    assert not AuditEvent.objects.filter(action="rules.pack_saved").exists()
    with pytest.raises(PackError, match="a pack may have at most 200,000"):
        services.pack_save(actor=qd, text=HUGE)


def test_the_web_refuses_an_entry_that_does_nothing_naming_section_key_and_entry(
    team: dict[str, Any], qd: Any
) -> None:
    page = sign_in(Client(), qd)
    text = "[lexicons]\ninsult = ['*']\n[links]\nallowed_domains = ['']\n"
    html = page.post(reverse("policies:rules_pack"), {"text": text, "action": "save"}).content.decode()
    assert "pack version 1, line 2: [lexicons] insult: &#x27;*&#x27; is empty" in html
    assert "pack version 1, line 4: [links] allowed_domains: &#x27;&#x27; is empty" in html
    assert not RulesPack.objects.exists()
    assert not AuditEvent.objects.filter(action="rules.pack_saved").exists()


def test_a_version_saved_before_the_stricter_checks_is_still_used(team: dict[str, Any], qd: Any) -> None:
    """An empty term saved earlier does nothing, as it always did; the pack is not dropped for the
    base pack over it (only the next save must fix it)."""
    RulesPack.objects.create(number=1, text=REMOVE_DAMN + "[lexicons]\ninsult = ['']\n", created_by=qd)
    pack, source = packs.rules_pack()
    assert source == "pack version 1" and "crap" not in pack.lexicons["profanity"]


def test_the_audit_event_of_a_save_carries_a_bounded_summary_as_the_version_does(
    team: dict[str, Any], qd: Any
) -> None:
    first = services.pack_save(actor=qd, text="[lexicons]\nprofanity = ['blimey']\n")
    terms = [f"blimeyword{i:04d}" for i in range(500)]  # a change names each: "+blimeyword0000, ..."
    version = services.pack_save(actor=qd, text=f"[lexicons]\nprofanity = {terms!r}\n")
    assert len(packs.diff_summary(first.text, version.text)) > 8000
    event = AuditEvent.objects.filter(action="rules.pack_saved").order_by("-seq").first()
    assert event is not None and event.after["version"] == 2
    changes = event.after["changes"]
    assert len(changes) == services.PACK_SUMMARY_CHARS == 1000
    assert changes == version.summary and changes.endswith("…")
    assert changes.startswith("changed [lexicons] profanity (+blimeyword0000, +blimeyword0001")


def test_only_the_quality_director_edits_the_pack_smt_and_auditor_read_it(
    team: dict[str, Any], qd: Any
) -> None:
    url = reverse("policies:rules_pack")
    for who in ("smt", "auditor"):
        client = sign_in(Client(), team[who])
        assert client.get(url).status_code == 200
        assert client.post(url, {"text": REMOVE_DAMN, "action": "save"}).status_code == 403
        assert client.get(reverse("policies:rule_quality")).status_code == 200
    staff = sign_in(Client(), team["runner"])
    assert staff.get(url).status_code == 403
    assert staff.get(reverse("policies:rule_quality")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.pack_save(actor=team["smt"], text=REMOVE_DAMN)
    assert not RulesPack.objects.exists()


def test_preview_lists_posts_newly_flagged_and_no_longer_flagged_per_rule(
    team: dict[str, Any], qd: Any
) -> None:
    craped = write(team, DAMN)
    blimey = write(team, "Blimey, what a day at the awards ^BT")
    plain = write(team, "Applications open on Monday ^BT")
    proposed = packs.load_text(REMOVE_DAMN + "[lexicons]\nprofanity = ['blimey']\n")
    preview = packs.preview(proposed)
    by_rule = {r.rule: r for r in preview.rules}
    assert [p.id for p in by_rule["OF001"].cleared] == [craped.pk]
    assert [p.id for p in by_rule["OF001"].newly] == [blimey.pk]
    assert plain.pk not in {p.id for p in preview.posts}
    assert preview.checked_drafts == 3
    # The page shows the same before anything is saved.
    html = (
        sign_in(Client(), qd)
        .post(
            reverse("policies:rules_pack"),
            {"text": REMOVE_DAMN + "[lexicons]\nprofanity = ['blimey']\n", "action": "preview"},
        )
        .content.decode()
    )
    assert "2 would be flagged differently" in html and "of them with another verdict" in html
    assert "+profanity = [&#x27;blimey&#x27;]" in html  # the change, line by line
    # (with "crap" gone, the classifier's tone rule may still send the post to review)
    # The Quality Director runs no account: the drafts are named, not linked (they could not open them).
    assert f"Draft {craped.pk}: block → <strong>" in html and f"/posts/{craped.pk}/" not in html
    assert html.split(f"Draft {craped.pk}: ")[1].split("<br>")[0].endswith("no longer flagged by OF001")
    assert f"Draft {blimey.pk}: pass → <strong>block</strong>; newly flagged by OF001" in html
    # Nor is their text shown: a draft may hold what must never go out (a disclosure, say).
    assert "what a day at the awards" not in html
    assert html.count("(its text is not shown: you may not open this draft)") == 2
    smt_html = sign_in(Client(), team["smt"]).get(reverse("policies:rules_pack")).content.decode()
    assert "Preview the changes" not in smt_html  # SMT read the pack; the Quality Director edits it
    assert not RulesPack.objects.exists()


def test_findings_cite_the_organisations_clause_and_say_when_a_rule_maps_to_none(
    team: dict[str, Any], qd: Any
) -> None:
    version = import_version(qd, V1.replace("## 5.2 Expected standards", "## 7.3 Conduct online"))
    services.version_publish(
        actor=qd, version=version, issue_date=dt.date(2026, 1, 1), next_review_date=dt.date(2027, 1, 1)
    )
    # A number the policy lacks is refused, naming the version.
    with pytest.raises(PackError) as err:
        services.pack_save(actor=qd, text="[clauses]\n'5.2' = '9.9'\n")
    assert "line 2: [clauses] 5.2: your policy (version 1) has no clause '9.9'" in str(err.value)

    services.pack_save(actor=qd, text="[clauses]\n'5.2' = '7.3'\n")
    text = "What a crap good result. Our statement on the tribunal claim against DMM ^BT"
    findings = {f["rule"]: f for f in api_check(team["runner"], text)}
    assert findings["OF001"]["clause"] == "7.3"
    assert findings["OF001"]["clause_text"].startswith("7.3 Conduct online: Be professional.")
    assert findings["CT001"]["clause"] == "" and findings["CT001"]["clause_text"] == UNMAPPED
    assert "This rule maps to no clause of your policy" in compose_check(team, text)
    html = sign_in(Client(), qd).get(reverse("policies:rules_pack")).content.decode()
    assert "map to no clause of your policy" in html and "<strong>7.3</strong>" in html


def test_publishing_checks_cite_the_organisations_clause_too(team: dict[str, Any], qd: Any) -> None:
    version = import_version(qd, V1.replace("## 5.2 Expected standards", "## 7.3 Conduct online"))
    services.version_publish(
        actor=qd, version=version, issue_date=dt.date(2026, 1, 1), next_review_date=dt.date(2027, 1, 1)
    )
    services.pack_save(actor=qd, text="[clauses]\nPB003 = '7.3'\n")
    unsigned = "Results day is on Thursday: come and celebrate with us"
    author = team["account"].runners.get(staff__user=team["runner"]).staff
    findings = {
        f["rule"]: f
        for f in check_text(account=team["account"], author=author, text=unsigned + "x" * 400).findings
    }
    # PB003 (the Do's in the engine's numbering) cites the clause the pack maps it to, with its text.
    assert findings["PB003"]["clause"] == "7.3"
    assert findings["PB003"]["clause_text"].startswith("7.3 Conduct online: Be professional.")
    # PB002 (5.1) is not mapped by this pack: it says so instead of citing another policy's 5.1.
    assert findings["PB002"]["clause"] == "" and findings["PB002"]["clause_text"] == UNMAPPED
    assert "This rule maps to no clause of your policy" in compose_check(team, unsigned + "x" * 400)
    # A pack may name the publishing checks' codes in [clauses]; a code nothing has is refused.
    with pytest.raises(PackError) as err:
        services.pack_save(actor=qd, text="[clauses]\nPB999 = '7.3'\n")
    assert "PB999: neither a rule code nor a clause the rules cite" in str(err.value)


def test_without_a_mapping_a_rule_whose_clause_the_policy_lacks_cites_none(
    team: dict[str, Any], qd: Any
) -> None:
    version = import_version(qd, V1)  # has 5.2, not 5.1 nor the Do's
    services.version_publish(
        actor=qd, version=version, issue_date=dt.date(2026, 1, 1), next_review_date=dt.date(2027, 1, 1)
    )
    forget_policy_engine()
    findings = {
        f["rule"]: f
        for f in api_check(team["runner"], "crap. Our statement on the tribunal claim against DMM")
    }
    assert findings["OF001"]["clause"] == "5.2"
    assert findings["OF001"]["clause_text"].startswith("5.2 Expected standards: Be professional.")
    assert findings["CT001"]["clause_text"] == UNMAPPED  # "Do's": not a clause of this policy


def test_api_gets_validates_previews_and_saves_the_pack(team: dict[str, Any], qd: Any) -> None:
    secret = token_create(user=qd, name="t", scope="read_write").secret
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client = Client()

    def post(path: str, body: Any) -> Any:
        return client.post(
            f"/api/v1/rules{path}", json.dumps(body), content_type="application/json", **headers
        )

    bad = post("/pack/validate", {"text": "[allow]\nslurs = ['x']"}).json()
    assert bad["valid"] is False
    assert bad["errors"][0].startswith("pack, line 2: [allow] slurs: no lexicon has this name")
    write(team, DAMN)
    preview = post("/pack/preview", {"text": REMOVE_DAMN}).json()
    assert preview["rules"][0]["rule"] == "OF001" and len(preview["rules"][0]["no_longer_flagged"]) == 1
    assert post("/pack", {"text": "[severity]\nZZ9 = 'x'"}).status_code == 400
    # The size limit is the pack's own, as in the web: said with the rest of the problems.
    assert post("/pack/validate", {"text": HUGE}).json() == {"valid": False, "errors": [f"pack: {TOO_LONG}"]}
    for path, source in (("/pack/preview", "pack"), ("/pack", "pack version 1")):
        too_long = post(path, {"text": HUGE})
        assert too_long.status_code == 400 and too_long.json()["detail"] == f"{source}: {TOO_LONG}"
    saved = post("/pack", {"text": REMOVE_DAMN})
    assert saved.status_code == 201 and saved.json()["version"] == 1
    got = client.get("/api/v1/rules/pack", **headers).json()
    assert got["text"] == REMOVE_DAMN and got["source"] == "pack version 1"
    smt_secret = token_create(user=team["smt"], name="t", scope="read_write").secret
    refused = client.post(
        "/api/v1/rules/pack", json.dumps({"text": REMOVE_DAMN}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {smt_secret}",
    )  # fmt: skip
    assert refused.status_code == 403


def test_rule_quality_counts_firings_overrides_and_dismissals(team: dict[str, Any], qd: Any) -> None:
    blocked = submitted(team, DAMN)
    content_services.draft_override(
        actor=team["smt"],
        draft=blocked,
        rule="OF001",
        start=7,
        end=11,
        reason="Quoting a learner, with consent",
    )
    write(team, "Crap, a second one ^BT")  # OF001 fires, nobody overrides it
    reviewed = submitted(team, "Our statement on the tribunal claim against DMM ^BT")
    finding = next(f for f in reviewed.check_result.findings if f["rule"] == "CT001")
    with pytest.raises(PermissionDenied):  # the author does not judge their own post's findings
        content_services.finding_dismiss(
            actor=team["runner"], draft=reviewed, rule="CT001", start=finding["start"], end=finding["end"],
            reason="It is only a link to the published response",
        )  # fmt: skip
    with pytest.raises(ValidationError):  # a blocking finding is overridden by SMT, not dismissed
        content_services.finding_dismiss(
            actor=team["runner2"],
            draft=blocked,
            rule="OF001",
            start=7,
            end=11,
            reason="Not really profane at all",
        )
    response = sign_in(Client(), team["runner2"]).post(
        reverse("posts:dismiss_finding", args=[reviewed.pk]),
        {
            "rule": "CT001",
            "start": finding["start"],
            "end": finding["end"],
            "reason": "A neutral mention of Ofsted",
        },
    )
    assert response.status_code == 302
    assert FindingDismissal.objects.get().by == team["runner2"]
    assert AuditEvent.objects.filter(action="rules.finding_dismissed").count() == 1

    now = timezone.now()
    rows = {r.rule: r for r in packs.rule_quality(now - dt.timedelta(days=30), now + dt.timedelta(seconds=1))}
    assert (rows["OF001"].fired, rows["OF001"].overridden, rows["OF001"].rate) == (2, 1, 50)
    assert (rows["CT001"].fired, rows["CT001"].dismissed, rows["CT001"].rate) == (1, 1, 100)
    order = [r.rule for r in packs.rule_quality(now - dt.timedelta(days=30), now + dt.timedelta(seconds=1))]
    assert order.index("CT001") < order.index("OF001")  # the rule to tune first
    old = packs.rule_quality(now - dt.timedelta(days=60), now - dt.timedelta(days=30))
    assert old == []

    html = sign_in(Client(), qd).get(reverse("policies:rule_quality")).content.decode()
    assert "A neutral mention of Ofsted" in html and "Quoting a learner, with consent" in html
    assert '<svg class="chart"' in html
    assert html.index('data-rule="CT001"') < html.index('data-rule="OF001"')
    # The chart draws the share kept, lowest first, whatever how often a rule fires.
    assert re.search(r'data-label="CT001 [^"]*" data-percent="0"', html)
    assert re.search(r'data-label="OF001 [^"]*" data-percent="50"', html)
    assert html.index('data-label="CT001') < html.index('data-label="OF001')


def test_the_setting_names_a_pack_file_until_one_is_saved_in_the_web(
    team: dict[str, Any], qd: Any, settings: Any, tmp_path: Any
) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(REMOVE_DAMN, encoding="utf-8")
    settings.RULES_PACK = str(path)
    forget_policy_engine()
    assert "OF001" not in {f["rule"] for f in api_check(team["runner"], DAMN)}
    assert packs.rules_pack()[1] == str(path)
    services.pack_save(actor=qd, text="[severity]\nCT001 = 'block'\n")  # the saved version wins
    assert "OF001" in {f["rule"] for f in api_check(team["runner"], DAMN)}


def test_cli_validates_previews_and_saves_a_pack(team: dict[str, Any], qd: Any, tmp_path: Any) -> None:
    from click.testing import CliRunner

    from socialguard.cli import main

    bad, good = tmp_path / "bad.toml", tmp_path / "good.toml"
    bad.write_text("[remove]\nprofanity = ['blimey']\n", encoding="utf-8")
    good.write_text(REMOVE_DAMN, encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["pack", "validate", str(bad)])
    assert refused.exit_code == 2
    assert (
        f"{bad}, line 2: [remove] profanity: 'blimey' is not a term of the base profanity lexicon"
        in refused.output
    )
    assert runner.invoke(main, ["pack", "validate", str(good)]).exit_code == 0
    write(team, DAMN)
    shown = runner.invoke(main, ["pack", "preview", str(good), "--as", qd.email])
    assert shown.exit_code == 0, shown.output
    assert "OF001: 0 newly flagged, 1 no longer flagged" in shown.output
    assert runner.invoke(main, ["pack", "save", str(good), "--as", team["smt"].email]).exit_code == 1
    saved = runner.invoke(main, ["pack", "save", str(good), "--as", qd.email])
    assert saved.exit_code == 0 and "saved as version 1" in saved.output
    assert "# in use: pack version 1" in runner.invoke(main, ["pack", "show", "--as", qd.email]).output


def test_a_clause_that_is_a_heading_over_sub_clauses_shows_their_words(team: dict[str, Any], qd: Any) -> None:
    """The seed policy's 5.2 is a heading over "Appropriate Conduct" and "Acceptance of friends":
    findings citing it (the most cited clause) showed the heading alone. A pasted Word bullet's own
    glyph ("- o Don't …") is left out."""
    text = V1.replace(
        "## 5.2 Expected standards\n\nBe professional. Concerns may go to the Local Safeguarding Children Board (LSCB).\n",
        "## 5.2 Expected standards\n\n### Appropriate Conduct\n\nBe professional.\n\n- o Don't swear\n\n"
        "#### Acceptance of friends\n\nDo not accept learners as friends.\n",
    )
    assert text != V1
    version = import_version(qd, text)
    services.version_publish(
        actor=qd, version=version, issue_date=dt.date(2026, 1, 1), next_review_date=dt.date(2027, 1, 1)
    )
    pack, _ = packs.rules_pack()
    shown = pack.clause_texts["5.2"]
    assert shown.startswith("5.2 Expected standards: Appropriate Conduct: Be professional.")
    assert "- Don't swear" in shown and " o Don't" not in shown
    assert "Acceptance of friends: Do not accept learners as friends." in shown
    page = compose_check(team, "Well done Dan Young on passing! Call 07912 345678 ^BT")
    assert "Acceptance of friends: Do not accept learners as friends." in page
