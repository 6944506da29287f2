"""The roles named by the policy (sections 3.1-3.3) plus an auditor."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    QUALITY_DIRECTOR = "quality_director", "Quality Director"
    SMT = "smt", "Senior Management Team"
    DSL = "dsl", "Designated Safeguarding Lead"
    STAFF = "staff", "Staff"
    AUDITOR = "auditor", "Auditor"


# Holders of these roles see sensitive records, so they must use two-factor sign-in.
TWO_FACTOR_ROLES = frozenset({Role.QUALITY_DIRECTOR, Role.SMT, Role.DSL})
