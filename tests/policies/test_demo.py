"""The demo: DMM's policy (or the stand-in) issued in 2022, an interim version 2 whose full review is
now due, outdated references and gaps to show."""

from __future__ import annotations

import pytest

from socialguard.demo import load_all
from socialguard.identity.models import User
from socialguard.policies import demo, reminders, selectors
from socialguard.policies.models import Course, Declaration, PolicyVersion


@pytest.mark.django_db
def test_demo_shows_a_review_due_outdated_references_and_gaps() -> None:
    load_all()
    version = selectors.current_version()
    assert version is not None and version.number == 2 and "5.4" in version.change_summary
    assert PolicyVersion.objects.get(number=1).issue_date.year == 2022
    assert selectors.review_state(version.document).state == "due-soon"
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
    assert any(r.key.startswith("review:due-soon") for r in reminders.reminders_for(helen))
    declarations = Declaration.objects.count()
    load_all()  # `demo --force` keeps one policy history
    assert PolicyVersion.objects.count() == 2 and Declaration.objects.count() == declarations


def test_demo_uses_the_seed_policy_when_it_is_beside_the_project() -> None:
    source = demo.policy_source()
    assert source == (demo.SEED_POLICY if demo.SEED_POLICY.is_file() else demo.STAND_IN)
