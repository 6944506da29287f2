"""The consent API: read by SMT, the DSL and runners; withdraw; import all-or-nothing."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

from socialguard.consent.models import ConsentRecord
from socialguard.identity.models import TokenScope
from socialguard.identity.services import token_create


def auth(user: Any) -> dict[str, str]:
    secret = token_create(user=user, name="t", scope=TokenScope.READ_WRITE).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_consent_over_the_api(team: dict[str, Any]) -> None:
    client = Client()
    smt = auth(team["smt"])
    bad = io.BytesIO(b"learner_id,status,given_on\nL99,given,2025-09-01\n")
    bad.name = "mis.csv"
    refused = client.post("/api/v1/consent/import", {"file": bad}, **smt)
    assert refused.status_code == 400
    assert refused.json()["errors"][0] == {
        "file": "mis.csv", "row": 2, "field": "learner_id",
        "message": "no learner with external_id 'L99' in the register",
    }  # fmt: skip
    good = io.BytesIO(b"learner_id,status,given_on,guardian_id\nL1,given,2025-09-01,G1\n")
    good.name = "mis.csv"
    assert client.post("/api/v1/consent/import", {"file": good}, **smt).json() == {
        "recorded": 1,
        "unchanged": 0,
    }
    seen = client.get("/api/v1/consent/learners/L1", **auth(team["runner"])).json()
    assert (
        seen["may_post"] is True
        and seen["state"] == "given"
        and seen["history"][0]["given_by"].startswith("Fay")
    )
    assert client.get("/api/v1/consent/learners/L1", **auth(team["outsider"])).status_code == 404
    assert client.post("/api/v1/consent/learners/L1/withdraw", "{}", content_type="application/json",
                       **auth(team["runner"])).status_code == 403  # fmt: skip
    out = client.post(
        "/api/v1/consent/learners/L1/withdraw", '{"note": "email"}', content_type="application/json", **smt
    )
    assert out.status_code == 200 and out.json()["state"] == "withdrawn"
    assert ConsentRecord.objects.filter(source="api").count() == 1
