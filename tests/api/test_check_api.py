"""POST /api/v1/check: the rules engine over the API, with the register as context."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.test import Client

from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create


def test_staff_check_a_draft_against_the_register(
    client: Client, make_user: Any, register: dict[str, Any]
) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check",
        {
            "posts": [
                {"id": "d1", "text": "Well done Dan Young on passing! Call 07912 345678"},
                {"text": "Open day on Saturday"},
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.content
    first, second = response.json()
    assert first["id"] == "d1" and first["verdict"] == "review"
    assert {f["rule"] for f in first["findings"]} >= {"LI001", "PD002"}
    assert {f["category"] for f in first["findings"]} >= {"learner-identity", "personal-data"}
    assert second["id"] == "2"


def test_bad_post_is_named(client: Client, make_user: Any, db: Any) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check",
        {"posts": [{"text": "ok"}, {"txt": "typo"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    # The schema names the post and the field (a nested schema, not `list[dict]`).
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.posts.1.text", "body.posts.1.txt"}


def _post(client: Client, secret: str, posts: list[dict[str, Any]]) -> Any:
    return client.post(
        "/api/v1/check",
        {"posts": posts},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_a_post_longer_than_any_platform_allows_is_refused_at_once(
    client: Client, make_user: Any, db: Any
) -> None:
    # A 5 MB post used to end in a 500 after 30 s.
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    # The first request imports the API and builds the engine (seconds on a loaded CI machine):
    # out of the timing, which is about the refusal.
    assert _post(client, secret, [{"text": "ok"}]).status_code == 200
    started = time.monotonic()
    response = _post(client, secret, [{"text": "ok"}, {"text": "a" * 5_000_000}])
    assert time.monotonic() - started < 5
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "posts[1]: 'text' is 5,000,000 characters; the longest post any platform allows is 63,206 "
        "(Facebook), so check it in parts"
    )
    ok = _post(client, secret, [{"text": "a" * 63_206}])
    assert ok.status_code == 200, ok.content


def test_half_a_character_is_refused_not_a_server_error(client: Client, make_user: Any, db: Any) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    body = '{"posts": [{"text": "ok"}, {"text": "hello \\ud800 there"}]}'  # JSON's own escape
    response = client.post(
        "/api/v1/check", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 422
    assert "half of a character (U+D800" in str(response.json()["detail"])


def test_one_request_checks_at_most_a_million_characters(client: Client, make_user: Any, db: Any) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = _post(client, secret, [{"text": "a" * 60_000}] * 17)
    assert response.status_code == 413
    assert "1,020,000 characters in all; at most 1,000,000 per request" in response.json()["detail"]


def test_lists_in_a_post_are_bounded(client: Client, make_user: Any, db: Any) -> None:
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = _post(client, secret, [{"text": "hi", "links": ["https://x.example"] * 101}])
    assert response.status_code == 422
    assert response.json()["detail"] == "posts[0]: 'links' has 101 items; at most 100"
    response = _post(client, secret, [{"text": "hi", "author": ["not", "a", "name"]}])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body.posts.0.author"]


def test_a_connection_request_to_a_past_learner_is_judged_by_their_age(
    client: Client, make_user: Any, register: dict[str, Any]
) -> None:
    # 5.2 forbids connecting with past learners under 18 only; the register knows Eve Former's birth date.
    from socialguard.people.models import Learner

    year = dt.date.today().year
    Learner.objects.create(
        external_id="L9",
        first_name="Gus",
        last_name="Minor",
        date_of_birth=dt.date(year - 16, 1, 1),
        end_date=dt.date(year - 1, 7, 1),
    )
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check",
        {
            "posts": [
                {"text": "Hi!", "account": "personal", "connection_request_to": ["Eve Former"]},
                {"text": "Hi!", "account": "personal", "connection_request_to": ["Gus Minor"]},
            ]
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200, response.content
    adult, minor = response.json()
    assert "LC002" not in {f["rule"] for f in adult["findings"]}
    assert "LC002" in {f["rule"] for f in minor["findings"]}


def test_the_check_input_is_documented_field_by_field() -> None:
    """The document describes a post's fields, nested (it was `list[dict]`: any object)."""
    from socialguard.api.urls import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    posts = schemas["CheckIn"]["properties"]["posts"]
    assert posts["items"] == {"$ref": "#/components/schemas/PostIn"}
    post = schemas["PostIn"]
    assert post["required"] == ["text"]
    assert set(post["properties"]) == {
        "text", "id", "platform", "account", "author", "links", "media", "is_reply",
        "is_direct_message", "recipients", "connection_request_to",
    }  # fmt: skip
    assert post["properties"]["account"]["enum"] == ["organisational", "personal"]
    assert post["additionalProperties"] is False
    assert "MediaIn" in schemas and "AuthorIn" in schemas


def test_every_field_a_post_has_reaches_the_engine(client: Client, make_user: Any, db: Any) -> None:
    """What the schema lets through is what the engine reads: Post.from_dict knows each field."""
    from socialguard.api.check import PostIn
    from socialguard.rules import Post

    every = {
        "text": "hi", "id": "x", "platform": "x", "account": "personal", "author": "Ann",
        "links": [], "media": [{"description": "d", "people_shown": [], "third_party": True}],
        "is_reply": True, "is_direct_message": False, "recipients": [], "connection_request_to": [],
    }  # fmt: skip
    assert set(every) == set(PostIn.model_fields)
    post = Post.from_dict(PostIn.model_validate(every).model_dump(exclude_unset=True))
    assert (post.author.name, post.media[0].third_party, post.account) == ("Ann", True, "personal")
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = _post(client, secret, [every])
    assert response.status_code == 200, response.content
    assert response.json()[0]["id"] == "x"


def test_a_form_upload_to_an_operation_that_reads_json_is_a_415_problem(
    client: Client, make_user: Any, db: Any
) -> None:
    """The upload limits parse a multipart body before the view, which then cannot read it as JSON:
    a Problem saying what to send, not a server error."""
    secret = token_create(user=make_user(Role.STAFF), name="t", scope=TokenScope.READ).secret
    response = client.post(
        "/api/v1/check", {"posts": '[{"text": "hi"}]'}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 415
    assert response.json()["detail"].startswith("This operation takes a JSON body (application/json)")
