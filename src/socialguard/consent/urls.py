from django.urls import path

from socialguard.consent import views

app_name = "consent"
urlpatterns = [
    path("", views.index, name="index"),
    path("coverage/", views.coverage, name="coverage"),
    path("import/", views.import_page, name="import"),
    path("takedowns/", views.takedowns, name="takedowns"),
    path("takedowns/<int:pk>/confirm/", views.confirm_takedown, name="confirm_takedown"),
    path("learner/<str:ref>/", views.learner, name="learner"),
    path("learner/<str:ref>/withdraw/", views.withdraw, name="withdraw"),
    path("link/<str:kind>/<str:ref>/", views.issue_link, name="issue_link"),
    path("form/<str:token>/", views.form, name="form"),
]
