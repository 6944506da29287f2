"""Sign-in by password, refusing a leaver from the day their leave date comes.

The daily leavers scan stops a leaver's sign-in, and saving a leave date of today or earlier
stops it at once (services.leavers_access_withdraw); but a date saved in advance comes while the
scan has not yet run, and until then the leaver's open session carried on. API tokens were
already refused from that day (services.token_authenticate); this does the same for sign-in and
for every request of a session, in the one query that loads the session's user anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.utils import timezone

from socialguard.identity.models import User


def not_left() -> QuerySet[User]:
    """Sign-ins whose holder's leave date (people.StaffMember) has not come; anyone with no staff
    record, or no leave date, is in."""
    return User.objects.exclude(staff_member__leave_date__lte=timezone.localdate())


def has_left(user: Any) -> bool:
    """Whether `user`'s leave date has come (one query): sign-in, a reset link and its page ask."""
    return not not_left().filter(pk=user.pk).exists()


class SignInBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        # At sign-in: one query more, once.
        return super().user_can_authenticate(user) and not has_left(user)

    def get_user(self, user_id: Any) -> User | None:
        # Each request of a session: the user is loaded with the leave date's test in one query.
        user = not_left().filter(pk=user_id).first()
        return user if user is not None and ModelBackend.user_can_authenticate(self, user) else None
