"""The roles named by the policy (sections 3.1-3.3) plus an auditor."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    QUALITY_DIRECTOR = "quality_director", "Quality Director"
    SMT = "smt", "Senior Management Team"
    DSL = "dsl", "Designated Safeguarding Lead"
    DEPUTY_DSL = "deputy_dsl", "Deputy Safeguarding Lead"
    STAFF = "staff", "Staff"
    AUDITOR = "auditor", "Auditor"


# Holders of these roles see sensitive records, so they must use two-factor sign-in.
TWO_FACTOR_ROLES = frozenset({Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL, Role.DEPUTY_DSL})
# The DSL and named deputies: the only people who read safeguarding cases (policy 3.2, 5.2).
SAFEGUARDING_ROLES = frozenset({Role.DSL, Role.DEPUTY_DSL})
