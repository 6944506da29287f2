"""The demo's monitoring: what SMT monitor, and alerts as the engine raised them on items that a
mentions search and an uploaded X archive returned (made up, like the rest of the demo: the demo
never reaches a network, so the Bluesky sources show as not yet read)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.utils import timezone

from socialguard.accounts.models import OrgAccount
from socialguard.identity.models import User
from socialguard.monitoring import fetchers, services
from socialguard.monitoring.models import Kind, Source

SMT_EMAIL = "james.okafor@dmm.example"
MENTIONS = [
    (
        "kaz-reviews.bsky.social",
        "Digital Marketing Mentor is a total joke, worst training provider ever. Avoid.",
    ),
    (
        "jo-employer.bsky.social",
        "Really pleased with the two apprentices we took on through Digital Marketing Mentor.",
    ),
    ("leeds-news.bsky.social", "DMM opens its new Leeds centre next month, with 40 apprenticeship places."),
]
X_ARCHIVE = [
    ("1800000000000000001", "Open evening on Wednesday at our Manchester centre. ^TA"),
    ("1800000000000000002", "Honestly the new funding rules are a disgrace and the minister is an idiot"),
]


def load_monitoring_demo(progress: Callable[[], object] = lambda: None) -> None:
    smt = User.objects.filter(email=SMT_EMAIL).first()
    bluesky = OrgAccount.objects.filter(platform="bluesky").first()
    x = OrgAccount.objects.filter(platform="x").first()
    if smt is None or bluesky is None or Source.objects.exists():
        progress()
        return
    services.source_save(actor=smt, name="Our Bluesky account", kind=Kind.BLUESKY_OWN, account=bluesky)
    mentions = services.source_save(
        actor=smt, name="Mentions on Bluesky", kind=Kind.BLUESKY_MENTIONS, account=bluesky
    )
    services.source_save(actor=smt, name="Look-alike accounts", kind=Kind.BLUESKY_LOOKALIKES, account=bluesky)
    services.source_save(
        actor=smt, name="Bluesky event stream", kind=Kind.BLUESKY_STREAM, account=bluesky, enabled=False
    )  # optional: read by `socialguard monitor stream` where an organisation runs it
    services.source_save(
        actor=smt,
        name="Manchester training news",
        kind=Kind.FEED,
        config={"url": "https://news.example/training/feed.rss"},
        enabled=False,
    )
    now = timezone.now()
    items = [
        fetchers.RawItem(
            f"at://did:plc:demo{n}/app.bsky.feed.post/3demo{n}",
            f"at://did:plc:demo{n}/app.bsky.feed.post/3demo{n}",
            "bluesky",
            f"https://bsky.app/profile/{author}/post/3demo{n}",
            author,
            text,
            now - dt.timedelta(hours=3 * (n + 1)),
        )
        for n, (author, text) in enumerate(MENTIONS)
    ]
    services.store_page(mentions, fetchers.Page(items, {}))
    services.process_pending(source=mentions)
    if x is not None:
        archive = services.source_save(
            actor=smt, name="X archive", kind=Kind.EXPORT, account=x, config={"platform": "x"}
        )
        tweets = [
            {"tweet": {"id_str": i, "full_text": t, "created_at": "Fri Nov 20 10:00:00 +0000 2026"}}
            for i, t in X_ARCHIVE
        ]
        data = ("window.YTD.tweets.part0 = " + json.dumps(tweets)).encode()
        services.import_export(actor=smt, source=archive, data=data, filename="tweets.js")
    progress()
