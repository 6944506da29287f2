"""Demo data for the privacy pages: some staff have reviewed their privacy and checked their
connections (so the coverage page has something to show), and the recruitment log has a
LinkedIn check with its decision and one beyond LinkedIn waiting for an SMT member's approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from socialguard.identity.permissions import can
from socialguard.identity.roles import Role
from socialguard.policies.selectors import staff_in_post
from socialguard.privacy import checklists, services
from socialguard.privacy.models import PrivacyReview, ScreeningRecord


def load_privacy_demo(progress: Callable[[], object] = lambda: None) -> None:
    from socialguard.democlock import clock_at

    if PrivacyReview.objects.exists() or ScreeningRecord.objects.exists():
        progress()
        return
    now = timezone.now()
    staff = [s for s in staff_in_post().order_by("external_id") if s.user is not None and s.user.is_active]
    with transaction.atomic():
        for n, member in enumerate(staff):
            if n % 3 == 2 or not can(member.user, "privacy.review"):
                continue  # a third have not done it yet: the coverage page shows the gap
            platforms = ["facebook", "instagram"] if n % 2 else ["linkedin"]
            with clock_at(now - dt.timedelta(days=20 + 9 * n)):
                services.privacy_review_complete(
                    actor=member.user,
                    platforms=platforms,
                    ticked={p: [i.key for i in checklists.items_for(p)] for p in platforms},
                )
                if n % 2:
                    check = services.self_check_done(actor=member.user, matches=n % 4, source="facebook")
                    services.self_check_resolve(actor=member.user, check_id=check.pk, resolved=n % 4)
        smt = [s.user for s in staff if s.user is not None and Role.SMT in s.user.roles]
        if len(smt) >= 2:
            with clock_at(now - dt.timedelta(days=40)):
                done = services.screening_create(
                    actor=smt[0],
                    candidate="Morgan Example",
                    role_applied_for="Digital Marketing Tutor",
                    lawful_basis="legitimate_interests",
                    candidate_told=True,
                    platforms=["linkedin"],
                )
                services.screening_record_check(
                    actor=smt[0],
                    record=done,
                    looked_at="Public LinkedIn profile: experience and recommendations",
                    outcome="Consistent with the CV; nothing further",
                )
                services.screening_decide(
                    actor=smt[0], record=done, decided_on=timezone.localdate() - dt.timedelta(days=35)
                )
            services.screening_create(
                actor=smt[1],
                candidate="Riley Sample",
                role_applied_for="Safeguarding Officer",
                lawful_basis="legal_obligation",
                candidate_told=True,
                platforms=["linkedin", "x"],
                exception_reason=(
                    "A public post about the candidate was reported; KCSIE online checks for the role"
                ),
            )
    progress()
