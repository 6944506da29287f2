"""Each view declares who may use it; the declaration is also what enforces it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from socialguard.identity.models import User
from socialguard.identity.permissions import PUBLIC, SIGNED_IN, can

View = Callable[..., HttpResponseBase]
ACCESS_ATTR = "sg_access"


def requires(action: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if action != PUBLIC:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if not can(request.user, action):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, action)
        return wrapper

    return decorate


public = requires(PUBLIC)
signed_in = requires(SIGNED_IN)


def current_user(request: HttpRequest) -> User:
    """The signed-in person; only called behind a declared rule that refuses anonymous visitors."""
    return cast(User, request.user)


def access_of(view: Any) -> str | None:
    return getattr(view, ACCESS_ATTR, None)
