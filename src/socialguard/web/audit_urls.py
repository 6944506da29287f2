from django.urls import path

from socialguard.web import audit_views as views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("export.csv", views.event_export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("verify/progress/", views.verify_progress, name="verify_progress"),
]
