from django.urls import path

from socialguard.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api-docs/", views.api_docs, name="api_docs"),
]
