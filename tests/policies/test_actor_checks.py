"""Every policy service checks its actor itself: called directly (as a script, the API or the
CLI would), a person without the role is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socialguard.policies import services
from socialguard.policies.models import Course, PolicyReview, PolicyVersion, TrainingCompletion, VersionStatus
from tests.policy_fixtures import V2, import_version

pytestmark = pytest.mark.django_db

ALL = dict.fromkeys(services.DECLARATION_FIELDS, True)


def test_only_the_quality_director_imports_and_publishes(published: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.policy_import(actor=published["smt"], data=V2.encode(), filename="v2.md")
    assert PolicyVersion.objects.count() == 1
    draft = import_version(published["qd"], V2)
    with pytest.raises(PermissionDenied):
        services.version_publish(actor=published["smt"], version=draft)
    with pytest.raises(PermissionDenied):
        services.version_submit_for_review(actor=published["smt"], version=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_reviews_are_started_and_reconfirmed_by_the_quality_director(published: dict[str, Any]) -> None:
    document = published["v1"].document
    with pytest.raises(PermissionDenied):
        services.review_start(actor=published["smt"], document=document)
    assert not PolicyReview.objects.exists()
    review = services.review_start(actor=published["qd"], document=document)
    with pytest.raises(PermissionDenied):
        services.review_comment_add(
            actor=published["tutor"].user, review=review, version=published["v1"], clause_key="x", text="Hm"
        )
    with pytest.raises(PermissionDenied):
        services.review_reconfirm(
            actor=published["smt"], review=review, next_review_date=dt.date.today() + dt.timedelta(days=90)
        )


def test_training_is_recorded_by_whoever_manages_it(published: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.course_save(
            actor=published["qd"], values={"code": "c", "name": "C", "required_for": "everyone"}
        )
    assert not Course.objects.exists()
    course = services.course_save(
        actor=published["smt"], values={"code": "c", "name": "C", "required_for": "everyone"}
    )
    with pytest.raises(PermissionDenied):
        services.completion_record(
            actor=published["tutor"].user,
            staff=published["tutor"],
            course=course,
            completed_on=dt.date.today(),
        )
    assert not TrainingCompletion.objects.exists()


def test_nobody_declares_for_someone_else(published: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.declaration_make(
            actor=published["boss"].user, staff=published["tutor"], version=published["v1"], confirmations=ALL
        )
    assert not published["tutor"].declarations.exists()
