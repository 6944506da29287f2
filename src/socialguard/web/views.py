from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.identity.access import public, signed_in
from socialguard.supervisor import STATUS_FILE, read_status
from socialguard.web.home import home_items
from socialguard.web.tasks import heartbeat

WORKER_STALE_AFTER = dt.timedelta(seconds=90)
logger = logging.getLogger(__name__)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"items": home_items(request.user)})


@signed_in  # a web page, so sign-in and its second factor apply (the /api/ paths skip those)
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's operations to browse and try (django-ninja's Swagger UI page). Its scripts and
    styles come from django-ninja's own static files, so it needs no CDN and keeps the CSP."""
    from socialguard.api.urls import api  # the API imports the apps; only this view needs it

    return api.docs.render_page(request, api)


def _enqueue_heartbeat() -> None:
    """Ask the worker for a heartbeat, waiting at most a second for the database: during a long
    write elsewhere (an import on SQLite) /healthz must still answer, and promptly."""
    sqlite = connection.vendor == "sqlite"
    try:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 1000")
        heartbeat.enqueue()
    except DatabaseError as exc:
        logger.warning("healthz: could not enqueue a worker heartbeat: %s", exc)
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"PRAGMA busy_timeout = {int(settings.DATABASES['default']['OPTIONS']['timeout'] * 1000)}"
                )


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, and a task worker finished a heartbeat task recently. Where `serve`
    runs the worker, its status file also says at once when the worker process is down (being
    restarted): then "worker" is "down" and the status 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        return JsonResponse({"database": "unreachable", "worker": "unknown"}, status=503)
    now = timezone.now()
    heartbeats = DBTaskResult.objects.filter(task_path=heartbeat.module_path)
    last = (
        heartbeats.filter(status="SUCCESSFUL")
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    pending = heartbeats.filter(status="READY").exists()
    if not pending and (last is None or now - last > WORKER_STALE_AFTER / 3):
        _enqueue_heartbeat()
    serve = read_status(Path(settings.DATA_DIR) / STATUS_FILE)
    supervised = (serve or {}).get("children", {}).get("worker")
    if supervised is not None and supervised.get("state") != "running":
        worker = "down"
    else:
        worker = "ok" if last is not None and now - last <= WORKER_STALE_AFTER else "stale"
    body: dict[str, object] = {
        "database": database,
        "worker": worker,
        "worker_last_seen": last.isoformat() if last else None,
    }
    if supervised is not None:
        body["worker_restarts"] = supervised.get("restarts", 0)
    return JsonResponse(body, status=200 if worker == "ok" else 503)


@public
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to; send them to the static file,
    whose name WhiteNoise's manifest fingerprints (so a temporary redirect, cached for a day)."""
    response = HttpResponseRedirect(static("socialguard/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page open too long (the session ended and a new one began) or from
    elsewhere: what happened and what to do, in the site's own page (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
