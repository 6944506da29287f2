from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from socialguard.api.auth import requires
from socialguard.api.contract import In
from socialguard.api.problems import Problem
from socialguard.identity.permissions import SIGNED_IN
from socialguard.policies.engine import policy_engine
from socialguard.rules import Engine, Post

router = Router(tags=["rules"])
MAX_POSTS = 1000
# Posts' text per request, all together: about 16 of the longest posts a platform allows, or
# 3,500 tweets. Bounds one request's CPU time to seconds (the body itself is bounded by
# DATA_UPLOAD_MAX_MEMORY_SIZE); each post's own limit is Post.from_dict's.
MAX_REQUEST_CHARS = 1_000_000


def engine() -> Engine:
    """The engine compiled for the current register (shared with the content app's checks)."""
    compiled: Engine = policy_engine()
    return compiled


# The rules engine's Severity and Verdict as codes: the document names an enum by its class name,
# and incidents.models has a Severity of its own (tests/api/test_enums.py keeps these in step).
FindingSeverity = Literal["block", "review", "advice"]
CheckVerdict = Literal["pass", "review", "block"]


class FindingOut(Schema):
    rule: str
    name: str
    category: str
    clause: str
    severity: FindingSeverity
    message: str
    start: int
    end: int
    fix: str | None = None
    # Where the organisation's pack maps clauses: the clause's text, or that the rule maps to none.
    clause_text: str | None = None


class ReportOut(Schema):
    id: str
    verdict: CheckVerdict
    findings: list[FindingOut]


class AuthorIn(In):
    name: str = ""
    job_title: str = ""


class MediaIn(In):
    """A photo or video attached to the post."""

    description: str = ""
    people_shown: list[str] | None = Field(None, description="Names as in the register.")
    consent_recorded: list[str] | None = Field(
        None, description="Those shown whose written consent is on file."
    )
    tagged: list[str] | None = None
    third_party: bool = Field(False, description="Made by someone outside the organisation.")
    permission: bool = Field(False, description="Permission to share it is recorded.")


class PostIn(In):
    """One post, with the fields `socialguard check --file` reads. Each string and list is also
    bounded as the engine bounds it (a 422 names the post and the field)."""

    text: str
    id: str = Field("", description="Yours, given back in the report; left out: the post's place, from 1.")
    platform: str = ""
    account: Literal["organisational", "personal"] = "organisational"
    author: AuthorIn | None = Field(
        None, description="A name and job title (a name alone is read as the name)."
    )
    links: list[str] | None = Field(None, description="Links attached beside those in the text.")
    media: list[MediaIn] | None = None
    is_reply: bool = False
    is_direct_message: bool = False
    recipients: list[str] | None = Field(None, description="Names or handles a reply or message goes to.")
    connection_request_to: list[str] | None = Field(
        None, description="Friend, follow or connect requests the post makes."
    )

    @field_validator("author", mode="before")
    @classmethod
    def _name_alone(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class CheckIn(In):
    posts: list[PostIn]


@router.post(
    "", response={200: list[ReportOut], 413: Problem}, operation_id="check_posts", auth=requires(SIGNED_IN)
)
def check_posts(request: HttpRequest, payload: CheckIn) -> Any:
    """Check posts against the policy: each post is `{"id", "text", …post fields}` as for
    `socialguard check --file`. Answers one report per post, in order."""
    if len(payload.posts) > MAX_POSTS:
        raise HttpError(413, f"At most {MAX_POSTS} posts per request.")
    posts = []
    for n, data in enumerate(payload.posts):
        try:
            # The engine's own reading, with its limits, of what the schema let through.
            posts.append(Post.from_dict({"id": str(n + 1), **data.model_dump(exclude_unset=True)}))
        except ValueError as exc:
            raise HttpError(422, f"posts[{n}]: {exc}") from None
    total = sum(len(post.text) for post in posts)
    if total > MAX_REQUEST_CHARS:
        raise HttpError(
            413,
            f"The posts' text is {total:,} characters in all; at most {MAX_REQUEST_CHARS:,} per request. "
            "Send fewer posts per request.",
        )
    return [report.as_dict() for report in engine().check_many(posts)]
