from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.web.access import public, signed_in
from socialguard.web.home import home_items
from socialguard.web.tasks import heartbeat

WORKER_STALE_AFTER = dt.timedelta(seconds=90)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"items": home_items(request.user)})


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, and a task worker finished a heartbeat task recently."""
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
        heartbeat.enqueue()
    worker = "ok" if last is not None and now - last <= WORKER_STALE_AFTER else "stale"
    status = 200 if worker == "ok" else 503
    return JsonResponse(
        {
            "database": database,
            "worker": worker,
            "worker_last_seen": last.isoformat() if last else None,
        },
        status=status,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
