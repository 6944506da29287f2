"""Searching and exporting the archive of published posts (3.2 "monitor", 4.2).

Full-text search runs on SQLite's FTS5 (a virtual table filled by a trigger, migration 0002) and
on PostgreSQL's full-text search (an expression index). To give the same results on both, the
query is parsed here into a small language both understand the same way, and both index the
text the same way: lower-cased words, no stemming, accents kept (FTS5 `unicode61
remove_diacritics 0`, PostgreSQL's `simple` configuration).

The query language: words (all must appear), "quoted phrases", -word (must not appear), and
word* (a prefix).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from socialguard import csvfiles
from socialguard.content import access
from socialguard.content.models import PublishedPost

# Letters and digits; everything else (underscores, hyphens, @, dots) separates words, in the
# query and in both indexes (PostgreSQL's index replaces such runs with a space first, so that
# its parser does not keep e-mail addresses or URLs as single tokens where FTS5 splits them).
WORD = re.compile(r"[^\W_]+", re.UNICODE)
PG_DOCUMENT = "to_tsvector('simple', regexp_replace(text, '[^[:alnum:]]+', ' ', 'g'))"
TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
MAX_TERMS = 20


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words
    exclude: bool = False
    prefix: bool = False


def parse(query: str) -> list[Term]:
    """The query's terms; punctuation inside a word splits it (as both indexes do)."""
    terms: list[Term] = []
    for match in TOKEN.finditer(query):
        if match.group(2) is not None:
            exclude, text, prefix = bool(match.group(1)), match.group(2), False
        else:
            exclude, text = bool(match.group(3)), match.group(4)
            prefix = text.endswith("*")
        words = tuple(w.casefold() for w in WORD.findall(text))
        if not words:
            continue
        if len(words) > 1 and match.group(2) is None:
            # "e-mail" or "dmm.example": the index holds its parts next to each other.
            terms.append(Term(words, exclude, prefix))
        else:
            terms.append(Term(words, exclude, prefix and len(words) == 1))
    return terms[:MAX_TERMS]


def _fts5(terms: list[Term]) -> str:
    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    # FTS5's NOT is binary: the wanted terms first, then each exclusion.
    query = "(" + " AND ".join(phrase(t) for t in terms if not t.exclude) + ")"
    return query + "".join(f" NOT {phrase(t)}" for t in terms if t.exclude)


def _tsquery(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        words = [f"'{w}'" for w in term.words]
        if term.prefix:
            words[-1] += ":*"
        phrase = " <-> ".join(words)
        parts.append(f"!({phrase})" if term.exclude else f"({phrase})")
    return " & ".join(parts)


def search_ids(query: str) -> RawSQL | None:
    """A subquery of the matching posts' ids, or None when the query has no words."""
    terms = parse(query)
    if not terms or all(t.exclude for t in terms):
        return None
    # Constant SQL; the user's query goes in as a parameter, already reduced to words.
    if connection.vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"SELECT id FROM content_publishedpost WHERE {PG_DOCUMENT} @@ to_tsquery('simple', %s)",  # noqa: S608
            [_tsquery(terms)],
        )
    return RawSQL(
        "SELECT rowid FROM content_publishedpost_fts WHERE content_publishedpost_fts MATCH %s",
        [_fts5(terms)],
    )


def archive_search(
    user: Any,
    *,
    q: str = "",
    account_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    author: str = "",  # a staff register id
    category: str = "",
) -> QuerySet[PublishedPost]:
    """Published posts this person may read, newest first, filtered. A query whose words are
    only exclusions finds nothing (say what to look for)."""
    posts = access.archive_visible(user).select_related("account", "drafter", "draft")
    if q.strip():
        ids = search_ids(q)
        if ids is None:
            return posts.none()
        posts = posts.filter(pk__in=ids)
    if account_id is not None:
        posts = posts.filter(account_id=account_id)
    if date_from is not None:
        posts = posts.filter(published_at__date__gte=date_from)
    if date_to is not None:
        posts = posts.filter(published_at__date__lte=date_to)
    if author:
        posts = posts.filter(drafter__external_id=author)
    if category:
        # Categories are stored space-separated; match a whole one.
        posts = posts.filter(categories__regex=rf"(^| ){re.escape(category)}( |$)")
    return posts.order_by("-published_at", "-pk")


EXPORT_HEADER = [
    "id", "published_at", "account", "platform", "kind", "text", "url", "uri", "platform_id",
    "drafter", "approvers", "verdict", "findings", "overrides", "media_sha256", "manual", "deleted_at",
]  # fmt: skip


def as_dict(post: PublishedPost) -> dict[str, Any]:
    return {
        "id": post.pk,
        "published_at": post.published_at.isoformat(),
        "account": str(post.account),
        "platform": post.platform,
        "kind": post.kind,
        "text": post.text,
        "links": post.links,
        "media": post.media,
        "reply_to": post.reply_to,
        "url": post.url,
        "uri": post.uri,
        "platform_id": post.platform_id,
        "content_hash": post.content_hash,
        "drafter": post.drafter_name,
        "approvers": post.approvers,
        "verdict": post.verdict,
        "findings": post.findings,
        "overrides": post.overrides,
        "manual": post.manual,
        "deleted_at": post.deleted_at.isoformat() if post.deleted_at else None,
        "corrects": post.draft.corrects_id,
    }


def export_csv(posts: Iterable[PublishedPost]) -> str:
    rows: list[list[Any]] = [EXPORT_HEADER]
    for post in posts:
        rows.append(
            [
                post.pk,
                post.published_at.isoformat(),
                str(post.account),
                post.platform,
                post.kind,
                post.text,
                post.url,
                post.uri,
                post.platform_id,
                post.drafter_name,
                "; ".join(post.approvers),
                post.verdict,
                "; ".join(f"{f.get('rule')} {f.get('name')} ({f.get('clause')})" for f in post.findings),
                "; ".join(f"{o.get('rule')}: {o.get('reason')} ({o.get('by')})" for o in post.overrides),
                " ".join(m.get("sha256", "") for m in post.media),
                "yes" if post.manual else "no",
                post.deleted_at.isoformat() if post.deleted_at else "",
            ]
        )
    return csvfiles.to_text(rows)


def export_json(posts: Iterable[PublishedPost]) -> str:
    return json.dumps([as_dict(p) for p in posts], indent=2, ensure_ascii=False)
