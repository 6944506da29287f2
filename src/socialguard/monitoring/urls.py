from django.urls import path

from socialguard.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("alerts/<int:pk>/assign/", views.assign, name="assign"),
    path("alerts/<int:pk>/case/", views.to_case, name="case"),
    path("alerts/<int:pk>/respond/", views.respond, name="respond"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_edit, name="source_new"),
    path("sources/<int:pk>/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/poll/", views.source_poll, name="source_poll"),
    path("sources/<int:pk>/upload/", views.source_upload, name="source_upload"),
]
