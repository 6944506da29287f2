"""The demo: DMM's policy (or the stand-in), long overdue for review, with gaps to show."""

from __future__ import annotations

import pytest

from socialguard.demo import load_all
from socialguard.identity.models import User
from socialguard.policies import demo, reminders, selectors
from socialguard.policies.models import Course, Declaration, PolicyVersion


@pytest.mark.django_db
def test_demo_shows_an_overdue_review_outdated_references_and_gaps() -> None:
    load_all()
    version = selectors.current_version()
    assert version is not None and version.issue_date.year == 2022
    assert selectors.review_state(version.document).state == "overdue"
    report = selectors.references_for(version)
    assert {"local-safeguarding-children-boards", "working-together-2018"} <= {
        c.reference.key for c in report.outdated
    }
    rows = selectors.declaration_rows(version)
    overall = selectors.coverage(rows, "all")[0]
    assert 0 < overall.declared < overall.total
    assert Course.objects.filter(required_for="account_runners").exists()
    assert any(c.gaps for c in selectors.training_coverage())
    helen = User.objects.get(email=demo.QUALITY_DIRECTOR)
    assert any(r.key.startswith("review:overdue") for r in reminders.reminders_for(helen))
    load_all()  # `demo --force` keeps one policy history
    assert PolicyVersion.objects.count() == 1 and Declaration.objects.count() == overall.declared


def test_demo_uses_the_seed_policy_when_it_is_beside_the_project() -> None:
    source = demo.policy_source()
    assert source == (demo.SEED_POLICY if demo.SEED_POLICY.is_file() else demo.STAND_IN)
