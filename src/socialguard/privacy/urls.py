from django.urls import path

from socialguard.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.index, name="index"),
    path("connections/", views.self_check, name="self_check"),
    path("connections/<int:pk>/resolved/", views.resolve, name="resolve"),
    path("review/", views.review, name="review"),
    path("coverage/", views.coverage, name="coverage"),
    path("recruitment/", views.screening_list, name="screening_list"),
    path("recruitment/new/", views.screening_new, name="screening_new"),
    path("recruitment/<int:pk>/", views.screening, name="screening"),
    path("subject-access/", views.subject_access_page, name="subject_access"),
    path(
        "subject-access/<str:kind>/<int:pk>/export/",
        views.subject_access_download,
        name="subject_access_export",
    ),
    path("retention/", views.retention_page, name="retention"),
    path("retention/<str:kind>/<int:pk>/erase/", views.erase, name="erase"),
    path("processing/", views.processing_page, name="processing"),
]
