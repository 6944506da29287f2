"""The content app's answer to policies.checked_posts: the posts a rules-pack preview re-checks,
the checks and overrides rule quality counts, and which of them a person may open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from socialguard.content import access
from socialguard.content.checking import engine_post
from socialguard.content.models import CheckResult, Draft, FindingOverride, PublishedPost
from socialguard.content.services import composition
from socialguard.rules import Post


def draft_post(draft: Draft) -> Post:
    """The engine's post for `draft`, built exactly as the content workflow builds it when it
    checks the draft (services.composition, then checking.engine_post): text, links, reply target,
    media with the people shown and their consent, author. A preview that re-checked less (the
    text alone, say) would miss every rule that looks at the rest, such as IC001."""
    return engine_post(composition(draft))


class ContentPosts:
    def recent(self, archive: int, drafts: int) -> list[tuple[str, int, Post]]:
        items: list[tuple[str, int, Post]] = []
        # A published post is its draft, locked once published (models.EDITABLE): the draft keeps
        # what the archive's record does not (who each photo shows), so it is re-checked as its
        # draft was.
        published = (
            # A deletion's record holds its reason, not a post: nothing the rules check.
            PublishedPost.objects.filter(deleted_at__isnull=True)
            .exclude(draft__kind="deletion")
            .select_related("draft__account", "draft__author")
            .prefetch_related("draft__media")
            .only("pk", "draft")
        )
        for row in published[:archive]:
            items.append(("archive", row.pk, draft_post(row.draft)))
        recent = (
            Draft.objects.exclude(kind="deletion")
            .exclude(text="")
            .select_related("account", "author")
            .prefetch_related("media")
            .order_by("-updated_at")
        )
        for draft in recent[:drafts]:
            items.append(("draft", draft.pk, draft_post(draft)))
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
