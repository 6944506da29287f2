"""The content app's answer to policies.checked_posts: the posts a rules-pack preview re-checks,
the checks and overrides rule quality counts, and which of them a person may open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from socialguard.content import access
from socialguard.content.checking import Composition, engine_post
from socialguard.content.models import CheckResult, Draft, FindingOverride, PublishedPost
from socialguard.rules import Post


class ContentPosts:
    def recent(self, archive: int, drafts: int) -> list[tuple[str, int, Post]]:
        items: list[tuple[str, int, Post]] = []
        published = PublishedPost.objects.filter(deleted_at__isnull=True).only(
            "pk", "text", "platform", "links"
        )
        for row in published[:archive]:
            items.append(
                ("archive", row.pk, Post(text=row.text, platform=row.platform, links=tuple(row.links)))
            )
        recent = (
            Draft.objects.exclude(kind="deletion")
            .exclude(text="")
            .select_related("account", "author")
            .order_by("-updated_at")
        )
        for draft in recent[:drafts]:
            comp = Composition(
                draft.account, draft.author, draft.text, tuple(draft.links), draft.is_reply, draft.reply_to
            )
            items.append(("draft", draft.pk, engine_post(comp)))
        return items

    def findings(self, since: dt.datetime, until: dt.datetime) -> Iterable[tuple[int, list[dict[str, Any]]]]:
        checks = CheckResult.objects.filter(checked_at__gte=since, checked_at__lt=until)
        return checks.values_list("draft_id", "findings")

    def overrides(self, since: dt.datetime, until: dt.datetime) -> Iterable[tuple[str, str, int]]:
        return FindingOverride.objects.filter(at__gte=since, at__lt=until).values_list(
            "rule", "reason", "draft_id"
        )

    def visible(self, user: Any, draft_ids: list[int], archive_ids: list[int]) -> tuple[set[int], set[int]]:
        drafts = set(access.drafts_visible(user).filter(pk__in=draft_ids).values_list("pk", flat=True))
        archived = set(access.archive_visible(user).filter(pk__in=archive_ids).values_list("pk", flat=True))
        return drafts, archived
