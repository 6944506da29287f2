"""A child process for tests/content/test_publish_bluesky.py: it sets up an organisational
Bluesky account with an approved post, or runs the publishing task's body, in a process of its
own, so that the test can kill it with SIGKILL between the platform's answer and the commit.

    python tests/content/publishing_child.py setup HANDLE SERVICE APP_PASSWORD
    python tests/content/publishing_child.py publish DRAFT_ID
    python tests/content/publishing_child.py publish-and-die DRAFT_ID
    python tests/content/publishing_child.py report DRAFT_ID

Each prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialguard.settings")
django.setup()

from socialguard.accounts import vault  # noqa: E402
from socialguard.accounts.models import AccountRunner, OrgAccount, SecretKind  # noqa: E402
from socialguard.content import publishing, services  # noqa: E402
from socialguard.content.models import Draft, PublishedPost  # noqa: E402
from socialguard.identity.roles import Role  # noqa: E402
from socialguard.identity.services import user_create  # noqa: E402
from socialguard.people.models import Organisation, StaffMember  # noqa: E402

TEXT = "Our open evening is on Thursday from 5pm: meet the tutors and see the studios."


def _person(external_id: str, first: str, last: str, role: Role) -> Any:
    email = f"{first.lower()}@dmm.example"
    user = user_create(actor=None, email=email, full_name=f"{first} {last}", password="x" * 20, roles=[role])
    staff = StaffMember.objects.create(
        external_id=external_id, first_name=first, last_name=last, email=email,
        employment_type="employee", user=user,
    )  # fmt: skip
    return user, staff


def setup(handle: str, service: str, app_password: str) -> dict[str, Any]:
    Organisation.objects.get_or_create(name="Digital Marketing Mentor")
    runner, runner_staff = _person("K1", "Kim", "Writer", Role.STAFF)
    second, second_staff = _person("K2", "Lee", "Checker", Role.STAFF)
    senior, _ = _person("K3", "Max", "Senior", Role.SMT)
    account = OrgAccount.objects.create(
        platform="bluesky", handle=f"@{handle}", login_email="social@dmm.example", service_url=service
    )
    AccountRunner.objects.create(account=account, staff=runner_staff, is_lead=True)
    AccountRunner.objects.create(account=account, staff=second_staff)
    vault.secret_store(actor=senior, account=account, kind=SecretKind.APP_PASSWORD, value=app_password)
    draft = services.draft_save(actor=runner, account=account, text=TEXT)
    services.draft_submit(actor=runner, draft=draft)
    services.draft_approve(actor=second, draft=draft)
    draft.refresh_from_db()
    return {"draft": draft.pk, "state": draft.state}


def report(draft_id: int) -> dict[str, Any]:
    draft = Draft.objects.get(pk=draft_id)
    archived = list(PublishedPost.objects.filter(draft=draft).values("uri", "record_key"))
    return {
        "state": draft.state,
        "record_key": draft.record_key,
        "attempts": draft.attempts,
        "archived": archived,
    }


def main(command: str, *args: str) -> None:
    if command == "setup":
        result = setup(*args)
    elif command == "publish":
        result = {"result": publishing.publish(int(args[0]))}
    elif command == "publish-and-die":
        # The platform has answered; the worker dies before step 3 commits the archive entry.
        def die(*_: Any, **__: Any) -> None:
            os.kill(os.getpid(), signal.SIGKILL)

        publishing._record = die  # type: ignore[assignment]
        result = {"result": publishing.publish(int(args[0]))}
    elif command == "report":
        result = report(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
