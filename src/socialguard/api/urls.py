from __future__ import annotations

from ninja import NinjaAPI, Swagger

from socialguard import __version__
from socialguard.api import accounts, audit, cases, check, consent, packs, people, policies, posts, privacy
from socialguard.api import monitoring as monitoring_api
from socialguard.api.auth import TokenAuth
from socialguard.api.contract import MAX_LIMIT
from socialguard.api.problems import document_errors, handle_errors

DESCRIPTION = f"""Send `Authorization: Bearer <token>`; create tokens under Account > API tokens
(here, paste one into "Authorize" to try an operation). A token sees what its owner sees on the
web pages, object by object.

Every error has one shape, `Problem`: `detail` says what is wrong, `errors` lists it per
field (`field` names where: `body.category`, `query.limit`). 401: no valid token. 403: the
token's owner or scope may not do this. 404: no such object, or not one you may see. 422: the
request does not match this document (an unknown field, a wrong type, a value outside the
listed enum codes or bounds). 400: the request matches the document but a rule refuses it.

Every list is paged: `limit` (1 to {MAX_LIMIT}, default 50) and `offset`, answering `items` and
`count`; a larger `limit` is refused with 422 rather than cut short. The audit events list is
too long for offsets: it answers `items` and `next`, and the page after is `before=<next>`
(`next` is null on the last page). Enumerations take and answer the codes listed in this
document (`bullying`, `x`), not the labels shown on the web pages."""


class Docs(Swagger):
    """django-ninja's Swagger UI page with our stylesheet after its own (see api-docs.css)."""

    template = "web/api_docs.html"


api = NinjaAPI(
    title="socialguard API",
    version=__version__,
    urls_namespace="api",
    auth=TokenAuth(),  # declares no action: refuses any operation without its own
    # Browsable docs are a web page (web.views.api_docs, /api-docs/) for signed-in people, with
    # Swagger UI from django-ninja's static files; the schema itself is public at openapi.json.
    docs_url=None,
    # No validator badge (it would fetch from validator.swagger.io); a token typed into
    # "Authorize" is not kept in the browser's storage.
    docs=Docs(settings={"validatorUrl": None, "persistAuthorization": False}),
    description=DESCRIPTION,
)
handle_errors(api)
for prefix, router in [
    ("/people", people.router),
    ("/audit", audit.router),
    ("/check", check.router),
    ("/policy", policies.router),
    ("/accounts", accounts.router),
    ("/cases", cases.router),
    ("/posts", posts.router),
    ("/rules", packs.router),
    ("/consent", consent.router),
    ("/monitoring", monitoring_api.router),
    ("/privacy", privacy.router),
]:
    document_errors(router)
    api.add_router(prefix, router)

# URL names under the API that declare no action because they expose no data.
PUBLIC_URL_NAMES = {"openapi-json", "api-root"}
