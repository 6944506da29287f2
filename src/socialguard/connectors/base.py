"""The connector interface every platform implements, its data types and its errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Credentials:
    """What a connector signs in with. `secret` comes from the vault and is never logged."""

    identifier: str  # handle or email the platform signs in with
    secret: str = field(repr=False)  # an app password, never the account's main password
    service: str = ""  # the platform's server, e.g. https://bsky.social or http://127.0.0.1:2583

    def __repr__(self) -> str:  # keep the secret out of tracebacks and logs
        return f"Credentials(identifier={self.identifier!r}, service={self.service!r})"


@dataclass(frozen=True)
class MediaUpload:
    data: bytes = field(repr=False)
    mime_type: str
    alt: str = ""


@dataclass(frozen=True)
class OutgoingPost:
    text: str
    # Chosen (Connector.new_record_key) and stored *before* the platform is called, so a retry
    # after a crash between the call and the database commit finds the post instead of posting twice.
    record_key: str
    media: tuple[MediaUpload, ...] = ()
    reply_to: str = ""  # the platform URI of the post this replies to
    created_at: dt.datetime | None = None


@dataclass(frozen=True)
class PublishedRecord:
    uri: str  # the platform's stable identifier (at:// URI on Bluesky)
    id: str  # the platform's content id or post id (the CID on Bluesky)
    url: str  # a link a person can open
    record_key: str


@dataclass(frozen=True)
class PlatformPost:
    """A post read from the platform: the account's own, or one that mentions the organisation."""

    uri: str
    id: str
    url: str
    text: str
    author_handle: str
    created_at: dt.datetime | None
    reply_to: str = ""


@dataclass(frozen=True)
class AccountInfo:
    handle: str
    id: str  # the DID on Bluesky
    display_name: str = ""
    url: str = ""


class ConnectorError(Exception):
    """A failure in words a runner understands. `retryable` says whether trying later may work."""

    retryable: bool = False


class PlatformUnavailable(ConnectorError):
    """The platform did not answer or answered with a server error: try again later."""

    retryable = True


class AuthenticationFailed(ConnectorError):
    """The credentials were refused (e.g. an expired or revoked app password): a person must act."""


class PostRejected(ConnectorError):
    """The platform refused the post itself (too long, bad media): retrying will not help."""


class NotFound(ConnectorError):
    """The post or account does not exist on the platform."""


class Connector(Protocol):
    platform: str  # the accounts.Platform code, e.g. "bluesky"
    max_length: int  # the platform's limit, in the unit it counts (Bluesky: 300 graphemes)

    def new_record_key(self) -> str:
        """A fresh key for a post not yet published."""
        ...

    def publish(self, post: OutgoingPost) -> PublishedRecord:
        """Publish `post`, or return the record already published under `post.record_key`."""
        ...

    def find(self, record_key: str) -> PublishedRecord | None:
        """The account's post with this key, if it exists."""
        ...

    def delete(self, uri: str) -> None:
        """Remove the post. Deleting a post that is already gone is not an error."""
        ...

    def fetch_own_posts(self, *, cursor: str = "", limit: int = 50) -> tuple[list[PlatformPost], str]:
        """The account's posts, newest first, and the cursor for the next page ("" at the end)."""
        ...

    def search_mentions(
        self, query: str, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[PlatformPost], str]:
        """Posts matching `query`, and the cursor for the next page ("" at the end)."""
        ...

    def lookup_account(self, handle: str) -> AccountInfo: ...

    def search_accounts(self, query: str, *, limit: int = 25) -> list[AccountInfo]:
        """Accounts whose name or handle matches `query` (monitoring's look-alike discovery)."""
        ...


ConnectorFactory = Callable[[Credentials], Connector]
_factories: dict[str, ConnectorFactory] = {}


def register_connector(platform: str, factory: ConnectorFactory) -> None:
    _factories[platform] = factory


def supported_platforms() -> list[str]:
    _load_builtin()
    return sorted(_factories)


def factory_for(platform: str) -> ConnectorFactory | None:
    """The registered factory for `platform`, without signing in; None: the manual path."""
    _load_builtin()
    return _factories.get(platform)


def connector_for(platform: str, credentials: Credentials) -> Connector | None:
    """The connector for `platform` signed in with `credentials`, or None: the manual path."""
    factory = factory_for(platform)
    return factory(credentials) if factory else None


def _load_builtin() -> None:
    # Imported lazily so that importing the interface does not import every platform's SDK.
    import importlib

    for module in ("socialguard.connectors.bluesky",):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
