from django.urls import path

from socialguard.content import views

app_name = "posts"
urlpatterns = [
    path("", views.my_drafts, name="index"),
    path("new/", views.compose, name="new"),
    path("check/", views.check, name="check"),
    path("approvals/", views.queue, name="queue"),
    path("calendar/", views.calendar, name="calendar"),
    path("archive/", views.archive_page, name="archive"),
    path("archive/export.csv", views.archive_csv, name="archive_csv"),
    path("archive/export.json", views.archive_json, name="archive_json"),
    path("archive/<int:pk>/", views.published_detail, name="published"),
    path("<int:pk>/", views.draft_detail, name="draft"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/media/", views.add_media, name="add_media"),
    path("<int:pk>/media/<int:media_pk>/remove/", views.remove_media, name="remove_media"),
    path("<int:pk>/media/<int:media_pk>/download/", views.download_media, name="download_media"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/changes/", views.request_changes, name="changes"),
    path("<int:pk>/override/", views.override, name="override"),
    path("<int:pk>/criticism/", views.mark_criticism, name="criticism"),
    path("<int:pk>/record/", views.record_publication, name="record"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/dismiss-finding/", views.dismiss_finding, name="dismiss_finding"),
]
