"""Fixtures for the content app: an organisational Bluesky account with two runners, SMT, a
register, and an in-memory platform standing in for a connector (it can fail on demand)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import LazySettings

from socialguard.accounts import vault
from socialguard.accounts.models import AccountRunner, OrgAccount, SecretKind
from socialguard.connectors import base as connectors
from socialguard.content import services
from socialguard.content.models import Draft
from socialguard.identity.roles import Role
from socialguard.people.models import Organisation, StaffMember
from socialguard.policies.engine import forget_policy_engine


@pytest.fixture(autouse=True)
def fresh_engine_cache() -> Iterator[None]:
    # Fixtures write the register directly (not through audited services): compile afresh.
    forget_policy_engine()
    yield
    forget_policy_engine()


@pytest.fixture(autouse=True)
def media_dir(settings: LazySettings, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path


@dataclass
class FakePlatform:
    """What a platform holds, by record key, and failures to raise on the next calls."""

    posts: dict[str, connectors.PublishedRecord] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    replies_to: dict[str, str] = field(default_factory=dict)
    media: dict[str, list[connectors.MediaUpload]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    fail_next: list[Exception] = field(default_factory=list)
    publish_calls: int = 0
    keys: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    signed_in_with: list[connectors.Credentials] = field(default_factory=list)


class FakeConnector:
    platform = "bluesky"
    max_length = 300

    def __init__(self, store: FakePlatform, credentials: connectors.Credentials) -> None:
        self.store = store
        store.signed_in_with.append(credentials)

    def new_record_key(self) -> str:
        return f"key{next(self.store.keys)}"

    def publish(self, post: connectors.OutgoingPost) -> connectors.PublishedRecord:
        self.store.publish_calls += 1
        if self.store.fail_next:
            raise self.store.fail_next.pop(0)
        existing = self.store.posts.get(post.record_key)
        if existing is not None:
            return existing
        uri = f"at://did:plc:dmm/app.bsky.feed.post/{post.record_key}"
        record = connectors.PublishedRecord(
            uri, f"cid-{post.record_key}", f"https://bsky.app/{post.record_key}", post.record_key
        )
        self.store.posts[post.record_key] = record
        self.store.texts[post.record_key] = post.text
        self.store.replies_to[post.record_key] = post.reply_to
        self.store.media[post.record_key] = list(post.media)
        return record

    def find(self, record_key: str) -> connectors.PublishedRecord | None:
        return self.store.posts.get(record_key)

    def delete(self, uri: str) -> None:
        if self.store.fail_next:
            raise self.store.fail_next.pop(0)
        self.store.deleted.append(uri)

    def fetch_own_posts(
        self, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[connectors.PlatformPost], str]:
        return [], ""

    def search_mentions(
        self, query: str, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[connectors.PlatformPost], str]:
        return [], ""

    def lookup_account(self, handle: str) -> connectors.AccountInfo:
        return connectors.AccountInfo(handle, "did:plc:dmm")


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    """Bluesky replaced by an in-memory platform; LinkedIn has no connector (the manual path)."""
    store = FakePlatform()
    connectors._load_builtin()
    monkeypatch.setitem(
        connectors._factories, "bluesky", lambda credentials: FakeConnector(store, credentials)
    )
    monkeypatch.delitem(connectors._factories, "linkedin", raising=False)
    return store


def _staff(register: dict[str, Any], key: str, user: Any) -> StaffMember:
    member: StaffMember = register[key]
    member.user = user
    member.email = user.email
    member.save()
    return member


@pytest.fixture
def team(register: dict[str, Any], make_user: Callable[..., Any], platform: FakePlatform) -> dict[str, Any]:
    """@dmm_news on Bluesky run by Ben Tutor and Cara Helper (sign-off ^{initials}); Ada Boss
    is SMT; Dee is staff who runs nothing; an auditor."""
    Organisation.objects.create(name="Digital Marketing Mentor", email_domains="dmm.example")
    tutor = _staff(register, "tutor", make_user(Role.STAFF, email="ben@dmm.example", name="Ben Tutor"))
    helper = _staff(
        register, "volunteer", make_user(Role.STAFF, email="cara@dmm.example", name="Cara Helper")
    )
    boss = _staff(register, "boss", make_user(Role.SMT, email="ada@dmm.example", name="Ada Boss"))
    smt2 = make_user(Role.SMT, email="sam@dmm.example", name="Sam Senior")
    StaffMember.objects.create(
        external_id="S4", first_name="Sam", last_name="Senior", employment_type="employee", user=smt2
    )
    outsider_user = make_user(Role.STAFF, email="dee@dmm.example", name="Dee Other")
    StaffMember.objects.create(
        external_id="S5", first_name="Dee", last_name="Other", employment_type="employee", user=outsider_user
    )
    account = OrgAccount.objects.create(
        platform="bluesky",
        handle="@dmm-news.bsky.social",
        login_email="social@dmm.example",
        sign_off="^{initials}",
    )
    AccountRunner.objects.create(account=account, staff=tutor, is_lead=True)
    AccountRunner.objects.create(account=account, staff=helper)
    vault.secret_store(
        actor=boss.user, account=account, kind=SecretKind.APP_PASSWORD, value="abcd-efgh-ijkl-mnop"
    )
    linkedin = OrgAccount.objects.create(
        platform="linkedin", handle="DMM Careers", login_email="social@dmm.example"
    )
    AccountRunner.objects.create(account=linkedin, staff=tutor, is_lead=True)
    AccountRunner.objects.create(account=linkedin, staff=helper)
    return {
        **register,
        "account": account,
        "linkedin": linkedin,
        "runner": tutor.user,
        "runner2": helper.user,
        "smt": boss.user,
        "smt2": smt2,
        "outsider": outsider_user,
        "auditor": make_user(Role.AUDITOR, email="audrey@dmm.example", name="Audrey Auditor"),
        "platform": platform,
    }


GOOD = "Applications for our March cohort of the Digital Marketer apprenticeship are open. ^BT"


def write(
    team: dict[str, Any], text: str = GOOD, *, by: str = "runner", account: str = "account", **kw: Any
) -> Draft:
    return services.draft_save(actor=team[by], account=team[account], text=text, **kw)


def submitted(team: dict[str, Any], text: str = GOOD, **kw: Any) -> Draft:
    draft = write(team, text, **kw)
    return services.draft_submit(actor=team["runner"], draft=draft)


def _person(make_user: Callable[..., Any], external_id: str, first: str, role: Role) -> Any:
    user = make_user(role, email=f"{first.lower()}@dmm.example", name=f"{first} Person")
    StaffMember.objects.create(
        external_id=external_id, first_name=first, last_name="Person", email=user.email,
        employment_type="employee", user=user,
    )  # fmt: skip
    return user


def bluesky_team(make_user: Callable[..., Any], network: Any, platform_account: Any) -> dict[str, Any]:
    """An organisational account on the real test network (tests/atproto.py) with two runners and
    its app password in the vault, for the end-to-end tests (which need the real connector, not
    the in-memory `platform`)."""
    forget_policy_engine()
    Organisation.objects.create(name="Digital Marketing Mentor", email_domains="dmm.example")
    runner = _person(make_user, "B1", "Bea", Role.STAFF)
    second = _person(make_user, "B2", "Cal", Role.STAFF)
    senior = _person(make_user, "B3", "Dot", Role.SMT)
    account = OrgAccount.objects.create(
        platform="bluesky",
        handle=f"@{platform_account.handle}",
        login_email="social@dmm.example",
        service_url=network.pds,
    )
    AccountRunner.objects.create(account=account, staff=runner.staff_member, is_lead=True)
    AccountRunner.objects.create(account=account, staff=second.staff_member)
    vault.secret_store(
        actor=senior, account=account, kind=SecretKind.APP_PASSWORD, value=platform_account.app_password
    )
    return {
        "account": account,
        "runner": runner,
        "second": second,
        "senior": senior,
        "platform_account": platform_account,
        "network": network,
    }
