from django.urls import include, path

from socialguard.api.urls import api

urlpatterns = [
    path("", include("socialguard.web.urls")),
    path("account/", include("socialguard.identity.urls")),
    path("people/", include("socialguard.people.urls")),
    path("audit/", include("socialguard.web.audit_urls")),
    path("policy/", include("socialguard.policies.urls")),
    path("accounts/", include("socialguard.accounts.urls")),
    path("cases/", include("socialguard.incidents.urls")),
    path("posts/", include("socialguard.content.urls")),
    path("consent/", include("socialguard.consent.urls")),
    path("privacy/", include("socialguard.privacy.urls")),
    path("api/v1/", api.urls),
    path("monitoring/", include("socialguard.monitoring.urls")),
]

handler403 = "socialguard.web.views.forbidden"
handler404 = "socialguard.web.views.not_found"
