from __future__ import annotations

from ninja import NinjaAPI

from socialguard import __version__
from socialguard.api import accounts, audit, cases, check, people, policies
from socialguard.api.auth import TokenAuth

api = NinjaAPI(
    title="socialguard API",
    version=__version__,
    urls_namespace="api",
    auth=TokenAuth(),  # declares no action: refuses any operation without its own
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at openapi.json
    description="Send `Authorization: Bearer <token>`; create tokens under Account > API tokens.",
)
api.add_router("/people", people.router)
api.add_router("/audit", audit.router)
api.add_router("/check", check.router)
api.add_router("/policy", policies.router)
api.add_router("/accounts", accounts.router)
api.add_router("/cases", cases.router)

# URL names under the API that declare no action because they expose no data.
PUBLIC_URL_NAMES = {"openapi-json", "api-root"}
