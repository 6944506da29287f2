"""Every sign-in printed by the demo works, and privileged roles go on to set up two-factor."""

from __future__ import annotations

import pytest
from django.test import Client

from socialguard.identity.models import User
from socialguard.identity.permissions import needs_two_factor
from socialguard.identity.roles import Role
from socialguard.people.demo import DEMO_PASSWORD, load_demo, sign_in_sheet


@pytest.mark.django_db
def test_every_demo_sign_in_works() -> None:
    load_demo()
    emails = [word for line in sign_in_sheet().splitlines() for word in line.split() if "@" in word]
    assert len(emails) == 10
    seen_roles = set()
    for email in emails:
        client = Client()
        response = client.post("/account/sign-in/", {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        user = User.objects.get(email=email)
        seen_roles |= set(user.roles)
        home = client.get("/")
        if needs_two_factor(user):
            assert home["Location"] == "/account/two-factor/setup/", email
        else:
            assert home.status_code == 200, email
    assert {r.value for r in seen_roles} == {r.value for r in Role}


@pytest.mark.django_db
def test_loading_the_demo_again_keeps_one_copy() -> None:
    from socialguard.people.models import Guardian, Learner, StaffMember

    load_demo()
    counts = (
        StaffMember.objects.count(),
        Learner.objects.count(),
        Guardian.objects.count(),
        User.objects.count(),
    )
    load_demo()  # `socialguard demo --force`
    assert (
        StaffMember.objects.count(),
        Learner.objects.count(),
        Guardian.objects.count(),
        User.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_each_demo_guardians_address_carries_their_own_name() -> None:
    """Suzanne Abbott's address was lynne.abbott@…: two different first names drawn for one person."""
    from socialguard.people.models import Guardian

    load_demo()
    guardians = list(Guardian.objects.all())
    assert guardians
    mismatched = [
        g
        for g in guardians
        if not g.email.startswith(f"{g.first_name}.".lower().replace(" ", "").replace("'", ""))
    ]
    assert mismatched == []
