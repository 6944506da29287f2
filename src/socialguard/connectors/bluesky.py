"""The Bluesky (AT Protocol) connector, built on the `atproto` SDK.

It signs in with an app password, never the account's main password. Every call has a timeout and
every failure becomes one of the connector errors in plain words. A post is written with the
record key (a TID) the caller chose and stored beforehand, so publishing again after a crash finds
the post instead of posting twice.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import regex
from atproto_client import exceptions as atp
from atproto_client.request import Request

from atproto import Client, models
from socialguard.connectors.base import (
    AccountInfo,
    AuthenticationFailed,
    ConnectorError,
    Credentials,
    MediaUpload,
    NotFound,
    OutgoingPost,
    PlatformPost,
    PlatformUnavailable,
    PostRejected,
    PublishedRecord,
    register_connector,
)

log = logging.getLogger(__name__)

DEFAULT_SERVICE = "https://bsky.social"
POST = "app.bsky.feed.post"
MAX_GRAPHEMES = 300  # app.bsky.feed.post: text maxGraphemes
MAX_TEXT_BYTES = 3000  # ... and maxLength in UTF-8 bytes
MAX_IMAGES = 4  # app.bsky.embed.images
MAX_IMAGE_BYTES = 1_000_000  # the image blob's maxSize
MAX_ALT_CHARS = 2000  # what the Bluesky app allows for alt text
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})
WEB_URL = "https://bsky.app"

_GRAPHEME = regex.compile(r"\X")
_HANDLE = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
_MENTION = re.compile(rf"(?:^|(?<=[\s(\[]))@({_HANDLE})")
_URL = re.compile(r"(?:^|(?<=[\s(\[]))(https?://[^\s<>\"]+)", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
# A hashtag as the Bluesky app reads one: after a space, not all digits, trailing punctuation dropped.
_TAG = regex.compile(r"(?:^|(?<=\s))[#\uff03]((?!\ufe0f)[^\s#\uff03]*[^\d\s\p{P}][^\s#\uff03]*)")
MAX_TAG_CHARS = 64


def grapheme_count(text: str) -> int:
    """Characters as a person counts them: an emoji with modifiers or a letter with accents is one."""
    return len(_GRAPHEME.findall(text))


def check_text(text: str, *, has_media: bool = False) -> None:
    """Refuse, before any call, a post Bluesky would refuse for its text."""
    if not text.strip() and not has_media:
        raise PostRejected("The post is empty: write some text or add an image.")
    count = grapheme_count(text)
    if count > MAX_GRAPHEMES:
        raise PostRejected(
            f"The post is {count} characters long; Bluesky allows {MAX_GRAPHEMES}. "
            f"Shorten it by {count - MAX_GRAPHEMES}."
        )
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise PostRejected("The post has too many special characters for Bluesky: shorten it.")


_PIL_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def check_media(media: tuple[MediaUpload, ...]) -> list[tuple[int, int]]:
    """Refuse, before any call, images Bluesky would refuse; the width and height of each."""
    from PIL import Image, UnidentifiedImageError

    if len(media) > MAX_IMAGES:
        raise PostRejected(
            f"A Bluesky post can carry at most {MAX_IMAGES} images; this one has {len(media)}."
        )
    sizes = []
    for number, item in enumerate(media, start=1):
        if item.mime_type not in IMAGE_TYPES:
            raise PostRejected(
                f"Image {number} is a {item.mime_type or 'file of unknown type'}; "
                "Bluesky takes JPEG, PNG, WebP or GIF images."
            )
        if len(item.data) > MAX_IMAGE_BYTES:
            raise PostRejected(
                f"Image {number} is {len(item.data) / 1_000_000:.1f} MB; Bluesky takes images up to 1 MB."
            )
        if len(item.alt) > MAX_ALT_CHARS:
            raise PostRejected(
                f"The description of image {number} is longer than {MAX_ALT_CHARS} characters."
            )
        try:
            with Image.open(io.BytesIO(item.data)) as image:
                kind, size = _PIL_TYPES.get(image.format or ""), image.size
        except (UnidentifiedImageError, OSError):
            kind, size = None, (0, 0)
        if kind != item.mime_type:
            raise PostRejected(f"Image {number} is not the {item.mime_type} image it says it is.")
        sizes.append(size)
    return sizes


# A record key is a TID: microseconds since 1970 and a random clock id, in a sortable base32.
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_tid_lock = threading.Lock()
_tid_last = 0


def new_tid() -> str:
    global _tid_last
    with _tid_lock:
        micros = max(time.time_ns() // 1000, _tid_last + 1)  # strictly increasing in this process
        _tid_last = micros
    value = (micros << 10) | secrets.randbelow(1024)
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _byte_slice(text: str, start: int, end: int) -> models.AppBskyRichtextFacet.ByteSlice:
    # Facets index the UTF-8 bytes, not the characters.
    return models.AppBskyRichtextFacet.ByteSlice(
        byte_start=len(text[:start].encode()), byte_end=len(text[:end].encode())
    )


def _trim_url(url: str) -> str:
    url = url.rstrip(_TRAILING)
    if url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1].rstrip(_TRAILING)
    return url


def _at_uri_parts(uri: str) -> tuple[str, str, str]:
    match = re.fullmatch(r"at://([^/]+)/([^/]+)/([^/]+)", uri)
    if not match:
        raise NotFound(f"{uri!r} is not the address of a Bluesky post.")
    return match.group(1), match.group(2), match.group(3)


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _timestamp(moment: dt.datetime | None) -> str:
    """The record's createdAt: an ISO time with its zone, which Bluesky requires (naive means UTC)."""
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _said(error: atp.AtProtocolError) -> str:
    """The platform's own reason, if it gave one."""
    response = getattr(error, "response", None)
    content = getattr(response, "content", None)
    name = str(getattr(content, "error", "") or "")
    message = str(getattr(content, "message", "") or "")
    return f"{name}: {message}" if name and message else name or message


def _error_name(error: atp.AtProtocolError) -> str:
    content = getattr(getattr(error, "response", None), "content", None)
    return str(getattr(content, "error", "") or "")


class BlueskyConnector:
    platform = "bluesky"
    max_length = MAX_GRAPHEMES

    def __init__(self, credentials: Credentials, *, timeout: float | None = None) -> None:
        self.credentials = credentials
        self.service = (credentials.service or DEFAULT_SERVICE).rstrip("/")
        self.timeout = (
            timeout if timeout is not None else float(os.environ.get("SOCIALGUARD_BLUESKY_TIMEOUT", 20))
        )
        self._client: Client | None = None
        self._did = ""
        self._handle = ""

    def __repr__(self) -> str:
        return f"BlueskyConnector(identifier={self.credentials.identifier!r}, service={self.service!r})"

    # -- the calls ---------------------------------------------------------------------------------

    @contextmanager
    def _calling(self, doing: str) -> Iterator[None]:
        """Turn the SDK's and HTTP errors into connector errors a runner can act on."""
        try:
            yield
        except ConnectorError:
            raise
        except atp.InvokeTimeoutError:
            raise PlatformUnavailable(
                f"Bluesky did not answer within {self.timeout:g} seconds while {doing}. Try again later."
            ) from None
        except atp.UnauthorizedError as error:
            raise AuthenticationFailed(
                f"Bluesky refused the app password for {self.credentials.identifier} while {doing}: "
                "it may have been revoked. Create a new app password in Bluesky's settings and store it "
                f"in the vault. ({_said(error) or 'not authorised'})"
            ) from None
        except atp.RateLimitExceededError:
            raise PlatformUnavailable(
                f"Bluesky asked us to slow down while {doing}. Try again later."
            ) from None
        except atp.NetworkError as error:
            if error.response is None:
                raise PlatformUnavailable(
                    f"Could not reach Bluesky at {self.service} while {doing}. Try again later."
                ) from None
            raise PlatformUnavailable(
                f"Bluesky had a problem while {doing} ({error.response.status_code}). Try again later."
            ) from None
        except atp.BadRequestError as error:
            if _error_name(error) in {
                "RecordNotFound",
                "NotFound",
                "ProfileNotFound",
                "InvalidHandle",
                "HandleNotFound",
            }:
                raise NotFound(f"Bluesky could not find it while {doing}. ({_said(error)})") from None
            raise PostRejected(
                f"Bluesky refused the request while {doing}: {_said(error) or 'bad request'}."
            ) from None
        except atp.RequestException as error:
            status = error.response.status_code if error.response is not None else 0
            if status == 404:
                raise NotFound(f"Bluesky could not find it while {doing}.") from None
            raise PlatformUnavailable(
                f"Bluesky had a problem while {doing} ({status or 'no answer'}). Try again later."
            ) from None
        except httpx.HTTPError as error:  # what the SDK does not wrap, e.g. a connection cut mid-answer
            raise PlatformUnavailable(
                f"The connection to Bluesky failed while {doing} ({type(error).__name__}). Try again later."
            ) from None

    def _signed_in(self) -> Client:
        if self._client is not None:
            return self._client
        if not self.credentials.identifier or not self.credentials.secret:
            raise AuthenticationFailed("The Bluesky account has no handle or app password stored.")
        client = Client(base_url=self.service, request=Request(timeout=httpx.Timeout(self.timeout)))
        with self._calling("signing in"):
            try:
                client.login(self.credentials.identifier, self.credentials.secret, fetch_bsky_profile=False)
            except atp.BadRequestError as error:  # an unknown handle is a 400 on some servers
                said = _said(error) or "bad request"
                raise AuthenticationFailed(
                    f"Bluesky refused to sign in {self.credentials.identifier}: {said}. "
                    "Check the handle and create a new app password if needed."
                ) from None
        session = client._session  # the SDK keeps the signed-in DID and handle here
        if session is None:
            raise AuthenticationFailed(f"Bluesky did not open a session for {self.credentials.identifier}.")
        self._did, self._handle = session.did, session.handle
        self._client = client
        log.info("Signed in to Bluesky as %s", self._handle)
        return client

    def _url(self, rkey: str) -> str:
        return f"{WEB_URL}/profile/{self._handle or self._did}/post/{rkey}"

    # -- Connector ---------------------------------------------------------------------------------

    def new_record_key(self) -> str:
        return new_tid()

    def find(self, record_key: str) -> PublishedRecord | None:
        client = self._signed_in()
        with self._calling("looking for the post"):
            try:
                found = client.com.atproto.repo.get_record(
                    models.ComAtprotoRepoGetRecord.Params(repo=self._did, collection=POST, rkey=record_key)
                )
            except atp.BadRequestError as error:
                if _error_name(error) == "RecordNotFound":
                    return None
                raise
        return PublishedRecord(
            uri=found.uri, id=found.cid or "", url=self._url(record_key), record_key=record_key
        )

    def publish(self, post: OutgoingPost) -> PublishedRecord:
        # Everything that can be checked here is checked before anything is sent.
        check_text(post.text, has_media=bool(post.media))
        sizes = check_media(post.media)
        if not regex.fullmatch(r"[a-z2-7]{13}", post.record_key):
            raise PostRejected(f"{post.record_key!r} is not a Bluesky record key (use new_record_key).")
        existing = self.find(post.record_key)
        if existing is not None:
            log.info("Bluesky post %s already exists: not posting again", existing.uri)
            return existing
        client = self._signed_in()
        record = models.AppBskyFeedPost.Record(
            text=post.text,
            created_at=_timestamp(post.created_at),
            facets=self._facets(post.text) or None,
            reply=self._reply_ref(post.reply_to) if post.reply_to else None,
            embed=self._images(post.media, sizes) if post.media else None,
            langs=["en"],
        )
        with self._calling("publishing the post"):
            try:
                created = client.com.atproto.repo.create_record(
                    models.ComAtprotoRepoCreateRecord.Data(
                        repo=self._did, collection=POST, rkey=post.record_key, record=record
                    )
                )
            except (atp.BadRequestError, atp.NetworkError) as error:
                # Another try got there first (a 400/409 for the taken key): that post is ours.
                if getattr(error, "response", None) is not None:
                    existing = self.find(post.record_key)
                    if existing is not None:
                        return existing
                raise
        log.info("Published Bluesky post %s", created.uri)
        return PublishedRecord(
            uri=created.uri, id=created.cid, url=self._url(post.record_key), record_key=post.record_key
        )

    def delete(self, uri: str) -> None:
        repo, collection, rkey = _at_uri_parts(uri)
        client = self._signed_in()
        if repo not in {self._did, self._handle}:
            raise PostRejected(
                "That post belongs to another Bluesky account: only the account's own posts can be deleted."
            )
        with self._calling("deleting the post"):
            client.com.atproto.repo.delete_record(
                models.ComAtprotoRepoDeleteRecord.Data(repo=self._did, collection=collection, rkey=rkey)
            )
        log.info("Deleted Bluesky post %s", uri)

    def fetch_own_posts(self, *, cursor: str = "", limit: int = 50) -> tuple[list[PlatformPost], str]:
        client = self._signed_in()
        with self._calling("reading the account's posts"):
            feed = client.app.bsky.feed.get_author_feed(
                models.AppBskyFeedGetAuthorFeed.Params(
                    actor=self._did,
                    cursor=cursor or None,
                    limit=max(1, min(limit, 100)),
                    filter="posts_with_replies",
                )
            )
        posts = [self._platform_post(item.post) for item in feed.feed if item.reason is None]
        return posts, feed.cursor or ""

    def search_mentions(
        self, query: str, *, cursor: str = "", limit: int = 50
    ) -> tuple[list[PlatformPost], str]:
        if not query.strip():
            raise PostRejected("Say what to search for.")
        client = self._signed_in()
        with self._calling("searching posts"):
            found = client.app.bsky.feed.search_posts(
                models.AppBskyFeedSearchPosts.Params(
                    q=query, cursor=cursor or None, limit=max(1, min(limit, 100)), sort="latest"
                )
            )
        return [self._platform_post(view) for view in found.posts], found.cursor or ""

    def lookup_account(self, handle: str) -> AccountInfo:
        handle = handle.strip().removeprefix("@")
        client = self._signed_in()
        with self._calling(f"looking up {handle}"):
            try:
                profile = client.app.bsky.actor.get_profile(
                    models.AppBskyActorGetProfile.Params(actor=handle)
                )
            except atp.BadRequestError as error:
                if _error_name(error) not in {"InvalidRequest", "NotFound", "ProfileNotFound"}:
                    raise
                # The AppView may not have indexed a new account yet: the handle itself still resolves.
                resolved = client.com.atproto.identity.resolve_handle(
                    models.ComAtprotoIdentityResolveHandle.Params(handle=handle)
                )
                return AccountInfo(handle=handle, id=resolved.did, url=f"{WEB_URL}/profile/{handle}")
        return AccountInfo(
            handle=profile.handle,
            id=profile.did,
            display_name=profile.display_name or "",
            url=f"{WEB_URL}/profile/{profile.handle}",
        )

    def search_accounts(self, query: str, *, limit: int = 25) -> list[AccountInfo]:
        if not query.strip():
            raise PostRejected("Say what to search for.")
        client = self._signed_in()
        with self._calling("searching accounts"):
            found = client.app.bsky.actor.search_actors(
                models.AppBskyActorSearchActors.Params(q=query, limit=max(1, min(limit, 100)))
            )
        return [
            AccountInfo(
                handle=actor.handle,
                id=actor.did,
                display_name=actor.display_name or "",
                url=f"{WEB_URL}/profile/{actor.handle}",
            )
            for actor in found.actors
        ]

    # -- building the record ---------------------------------------------------------------------

    def _facets(self, text: str) -> list[models.AppBskyRichtextFacet.Main]:
        """Links, @mentions and #hashtags as rich-text facets, so they show as links on Bluesky."""
        facets: list[models.AppBskyRichtextFacet.Main] = []
        for match in _URL.finditer(text):
            url = _trim_url(match.group(1))
            start = match.start(1)
            facets.append(
                models.AppBskyRichtextFacet.Main(
                    index=_byte_slice(text, start, start + len(url)),
                    features=[models.AppBskyRichtextFacet.Link(uri=url)],
                )
            )
        for match in _MENTION.finditer(text):
            handle = match.group(1).rstrip(_TRAILING)
            did = self._resolve_handle(handle)
            if did:  # an unknown handle stays plain text, as in the Bluesky app
                facets.append(
                    models.AppBskyRichtextFacet.Main(
                        index=_byte_slice(text, match.start(), match.start(1) + len(handle)),
                        features=[models.AppBskyRichtextFacet.Mention(did=did)],
                    )
                )
        for match in _TAG.finditer(text):
            tag = regex.sub(r"\p{P}+$", "", match.group(1))
            if tag and len(tag) <= MAX_TAG_CHARS:
                facets.append(
                    models.AppBskyRichtextFacet.Main(
                        index=_byte_slice(text, match.start(), match.start(1) + len(tag)),
                        features=[models.AppBskyRichtextFacet.Tag(tag=tag)],
                    )
                )
        return sorted(facets, key=lambda facet: facet.index.byte_start)

    def _resolve_handle(self, handle: str) -> str:
        client = self._signed_in()
        with self._calling(f"looking up @{handle}"):
            try:
                return client.com.atproto.identity.resolve_handle(
                    models.ComAtprotoIdentityResolveHandle.Params(handle=handle.lower())
                ).did
            except atp.BadRequestError:
                return ""

    def _reply_ref(self, parent_uri: str) -> models.AppBskyFeedPost.ReplyRef:
        repo, collection, rkey = _at_uri_parts(parent_uri)
        client = self._signed_in()
        with self._calling("finding the post this replies to"):
            try:
                parent = client.com.atproto.repo.get_record(
                    models.ComAtprotoRepoGetRecord.Params(repo=repo, collection=collection, rkey=rkey)
                )
            except atp.BadRequestError as error:
                if _error_name(error) != "RecordNotFound":
                    raise
                raise NotFound("The post this replies to no longer exists on Bluesky.") from None
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid or "")
        value: Any = parent.value
        reply = getattr(value, "reply", None)
        root_ref = (
            models.ComAtprotoRepoStrongRef.Main(uri=reply.root.uri, cid=reply.root.cid)
            if reply
            else parent_ref
        )
        return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=parent_ref)

    def _images(
        self, media: tuple[MediaUpload, ...], sizes: list[tuple[int, int]]
    ) -> models.AppBskyEmbedImages.Main:
        client = self._signed_in()
        images = []
        for number, (item, (width, height)) in enumerate(zip(media, sizes, strict=True), start=1):
            with self._calling(f"uploading image {number}"):
                blob = client.com.atproto.repo.upload_blob(
                    item.data, headers={"Content-Type": item.mime_type}
                ).blob
            images.append(
                models.AppBskyEmbedImages.Image(
                    alt=item.alt,
                    image=blob,
                    # lets Bluesky lay the image out before it loads
                    aspect_ratio=models.AppBskyEmbedDefs.AspectRatio(width=width, height=height),
                )
            )
        return models.AppBskyEmbedImages.Main(images=images)

    def _platform_post(self, view: models.AppBskyFeedDefs.PostView) -> PlatformPost:
        record: Any = view.record
        reply = getattr(record, "reply", None)
        rkey = view.uri.rsplit("/", 1)[-1]
        return PlatformPost(
            uri=view.uri,
            id=view.cid,
            url=f"{WEB_URL}/profile/{view.author.handle}/post/{rkey}",
            text=getattr(record, "text", "") or "",
            author_handle=view.author.handle,
            created_at=_parse_time(getattr(record, "created_at", None)),
            reply_to=reply.parent.uri if reply else "",
        )


register_connector("bluesky", BlueskyConnector)
