from django.urls import path

from socialguard.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/diff/", views.diff, name="diff"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/submit/", views.submit_for_review, name="submit"),
    path("import/", views.import_policy, name="import"),
    path("review/", views.review, name="review"),
    path("review/start/", views.review_start, name="review_start"),
    path("review/comment/", views.review_comment, name="review_comment"),
    path("review/reconfirm/", views.review_reconfirm, name="review_reconfirm"),
    path("legislation/", views.legislation, name="legislation"),
    path("declare/", views.declare, name="declare"),
    path("declarations/", views.coverage, name="coverage"),
    path("declarations/export.csv", views.declarations_export, name="declarations_export"),
    path("training/", views.training, name="training"),
    path("training/mine/", views.my_training, name="my_training"),
    path("training/record/", views.training_record, name="training_record"),
    path("training/import/", views.training_import, name="training_import"),
    path("training/courses/new/", views.course_edit, name="course_create"),
    path("training/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("reminders/", views.digest_preview, name="digest"),
    path("rules-pack/", views.rules_pack, name="rules_pack"),
    path("rule-quality/", views.rule_quality, name="rule_quality"),
]
