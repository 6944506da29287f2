from django.urls import path

from socialguard.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("<int:pk>/", views.account_detail, name="account"),
    path("<int:pk>/secrets/", views.store_secret, name="store_secret"),
    path("<int:pk>/review/", views.review_account, name="review"),
    path("<int:pk>/runners/", views.add_runner, name="add_runner"),
    path("<int:pk>/lead/", views.transfer_lead, name="transfer_lead"),
    path("<int:pk>/close/", views.close_account, name="close"),
    path("secrets/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/new/", views.propose, name="propose"),
    path("proposals/people/", views.find_people, name="find_people"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/revise/", views.revise, name="revise"),
    path("proposals/<int:pk>/comment/", views.comment, name="comment"),
    path("proposals/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("proposals/<int:pk>/decide/", views.decide, name="decide"),
    path("proposals/<int:pk>/create/", views.create_account, name="create"),
]
