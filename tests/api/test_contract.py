"""The API document tells the truth: one schema per name, the right body for each operation,
documented errors in one shape, enums of codes, strict bodies and bounded paging."""

from __future__ import annotations

import enum
import types
import typing
from collections import defaultdict
from typing import Any

import pydantic
import pytest
from django.test import Client

from socialguard.api.contract import MAX_LIMIT
from socialguard.api.urls import api
from socialguard.identity.models import TokenScope
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, Any]]:
    found = []
    for router in api._get_bound_routers():
        for path, view in router.path_operations.items():
            for operation in view.operations:
                found.append((path, operation))
    return found


def _types(annotation: Any) -> list[Any]:
    """The classes an annotation names, through list[...], X | None, Literal and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return []
    if origin is not None or isinstance(annotation, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _types(arg)]
    return [annotation] if isinstance(annotation, type) else []


def _named_classes() -> dict[str, set[type]]:
    """Every schema and enum class reachable from an operation, by the name the document uses."""
    by_name: dict[str, set[type]] = defaultdict(set)
    todo: list[Any] = []
    for _, operation in _operations():
        for model in operation.models:
            todo += [t for f in model.model_fields.values() for t in _types(f.annotation)]
        for response in operation.response_models.values():
            if response is not None and hasattr(response, "model_fields"):
                todo += _types(response.model_fields["response"].annotation)
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        if issubclass(cls, pydantic.BaseModel):
            by_name[cls.__name__].add(cls)
            todo += [t for f in cls.model_fields.values() for t in _types(f.annotation)]
        elif issubclass(cls, enum.Enum):
            by_name[cls.__name__].add(cls)
    return by_name


def test_every_component_name_is_one_python_schema() -> None:
    document = api.get_openapi_schema()
    by_name = _named_classes()
    clashes = {
        name: sorted(c.__module__ + "." + c.__qualname__ for c in cs)
        for name, cs in by_name.items()
        if len(cs) > 1
    }
    assert clashes == {}
    components = document["components"]["schemas"]
    assert set(components) <= set(by_name), set(components) - set(by_name)


def test_each_request_body_is_its_operations_schema() -> None:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    checked = 0
    for path, operation in _operations():
        bodies = [m for m in operation.models if m.__ninja_param_source__ == "body"]
        if not bodies:
            continue
        (payload,) = [f.annotation for m in bodies for f in m.model_fields.values()]
        spec = document["paths"][f"/api/v1{_prefix(operation)}{path}"][operation.methods[0].lower()]
        ref = spec["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[1]
        assert name == payload.__name__, (operation.operation_id, name)
        assert set(components[name]["properties"]) == set(payload.model_fields), operation.operation_id
        assert components[name].get("additionalProperties") is False, f"{name} is not strict"
        checked += 1
    assert checked >= 20


def _prefix(operation: Any) -> str:
    for router in api._get_bound_routers():
        for view in router.path_operations.values():
            if operation in view.operations:
                return str(router.prefix)
    raise AssertionError(operation)


def test_the_collisions_the_issue_named_are_gone() -> None:
    paths = api.get_openapi_schema()["paths"]
    body = paths["/api/v1/people/staff"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/StaffIn")
    components = api.get_openapi_schema()["components"]["schemas"]
    assert "external_id" in components["StaffIn"]["properties"]
    close = paths["/api/v1/accounts/{account_id}/close"]["post"]["requestBody"]["content"]
    assert set(components[close["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]) == {
        "closed_on",
        "how",
    }


def test_every_operation_documents_its_errors() -> None:
    problem = "#/components/schemas/Problem"
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, spec in methods.items():
            codes = {int(c) for c in spec["responses"]}
            expected = {401, 403}
            if spec.get("parameters") or spec.get("requestBody"):
                expected.add(422)
            if "{" in path:
                expected.add(404)
            assert expected <= codes, (method, path, codes)
            for code in codes - {200, 201}:
                schema = spec["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": problem}, (method, path, code)


def test_enumerations_are_codes_in_the_document() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    assert "bullying" in components["Category"]["enum"]
    assert "x" in components["Platform"]["enum"]
    assert components["ReportIn"]["properties"]["category"] == {"$ref": "#/components/schemas/Category"}


def _bearer(user: Any) -> dict[str, str]:
    secret = token_create(user=user, name="t", scope=TokenScope.READ_WRITE).secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_category_is_sent_as_its_code_and_an_unknown_one_lists_the_codes(team: dict[str, Any]) -> None:
    client, auth = Client(), _bearer(team["tutor"].user)
    label = client.post(
        "/api/v1/cases",
        {"category": "Bullying or harassment by a colleague", "summary": "s"},
        content_type="application/json",
        **auth,
    )
    assert label.status_code == 422
    problem = label.json()
    assert problem["errors"][0]["field"] == "body.category"
    assert "'bullying'" in problem["detail"] and "'safeguarding'" in problem["detail"]
    code = client.post(
        "/api/v1/cases", {"category": "bullying", "summary": "s"}, content_type="application/json", **auth
    )
    assert code.status_code == 201, code.content


def test_a_proposal_platform_is_its_code(published: dict[str, Any]) -> None:
    client, auth = Client(), _bearer(published["boss"].user)
    refused = client.post(
        "/api/v1/accounts/proposals",
        {"platform": "X (Twitter)", "runner_ids": ["S2"], "lead_id": "S2"},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 422 and "'x'" in refused.json()["detail"]


@pytest.fixture
def smt(make_user: Any) -> dict[str, str]:
    return _bearer(make_user(Role.SMT))


@pytest.mark.parametrize(
    "body",
    [[None, None], {}, {"first_name": None}, {"first_name": "Gil", "favourite_colour": "red"}, '"Gil"'],
    ids=["list", "nothing-to-change", "null-required", "unknown-field", "not-an-object"],
)
def test_a_patch_must_be_an_object_of_known_fields_with_something_to_change(
    client: Client, register: dict[str, Any], smt: dict[str, str], body: Any
) -> None:
    boss = register["boss"]
    response = client.patch(f"/api/v1/people/staff/{boss.pk}", body, content_type="application/json", **smt)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    boss.refresh_from_db()
    assert boss.first_name == "Ada"


def test_an_empty_patch_says_what_may_be_sent(
    client: Client, register: dict[str, Any], smt: dict[str, str]
) -> None:
    response = client.patch(
        f"/api/v1/people/staff/{register['boss'].pk}", {}, content_type="application/json", **smt
    )
    assert "send at least one field to change: external_id, first_name" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/staff?limit=1000000",
        f"/api/v1/people/staff?limit={MAX_LIMIT + 1}",
        "/api/v1/people/staff?limit=0",
        f"/api/v1/people/staff?offset={2**63}",
        "/api/v1/people/staff?offset=-1",
        f"/api/v1/audit/events?before={2**63}",
        "/api/v1/audit/events?before=0",
        f"/api/v1/audit/events?limit={2**63}",
        f"/api/v1/people/staff/{2**63}",
        "/api/v1/people/staff?q=%00",
    ],
)
def test_paging_and_ids_out_of_range_are_a_422_saying_where(
    client: Client, register: dict[str, Any], smt: dict[str, str], url: str
) -> None:
    response = client.get(url, **smt)
    assert response.status_code == 422, response.content
    field = response.json()["errors"][0]["field"]
    assert field.startswith(("query.", "path.")), field


def test_a_page_is_at_most_the_documented_maximum(
    client: Client, register: dict[str, Any], smt: dict[str, str]
) -> None:
    page = client.get(f"/api/v1/people/staff?limit={MAX_LIMIT}", **smt)
    assert page.status_code == 200 and page.json()["count"] == 3
    parameters = api.get_openapi_schema()["paths"]["/api/v1/people/staff"]["get"]["parameters"]
    (limit,) = [p for p in parameters if p["name"] == "limit"]
    assert limit["schema"]["maximum"] == MAX_LIMIT and str(MAX_LIMIT) in limit["description"]


def test_errors_share_one_shape(
    client: Client, register: dict[str, Any], smt: dict[str, str], make_user: Any
) -> None:
    for response in [
        client.get("/api/v1/people/staff"),  # 401
        client.get("/api/v1/people/staff/999999", **smt),  # 404
        client.get("/api/v1/audit/verify", **_bearer(make_user(Role.STAFF))),  # 403
    ]:
        assert set(response.json()) == {"detail", "errors"}, response.content


def test_a_request_no_operation_answers_gets_the_same_shape_not_a_web_page(
    client: Client, smt: dict[str, str]
) -> None:
    unknown = client.get("/api/v1/nope/<b>", **smt)
    assert unknown.status_code == 404 and unknown["Content-Type"].startswith("application/json")
    assert set(unknown.json()) == {"detail", "errors"}
    assert "GET /api/v1/nope/<b>" in unknown.json()["detail"] and "openapi.json" in unknown.json()["detail"]
    assert client.get("/api/v2/people", **smt).json()["detail"].startswith("No API operation")

    wrong_method = client.delete("/api/v1/people/staff", **smt)
    assert wrong_method.status_code == 405 and wrong_method["Content-Type"].startswith("application/json")
    assert set(wrong_method["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert wrong_method.json()["detail"].startswith("/api/v1/people/staff does not take DELETE")

    schema = client.post("/api/v1/openapi.json", {})  # the CSRF check answered this with HTML
    assert schema.status_code == 405 and schema["Allow"] == "GET" and "takes GET" in schema.json()["detail"]
    assert client.get("/api/")["Content-Type"] == "application/json; charset=utf-8"
    assert client.get("/api").status_code == 404 and client.get("/api").json()["detail"]
    assert client.get("/api/v1/openapi.json").status_code == 200

    # The web pages keep theirs; an object the API does not find keeps the operation's own answer.
    assert client.get("/no-such-page/").get("Content-Type", "").startswith("text/html")
    assert client.get("/api/v1/people/staff/999999", **smt).json()["detail"] == "Not found."


def test_a_401_names_the_bearer_scheme_and_how_to_get_a_token(client: Client) -> None:
    for response in [
        client.get("/api/v1/people/staff"),
        client.get("/api/v1/people/staff", HTTP_AUTHORIZATION="Bearer not-a-token"),
    ]:
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="socialguard"'
        assert "Authorization: Bearer" in response.json()["detail"]


def test_a_value_longer_than_its_column_is_a_422_naming_the_field_and_nothing_is_stored(
    team: dict[str, Any],
) -> None:
    """SQLite kept a 300-character platform whole (its column holds 60); PostgreSQL would have
    refused it with a server error. The document says each limit (maxLength)."""
    from socialguard.incidents.models import Case

    client, auth = Client(), _bearer(team["tutor"].user)
    before = Case.objects.count()
    for field, value in [("platform", "P" * 61), ("account", "A" * 201), ("source_ref", "R" * 201)]:
        body = {"category": "criticism", "summary": "s", field: value}
        response = client.post("/api/v1/cases", body, content_type="application/json", **auth)
        assert response.status_code == 422, (field, response.content)
        assert response.json()["errors"][0]["field"] == f"body.{field}"
    huge = {"category": "criticism", "summary": "s" * 10_001}
    assert client.post("/api/v1/cases", huge, content_type="application/json", **auth).status_code == 422
    assert Case.objects.count() == before
    components = api.get_openapi_schema()["components"]["schemas"]
    assert components["ReportIn"]["properties"]["platform"]["maxLength"] == 60
    assert components["SecretIn"]["properties"]["label"]["maxLength"] == 120
    assert components["ScreeningIn"]["properties"]["candidate"]["maxLength"] == 200


def test_head_is_answered_as_the_get_without_its_body(
    client: Client, register: dict[str, Any], smt: dict[str, str]
) -> None:
    """HTTP says every GET takes HEAD (link checkers and monitors send it): it answered 405."""
    get = client.get("/api/v1/people/staff", **smt)
    head = client.head("/api/v1/people/staff", **smt)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"] and head["Content-Length"] == str(len(get.content))
    # Its permissions are the GET's: no token, no answer; an unknown id, a 404.
    assert client.head("/api/v1/people/staff").status_code == 401
    assert client.head("/api/v1/people/staff/999999", **smt).status_code == 404
    assert client.head("/api/v1/openapi.json").status_code == 200
    # A path that takes no GET says so.
    refused = client.head("/api/v1/people/import/staff", **smt)
    assert refused.status_code == 405 and refused.content == b""
