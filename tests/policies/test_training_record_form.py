"""The training record form at size (issue 21): the person is found by name on the server, so the
page lists a few matches whatever the number of staff, works without JavaScript, and keeps the
person a link or a sent-back form chose."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialguard.people.models import StaffMember
from socialguard.policies import services
from socialguard.policies.models import Audience, Course, TrainingCompletion
from tests.conftest import sign_in


def _staff(n: int, seed: int) -> list[StaffMember]:
    return StaffMember.objects.bulk_create(
        StaffMember(
            external_id=f"R{seed}-{i}",
            first_name="Rae",
            last_name=f"Zed{seed}x{i:03d}",  # after the register's surnames
            employment_type="employee",
        )
        for i in range(n)
    )


@pytest.fixture
def course(people: dict[str, Any]) -> Course:
    return services.course_save(
        actor=people["smt"],
        values={"code": "induction", "name": "Induction", "required_for": Audience.EVERYONE},
    )


def _options(page: str) -> list[str]:
    select = page[
        page.index('<select name="staff"') : page.index("</select>", page.index('<select name="staff"'))
    ]
    return re.findall(r'<option value="(\d+)"', select)


def test_the_list_holds_a_few_people_and_the_find_box_narrows_it(
    people: dict[str, Any], course: Course
) -> None:
    _staff(45, 1)
    smt = sign_in(Client(), people["smt"])
    page = smt.get("/policy/training/record/").content.decode()
    assert len(_options(page)) == 20
    assert "The first 20 of 48 staff in post by surname" in page
    assert 'aria-describedby="find_status"' in page and 'id="find_status" aria-live="polite"' in page
    found = smt.get("/policy/training/record/?find=zed1x04").content.decode()
    assert len(_options(found)) == 5  # Zed1x040 … Zed1x044 and nobody else
    assert "5 people match “zed1x04”" in found
    none = smt.get("/policy/training/record/?find=nobody").content.decode()
    assert _options(none) == [] and "No one in post matches “nobody”" in none


def test_a_linked_person_stays_chosen_and_anyone_in_post_can_be_recorded(
    people: dict[str, Any], course: Course
) -> None:
    late = _staff(45, 2)[-1]  # not among the first 20 by surname
    smt = sign_in(Client(), people["smt"])
    page = smt.get(
        f"/policy/training/record/?staff={late.pk}&course={course.pk}&next=/policy/"
    ).content.decode()
    assert f'<option value="{late.pk}" selected>' in page
    # The find box keeps the course and the way back.
    assert f'<input type="hidden" name="course" value="{course.pk}">' in page
    assert '<input type="hidden" name="next" value="/policy/">' in page
    # A form sent back with an error keeps the person chosen.
    again = smt.post("/policy/training/record/", {"staff": late.pk, "completed_on": ""}).content.decode()
    assert f'<option value="{late.pk}" selected>' in again
    today = timezone.localdate().isoformat()
    response = smt.post(
        "/policy/training/record/", {"staff": late.pk, "course": course.pk, "completed_on": today}
    )
    assert response.status_code == 302
    assert TrainingCompletion.objects.filter(staff=late, course=course).exists()


def test_the_form_runs_the_same_queries_for_twice_the_staff(people: dict[str, Any], course: Course) -> None:
    smt = sign_in(Client(), people["smt"])
    counts, sizes = [], []
    for seed in (3, 4):
        _staff(40, seed)
        with CaptureQueriesContext(connection) as captured:
            response = smt.get("/policy/training/record/")
        counts.append(len(captured))
        sizes.append(len(response.content))
    assert counts[0] == counts[1], counts
    assert abs(sizes[1] - sizes[0]) < 200  # the page does not grow with the staff either
