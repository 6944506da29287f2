from django.urls import path

from socialguard.people import views

app_name = "people"
urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/export.csv", views.export_staff, name="staff_export"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("learners/", views.learner_list, name="learner_list"),
    path("learners/new/", views.learners_create, name="learners_create"),
    path("learners/export.csv", views.export_learners, name="learners_export"),
    path("learners/<int:pk>/", views.learner_detail, name="learners_detail"),
    path("learners/<int:pk>/edit/", views.learners_edit, name="learners_edit"),
    path("guardians/", views.guardian_list, name="guardian_list"),
    path("guardians/new/", views.guardians_create, name="guardians_create"),
    path("guardians/export.csv", views.export_guardians, name="guardians_export"),
    path("guardians/<int:pk>/", views.guardian_detail, name="guardians_detail"),
    path("guardians/<int:pk>/edit/", views.guardians_edit, name="guardians_edit"),
    path("import/", views.import_people, name="import"),
    path("import/<int:pk>/", views.import_run, name="import_run"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/edit/", views.organisation_edit, name="organisation_edit"),
    path("sign-ins/", views.sign_ins, name="sign_ins"),
    path("sign-ins/<int:pk>/", views.sign_in_edit, name="sign_in_edit"),
    path(
        "sign-ins/<int:pk>/reset-two-factor/", views.sign_in_reset_two_factor, name="sign_in_reset_two_factor"
    ),
]
