"""The scheduler polls each enabled source when it is due (the FREQUENT hook), once until its
next time; the daily job purges raw items past the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from socialguard.monitoring import services
from socialguard.monitoring.models import Alert, Health
from socialguard.monitoring.tasks import poll_source, purge_monitoring
from socialguard.scheduling.jobs import jobs, run_due
from tests.monitoring.conftest import Network, reload
from tests.monitoring.test_polling import CRITICISM

TASK = "socialguard.monitoring.tasks.poll_source"


def test_due_sources_are_polled_once_until_their_next_time(org: dict[str, Any], network: Network) -> None:
    services.source_save(
        actor=org["smt"], source=org["lookalikes"], name="Look-alikes", kind="bluesky_lookalikes",
        account=org["account"], enabled=False,
    )  # fmt: skip
    assert "monitoring-poll" in run_due()
    queued = DBTaskResult.objects.filter(task_path=TASK)
    assert sorted(r.args_kwargs["kwargs"]["source_id"] for r in queued) == sorted(
        [org["own"].pk, org["mentions"].pk]  # not the paused source
    )
    run_due()
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2  # not due again yet

    network.post(CRITICISM)
    assert "1 alert" in poll_source.call(source_id=org["mentions"].pk)
    assert Alert.objects.count() == 1 and reload(org["mentions"]).health == Health.OK
    later = timezone.now() + dt.timedelta(minutes=16)
    run_due(later)
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 4


def test_the_daily_purge_is_a_job(org: dict[str, Any]) -> None:
    assert "socialguard.monitoring.tasks.purge_monitoring" in [j.task for j in jobs()]
    assert purge_monitoring.call() == "0 item(s) deleted, 0 closed alert(s) blanked"
