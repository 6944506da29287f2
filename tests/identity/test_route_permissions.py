"""Every route declares who may use it, and the declaration holds for each role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from ninja.operation import PathView

from socialguard.accounts.models import OrgAccount
from socialguard.api.auth import TokenAuth
from socialguard.api.urls import PUBLIC_URL_NAMES
from socialguard.content.models import Draft, PublishedPost
from socialguard.identity.access import access_of
from socialguard.identity.models import TokenScope
from socialguard.identity.permissions import ACTIONS, PUBLIC, SIGNED_IN, can
from socialguard.identity.roles import Role
from socialguard.identity.services import token_create
from tests.conftest import sign_in


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str
    access: str | None
    methods: tuple[str, ...]
    is_api: bool


def _path_view(callback: Any) -> PathView | None:
    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


def _walk(patterns: list[Any], prefix: str = "") -> list[Route]:
    routes: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            routes += _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            view = _path_view(p.callback)
            if view is not None:
                for op in view.operations:
                    if any(r.pattern == full and r.methods == tuple(op.methods) for r in routes):
                        continue  # ninja adds one URL pattern per operation of the same path
                    actions = [a.action for a in op.auth_callbacks if isinstance(a, TokenAuth)]
                    routes.append(
                        Route(full, p.name or "", actions[0] if actions else None, tuple(op.methods), True)
                    )
            elif p.name in PUBLIC_URL_NAMES and full.startswith("api/"):
                routes.append(Route(full, p.name or "", PUBLIC, ("GET",), True))
            else:
                routes.append(Route(full, p.name or "", access_of(p.callback), ("GET",), False))
    return routes


ROUTES = _walk(get_resolver().url_patterns)
KNOWN = set(ACTIONS) | {PUBLIC, SIGNED_IN}


def test_every_route_declares_a_known_rule() -> None:
    undeclared = [r.pattern for r in ROUTES if r.access not in KNOWN]
    assert ROUTES, "no routes found"
    assert not undeclared, f"routes without a declared permission: {undeclared}"


def test_the_walk_sees_web_and_api_routes() -> None:
    assert any(r.is_api and r.access == "people.import" for r in ROUTES)
    assert any(not r.is_api and r.access == "audit.view" for r in ROUTES)


def _concrete(pattern: str, objects: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name == "kind":
            return "staff"
        if name in ("uidb64", "token"):
            return "x"
        for prefix, pk in objects.items():
            if pattern.startswith(prefix):
                return str(pk)
        return "1"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern)
    path = re.sub(r"\{(\w+)\}", lambda m: fill(re.match(r"<()(\w+)>", f"<{m.group(1)}>")), path)  # type: ignore[arg-type]
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def objects(register: dict[str, Any], make_user: Any) -> dict[str, Any]:
    other = make_user(Role.STAFF)
    token = token_create(user=other, name="t", scope=TokenScope.READ).token
    # A draft and its archived post, so the posts pages answer for a real object (the draft with an
    # id of its own: the API's routes are filled with 1, and another's draft is refused as such).
    account = OrgAccount.objects.create(platform="linkedin", handle="DMM", login_email="s@dmm.example")
    draft = Draft.objects.create(
        pk=9001, account=account, author=register["tutor"], text="Hello", state="published"
    )
    post = PublishedPost.objects.create(
        draft=draft, account=account, platform="linkedin", text="Hello", content_hash="0" * 64,
        drafter=register["tutor"], drafter_name="Ben Tutor", verdict="pass", published_at=timezone.now(),
    )  # fmt: skip
    return {
        "posts/archive/": post.pk,
        "posts/": draft.pk,
        "people/staff/": register["tutor"].pk,
        "people/learners/": register["young"].pk,
        "people/guardians/": register["guardian"].pk,
        "people/sign-ins/": other.pk,
        "account/tokens/": token.pk,
        "api/v1/people/staff/": register["tutor"].pk,
        "api/v1/people/learners/": register["young"].pk,
        "api/v1/people/guardians/": register["guardian"].pk,
    }


WEB_ROUTES = [r for r in ROUTES if not r.is_api]
API_ROUTES = [r for r in ROUTES if r.is_api and r.access != PUBLIC]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_web_routes_for_each_role(role: Role, client: Any, make_user: Any, objects: dict[str, Any]) -> None:
    user = make_user(role)
    sign_in(client, user)
    wrong = []
    for route in WEB_ROUTES:
        url = _concrete(route.pattern, objects)
        status = client.get(url).status_code
        allowed = can(user, route.access or "")
        if (allowed and status == 403) or (not allowed and status != 403):
            wrong.append(
                f"{url} ({route.access}): {status} for {role}, expected {'access' if allowed else 403}"
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_web_routes_anonymous(client: Any, objects: dict[str, Any]) -> None:
    wrong = []
    for route in WEB_ROUTES:
        url = _concrete(route.pattern, objects)
        response = client.get(url)
        if route.access == PUBLIC:
            if response.status_code in (401, 403) or (
                "sign-in" in response.get("Location", "") and "next=" in response.get("Location", "")
            ):
                wrong.append(f"{url} is public but refused")
        elif not (response.status_code == 302 and "/account/sign-in/" in response["Location"]):
            wrong.append(f"{url} ({route.access}) answered {response.status_code} to an anonymous visitor")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_api_routes_for_each_role(role: Role, client: Any, make_user: Any, objects: dict[str, Any]) -> None:
    user = make_user(role)
    secret = token_create(user=user, name="all", scope=TokenScope.READ_WRITE).secret
    wrong = []
    for route in API_ROUTES:
        url = _concrete(route.pattern, objects)
        for method in route.methods:
            response = client.generic(
                method, url, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
            )
            allowed = can(user, route.access or "")
            if (allowed and response.status_code in (401, 403)) or (
                not allowed and response.status_code != 403
            ):
                wrong.append(f"{method} {url} ({route.access}): {response.status_code} for {role}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_api_routes_refuse_missing_and_bogus_tokens(client: Any, objects: dict[str, Any]) -> None:
    for route in API_ROUTES:
        url = _concrete(route.pattern, objects)
        for method in route.methods:
            assert client.generic(method, url).status_code == 401, url
            assert client.generic(method, url, HTTP_AUTHORIZATION="Bearer sg_nope").status_code == 401, url


def test_openapi_document_is_served(client: Any, db: Any) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/people/staff" in response.json()["paths"]
