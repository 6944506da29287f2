from django.urls import path

from socialguard.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("report/", views.report, name="report"),
    path("reports/", views.reports, name="reports"),
    path("retention/", views.retention, name="retention"),
    path("export.csv", views.export, name="export"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("<int:pk>/entries/", views.add_entry, name="add_entry"),
    path("<int:pk>/people/", views.add_party, name="add_party"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/tasks/", views.add_task, name="add_task"),
    path("<int:pk>/referrals/", views.add_referral, name="add_referral"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("referrals/<int:pk>/response/", views.referral_response, name="referral_response"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
]
