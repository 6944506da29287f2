"""Who may do what with sign-ins. Each view declares who may use it (the declaration is also what
enforces it), and each identity service checks its actor with `require`, so that no surface (web,
API, CLI) can skip the check."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from socialguard.identity import permissions
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


# A person's own password and API tokens are theirs to change; anyone else's, SMT's ("users.manage").
OWN_SIGN_IN = "identity.own_sign_in"
# Roles and whether a sign-in is active: SMT's, but never their own (another SMT member changes
# them), so nobody can raise their own access or lock out everyone else by accident.
OTHERS_SIGN_IN = "identity.others_sign_in"


def require(actor: User | None, action: str, user: User | None = None) -> None:
    """Refuse `actor` unless they may take `action` on `user`'s sign-in.

    `actor` None is the server's administrator (`socialguard createuser`, `setpassword`) or the
    system itself; the web and the API always act as a signed-in person."""
    if actor is None:
        return
    if action == OWN_SIGN_IN:
        if user is not None and user.pk == actor.pk:
            return
        action = "users.manage"
    elif action == OTHERS_SIGN_IN:
        permissions.require(actor, "users.manage")
        if user is not None and user.pk == actor.pk:
            raise PermissionDenied("nobody changes their own roles or sign-in: another SMT member must")
        return
    permissions.require(actor, action)
