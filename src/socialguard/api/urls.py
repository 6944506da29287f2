from __future__ import annotations

from ninja import NinjaAPI

from socialguard import __version__
from socialguard.api import accounts, audit, cases, check, people, policies
from socialguard.api.auth import TokenAuth
from socialguard.api.contract import MAX_LIMIT
from socialguard.api.problems import document_errors, handle_errors

DESCRIPTION = f"""Send `Authorization: Bearer <token>`; create tokens under Account > API tokens.

Every error has one shape, `ProblemOut`: `detail` says what is wrong, `errors` lists it per
field (`field` names where: `body.category`, `query.limit`). 401: no valid token. 403: the
token's owner or scope may not do this. 404: no such object, or not one you may see. 422: the
request does not match this document (an unknown field, a wrong type, a value outside the
listed enum codes or bounds). 400: the request matches the document but a rule refuses it.

Lists are paged with `limit` (1 to {MAX_LIMIT}, default 50) and `offset`; a larger `limit` is
refused with 422 rather than cut short. Enumerations take the codes listed in this document
(`bullying`, `x`), not the labels shown on the web pages."""

api = NinjaAPI(
    title="socialguard API",
    version=__version__,
    urls_namespace="api",
    auth=TokenAuth(),  # declares no action: refuses any operation without its own
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at openapi.json
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
]:
    document_errors(router)
    api.add_router(prefix, router)

# URL names under the API that declare no action because they expose no data.
PUBLIC_URL_NAMES = {"openapi-json", "api-root"}
