"""API authentication and the API side of the permission layer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from socialguard.identity.models import TokenScope, User
from socialguard.identity.permissions import can, describe, is_write
from socialguard.identity.services import token_authenticate
from socialguard.web.access import ACCESS_ATTR


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def api_requires(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare and enforce who may call an API operation (the same actions as the web pages)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not can(request.user, action):
                raise HttpError(403, f"You may not {describe(action)}.")
            token = getattr(request, "api_token", None)
            if is_write(action) and (token is None or token.scope != TokenScope.READ_WRITE):
                raise HttpError(403, "This token is read-only; create a read-write token to make changes.")
            return func(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, action)
        return wrapper

    return decorate
