"""API authentication and the API side of the permission layer.

Each operation passes `auth=requires(ACTION)`. The check runs before ninja parses the request,
so a caller without the role gets 403 whatever they send. The API's default auth declares no
action and refuses everything: an operation that forgets to declare one fails closed.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from socialguard.identity.models import ApiToken, TokenScope, User
from socialguard.identity.permissions import can, describe, is_write
from socialguard.identity.services import token_authenticate


class TokenAuth(HttpBearer):
    def __init__(self, action: str | None = None) -> None:
        super().__init__()
        self.action = action

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found: ApiToken | None = token_authenticate(token)
        if found is None:
            return None  # ninja answers 401
        if self.action is None:
            raise HttpError(403, "This operation declares no permission, so nobody may use it.")
        if not can(found.user, self.action):
            raise HttpError(403, f"You may not {describe(self.action)}.")
        if is_write(self.action) and found.scope != TokenScope.READ_WRITE:
            raise HttpError(403, "This token is read-only; create a read-write token to make changes.")
        request.user = found.user
        return found.user


def requires(action: str) -> TokenAuth:
    return TokenAuth(action)
