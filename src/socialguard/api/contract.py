"""What every operation's contract shares: strict request bodies, text and id types the database
can store, and the one pagination with a documented maximum page size."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase
from pydantic import AfterValidator, ConfigDict

from socialguard.rules.model import MAX_TEXT_CHARS

# Page size: a larger `limit` is refused (422), not clamped, so a client never mistakes a
# short page for the end of the list.
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Offsets past this are refused: nothing has that many rows, and the database's 64-bit
# integers overflow (a 500) well before Python's do.
MAX_OFFSET = 1_000_000_000
# Primary keys are 64-bit (BigAutoField); a larger number would overflow the database's integer.
MAX_ID = 2**63 - 1
# Day counts that keep date arithmetic (today + n days) far from year 9999.
MAX_DAYS = 3650


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL in text and no database stores lone surrogates: refuse them here
    # with a message rather than fail at the database with a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\u0000) characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return value


def stored_length(model: type[Any], field: str) -> int:
    """The most characters `model.field` holds. An API field stored there declares it (maxLength)
    and refuses more with a 422 naming the field: SQLite would keep the whole value and
    PostgreSQL refuse it with a server error."""
    length = model._meta.get_field(field).max_length
    if not length:
        raise ValueError(f"{model.__name__}.{field} has no max_length")
    return int(length)


# A string the database can store. The pattern documents the rule for clients and generators.
Text = Annotated[str, AfterValidator(_storable), Field(json_schema_extra={"pattern": "^[^\\x00]*$"})]


def _post_length(value: str) -> str:
    if len(value) > MAX_TEXT_CHARS:
        longest = f"{MAX_TEXT_CHARS:,} (Facebook)"
        raise ValueError(f"is {len(value):,} characters; the longest post any platform allows is {longest}")
    return value


# A post's text: at most the longest any platform allows, said in characters (pydantic's own
# max_length message spoke of "items").
PostText = Annotated[
    Text, AfterValidator(_post_length), Field(json_schema_extra={"maxLength": MAX_TEXT_CHARS})
]
# An object id in a path.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
# An object id in a body or query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Days = Annotated[int, Field(ge=1, le=MAX_DAYS)]


class In(Schema):
    """A request body: unknown fields are refused (a misspelt field is an error, not ignored),
    and so is anything that is not a JSON object."""

    model_config = ConfigDict(extra="forbid")


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"Items to skip, at most {MAX_OFFSET:,}.")


class Paging(LimitOffsetPagination):
    """`limit` (1 to 200, default 50) and `offset` (0 to 1,000,000,000); out of range is a 422."""

    Input = PageParams  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class KeysetParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
    before: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The previous page's `next`: the items after it. Omit for the first.",
    )


class Keyset(PaginationBase):
    """Newest first by a unique, indexed integer key, for lists too long for `offset` (the audit
    trail: about a million events, where skipping to a deep page read every row before it). A page
    is `limit` items and `next`, the key to send as `before` for the page after it (null on the
    last page). No `count`: counting a million rows would cost more than the page."""

    Input = KeysetParams  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        next: int | None

    items_attribute = "items"

    def __init__(self, *, key: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.key = key

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        """`queryset`: a `lazy.Mapped` (its queryset and the conversion of each item) or a queryset."""
        rows = getattr(queryset, "queryset", queryset).order_by(f"-{self.key}")
        convert = getattr(queryset, "convert", lambda item: item)
        if pagination.before is not None:
            rows = rows.filter(**{f"{self.key}__lt": pagination.before})
        page = list(rows[: pagination.limit + 1])
        more = len(page) > pagination.limit
        page = page[: pagination.limit]
        return {
            "items": [convert(item) for item in page],
            "next": getattr(page[-1], self.key) if more else None,
        }
