"""Every page at a large college group's size: median and p95 per page and role, with the number
of SQL statements each request ran.

    .venv/bin/python benchmarks/scale.py            # 10,000 staff, 100,000 learners, 20,000 guardians,
                                                    # ~950,000 audit events, 3,000 cases, 200 accounts,
                                                    # 500 proposals, 10,000 archived posts; ~15 minutes
    .venv/bin/python benchmarks/scale.py --small    # a tenth of that, to try it
    # build once into a database of your own (SOCIALGUARD_DATABASE_URL), then time again, no rebuild:
    .venv/bin/python benchmarks/scale.py --small --state /tmp/scale.json
    .venv/bin/python benchmarks/scale.py --state /tmp/scale.json --only cases

PostgreSQL: a throwaway server is started with scripts/pg-test-server.sh (Debian's postgresql), or
set SOCIALGUARD_DATABASE_URL to an empty database. The data is built through the product's own
paths (the people import, the case service, the audit trail's bulk append, which keeps the chain
valid), then `socialguard serve` serves it with SOCIALGUARD_QUERY_COUNT_HEADER=1 and each page is
fetched --requests times as each role. Target: p95 < 150 ms on every page, and a number of queries
that does not grow with the data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from import_people import guardians_csv, learners_csv

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 150


def staff_csv(n: int) -> bytes:
    from faker import Faker

    fake = Faker("en_GB")
    Faker.seed(9)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "external_id",
            "first_name",
            "last_name",
            "email",
            "employment_type",
            "job_title",
            "department",
            "line_manager_id",
        ]
    )
    managers = max(1, n // 25)
    for i in range(n):
        manager = "" if i < 10 else f"S{(i % managers) // 2:05d}" if i < managers else f"S{i % managers:05d}"
        kind = ("employee", "contract_worker", "volunteer")[i % 7 % 3]
        writer.writerow(
            [
                f"S{i:05d}",
                fake.first_name(),
                fake.last_name(),
                f"s{i}@staff.example",
                kind,
                "Tutor",
                f"Department {i % 40}",
                manager,
            ]
        )
    return out.getvalue().encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(args: argparse.Namespace) -> dict[str, object]:
    """Load the data in this process; returns the sessions and tokens for each role."""
    from socialguard.clitools import django_setup

    django_setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from socialguard.audit.models import AuditEvent
    from socialguard.audit.services import EventSpec, audit_append_many, audit_checkpoint
    from socialguard.identity.models import RoleAssignment, TokenScope, User
    from socialguard.identity.roles import Role
    from socialguard.identity.services import token_create, user_create
    from socialguard.incidents import services as cases
    from socialguard.people.models import StaffMember
    from socialguard.people.selectors import staff_in_post
    from socialguard.people.services import people_import
    from socialguard.policies import services as policies
    from socialguard.policies.demo import policy_source

    def step(label: str, started: float) -> None:
        print(f"  {label}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    call_command("migrate", interactive=False, verbosity=0)
    roles = {
        "smt": [Role.SMT, Role.STAFF],
        "dsl": [Role.DSL, Role.STAFF],
        "quality": [Role.QUALITY_DIRECTOR, Role.STAFF],
        "auditor": [Role.AUDITOR],
        "staff": [Role.STAFF],
    }
    users = {
        name: user_create(
            actor=None, email=f"{name}@dmm.example", full_name=name.title(), password=None, roles=r
        )
        for name, r in roles.items()
    }
    smt = users["smt"]
    started = time.perf_counter()
    for kind, data in (
        ("staff", staff_csv(args.staff)),
        ("learners", learners_csv(args.learners)),
        ("guardians", guardians_csv(args.guardians, args.learners)),
    ):
        people_import(actor=smt, kind=kind, data=data, filename=f"{kind}.csv")
    step(f"people ({args.staff} staff, {args.learners} learners, {args.guardians} guardians)", started)
    for n, name in enumerate(("smt", "dsl", "quality", "staff")):
        StaffMember.objects.filter(external_id=f"S{n:05d}").update(user=users[name])

    started = time.perf_counter()
    # A sign-in for every member of staff (the sign-ins list), written in bulk: creating each through
    # user_create would spend most of an hour hashing passwords nobody will use.
    unlinked = list(StaffMember.objects.filter(user=None).order_by("pk"))
    accounts = User.objects.bulk_create(
        [
            User(email=f"u-{m.external_id.lower()}@staff.example", full_name=m.full_name, password="!")
            for m in unlinked
        ],
        batch_size=2000,
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.STAFF) for u in accounts], batch_size=2000
    )
    for member, account in zip(unlinked, accounts, strict=True):
        member.user = account
    StaffMember.objects.bulk_update(unlinked, ["user"], batch_size=2000)
    step(f"{len(accounts)} sign-ins", started)

    started = time.perf_counter()
    source = policy_source()
    version = policies.policy_import(actor=users["quality"], data=source.read_bytes(), filename=source.name)
    version = policies.version_publish(actor=users["quality"], version=version)
    in_post = list(staff_in_post().order_by("pk"))
    confirmed = dict.fromkeys(policies.DECLARATION_FIELDS, True)
    for member in in_post[: len(in_post) * 7 // 10]:  # seven in ten have declared
        policies.declaration_make(actor=member.user, staff=member, version=version, confirmations=confirmed)
    step(f"policy published, {len(in_post) * 7 // 10} declarations", started)

    started = time.perf_counter()
    rng = random.Random(11)
    categories = ["offensive", "criticism", "other", "confidential", "bullying", "safeguarding"]
    for i in range(args.cases):
        reporter = users[rng.choice(["staff", "smt", "quality"])]
        cases.report_submit(
            actor=reporter,
            category=categories[i % len(categories)],
            summary=f"Case {i}: a post about the college that needs looking at",
        )
    step(f"{args.cases} cases", started)

    started = time.perf_counter()
    ids = accounts_proposals_posts(args, smt)
    step(
        f"{args.accounts} accounts (3 runners each), {args.proposals} proposals, {args.posts} archived posts",
        started,
    )

    started = time.perf_counter()
    missing = max(0, args.audit - AuditEvent.objects.count())
    begin = dt.datetime(2023, 9, 1, tzinfo=dt.UTC)
    actions = ["people.updated", "policy.declared", "training.recorded", "user.signed_in", "cases.viewed"]
    specs = (
        EventSpec(
            at=begin + dt.timedelta(seconds=i * 90),
            action=actions[i % len(actions)],
            object_type="people.staffmember",
            object_id=str(i % 10_000),
            object_repr=f"S{i % 10_000:05d}",
            after={"n": i},
        )
        for i in range(missing)
    )
    audit_append_many(specs)
    audit_checkpoint()  # as the daily job leaves it: the quick check starts here
    step(f"audit trail ({AuditEvent.objects.count()} events)", started)

    sessions: dict[str, str] = {}
    tokens: dict[str, str] = {}
    for name, user in users.items():
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        sessions[name] = session.session_key or ""
        tokens[name] = token_create(user=user, name="bench", scope=TokenScope.READ).secret
    return {"sessions": sessions, "tokens": tokens, "ids": ids}


def accounts_proposals_posts(args: argparse.Namespace, smt: object) -> dict[str, int]:
    """Organisational accounts with their runners, reviews and leaver tasks, proposals with their
    runners, and published posts in the archive, written in bulk (as the people import writes its
    rows): the accounts registry, the account page, the proposals list and the posts pages are
    timed with data in them, in proportion to the size. These bulk rows write no audit events, so
    the chain stays valid. Returns the ids the timed pages name (an account page)."""
    from django.utils import timezone

    from socialguard.accounts.models import (
        AccountRunner,
        LeaverTask,
        MonitoringReview,
        OrgAccount,
        Proposal,
        ProposalRunner,
        ProposalStatus,
    )
    from socialguard.content.models import Draft, PublishedPost, State
    from socialguard.people.models import StaffMember

    now = timezone.now()
    today = timezone.localdate()
    staff = list(StaffMember.objects.order_by("pk"))
    platforms = ["instagram", "facebook", "x", "linkedin", "tiktok", "youtube"]
    accounts = OrgAccount.objects.bulk_create(
        [
            OrgAccount(
                platform=platforms[i % len(platforms)],
                handle=f"@dmm_{i:04d}",
                login_email=f"social{i}@dmm.example",
                monitor=smt,
                review_every_days=30,
            )
            for i in range(args.accounts)
        ],
        batch_size=2000,
    )
    AccountRunner.objects.bulk_create(
        [
            AccountRunner(account=a, staff=staff[(3 * i + j) % len(staff)], is_lead=j == 0)
            for i, a in enumerate(accounts)
            for j in range(3)
        ],
        batch_size=2000,
    )
    MonitoringReview.objects.bulk_create(
        [
            MonitoringReview(
                account=a,
                reviewer=smt,
                reviewed_on=today - dt.timedelta(days=i % 60),
                looked_at="posts, replies",
            )
            for i, a in enumerate(accounts)
        ],
        batch_size=2000,
    )
    LeaverTask.objects.bulk_create(
        [
            LeaverTask(
                account=a, staff=staff[(3 * i + 1) % len(staff)], leave_date=today + dt.timedelta(days=14)
            )
            for i, a in enumerate(accounts)
            if i % 10 == 0
        ],
        batch_size=2000,
    )
    statuses = [ProposalStatus.SUBMITTED, ProposalStatus.APPROVED, ProposalStatus.REJECTED]
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                proposer=staff[i % len(staff)],
                platform=platforms[i % len(platforms)],
                handle=f"@dmm_new_{i:04d}",
                aim="News from the department",
                audience="Learners and parents",
                promotion="Website and open days",
                shared_mailbox=f"new{i}@dmm.example",
                status=statuses[i % len(statuses)],
            )
            for i in range(args.proposals)
        ],
        batch_size=2000,
    )
    ProposalRunner.objects.bulk_create(
        [
            ProposalRunner(proposal=p, staff=staff[(2 * i + j + 7) % len(staff)], is_lead=j == 0)
            for i, p in enumerate(proposals)
            for j in range(2)
        ],
        batch_size=2000,
    )
    # Posts by the first fifty members of staff (SMT's own sign-in among them: /posts/ lists theirs).
    drafts = Draft.objects.bulk_create(
        [
            Draft(
                account=accounts[i % len(accounts)],
                author=staff[i % 50],
                text=f"Open evening {i}: come and see the college's workshops.",
                state=State.PUBLISHED,
            )
            for i in range(args.posts)
        ],
        batch_size=2000,
    )
    PublishedPost.objects.bulk_create(
        [
            PublishedPost(
                draft=d,
                account_id=d.account_id,
                platform=accounts[i % len(accounts)].platform,
                text=d.text,
                content_hash=f"{i:064x}",
                drafter=d.author,
                drafter_name=d.author.full_name,
                approvers=["Smt <smt@dmm.example>"],
                verdict="pass",
                published_at=now - dt.timedelta(hours=i),
            )
            for i, d in enumerate(drafts)
        ],
        batch_size=2000,
    )
    return {"account": accounts[0].pk}


PAGES = [
    # (role, what, path)
    ("smt", "home", "/"),
    ("dsl", "home", "/"),
    ("quality", "home", "/"),
    ("auditor", "home", "/"),
    ("staff", "home", "/"),
    ("smt", "staff register", "/people/staff/"),
    ("smt", "staff register, name search", "/people/staff/?q=smith"),
    ("smt", "learner register", "/people/learners/"),
    ("smt", "learner register, name search", "/people/learners/?q=jones"),
    ("dsl", "learners under 18", "/people/learners/?status=under18"),
    ("smt", "guardians", "/people/guardians/"),
    ("smt", "sign-ins", "/people/sign-ins/"),
    ("smt", "staff CSV export", "/people/staff/export.csv"),
    ("smt", "learners CSV export", "/people/learners/export.csv"),
    ("smt", "guardians CSV export", "/people/guardians/export.csv"),
    ("quality", "declaration coverage", "/policy/declarations/"),
    ("quality", "training status", "/policy/training/"),
    ("smt", "training record form", "/policy/training/record/"),
    ("smt", "reminders", "/policy/reminders/"),
    ("smt", "accounts registry", "/accounts/"),
    ("smt", "account proposals", "/accounts/proposals/"),
    ("staff", "new account proposal form", "/accounts/proposals/new/"),
    ("staff", "accounts: runner search as you type", "/accounts/proposals/people/?q=smi"),
    ("smt", "account page", "/accounts/{account}/"),
    ("smt", "account page, find a runner", "/accounts/{account}/?find=smith"),
    ("smt", "case list", "/cases/"),
    ("smt", "case search", "/cases/?q=college"),
    ("dsl", "case list", "/cases/"),
    ("smt", "reports received", "/cases/reports/"),
    ("smt", "posts", "/posts/"),
    ("smt", "post archive", "/posts/archive/"),
    ("auditor", "audit trail", "/audit/"),
    ("auditor", "audit trail, filtered", "/audit/?action=policy.declared"),
    ("auditor", "audit trail, deep page", "/audit/?page=2000"),
    ("auditor", "audit trail, search", "/audit/?q=S00042"),
    ("auditor", "audit trail, filtered deep page", "/audit/?action=policy.declared&page=90"),
    ("auditor", "verify (since the checkpoint)", "/audit/verify/"),
    ("smt", "API: staff", "/api/v1/people/staff"),
    ("smt", "API: learners", "/api/v1/people/learners"),
    ("smt", "API: guardians", "/api/v1/people/guardians"),
    ("smt", "API: accounts", "/api/v1/accounts"),
    ("smt", "API: cases", "/api/v1/cases"),
    ("auditor", "API: audit events", "/api/v1/audit/events"),
    ("quality", "API: declaration status", "/api/v1/policy/declarations/status"),
]


@dataclass
class Fetched:
    status: int
    ms: float  # the whole request: until the last byte of the body
    first_byte_ms: float  # until the first byte of the body: what a person waits for a download to start
    size: int
    queries: str
    streamed_csv: bool  # a CSV export, streamed: timed by its first byte, its whole download shown apart
    rows: int  # a CSV's data rows (lines after the header)


def fetch(url: str, headers: dict[str, str]) -> Fetched:
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            first = response.read(1)
            first_byte = time.perf_counter()
            body = first + response.read()
            status, queries = response.status, response.headers.get("X-Query-Count", "")
            kind = response.headers.get("Content-Type", "")
            streamed = response.headers.get("Content-Length") is None
    except urllib.error.HTTPError as error:
        body, status, queries = error.read(), error.code, error.headers.get("X-Query-Count", "")
        first_byte, kind, streamed = time.perf_counter(), "", False
    done = time.perf_counter()
    trailer = re.search(rb"# queries: (\d+)\n$", body[-40:])
    csv_export = kind.startswith("text/csv") and streamed
    return Fetched(
        status,
        (done - started) * 1000,
        (first_byte - started) * 1000,
        len(body),
        trailer.group(1).decode() if trailer else queries,
        csv_export,
        max(0, body.count(b"\r\n") - 1) if csv_export else 0,
    )


def p95_of(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--guardians", type=int, default=20_000)
    parser.add_argument("--audit", type=int, default=950_000)
    parser.add_argument("--cases", type=int, default=3_000)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--proposals", type=int, default=500)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--small", action="store_true", help="a tenth of every size")
    parser.add_argument(
        "--state",
        type=Path,
        help="a JSON file: written after building (with SOCIALGUARD_DATABASE_URL set), and when it exists, "
        "the build is skipped and the pages are timed again on the same database",
    )
    parser.add_argument("--only", default="", help="time only the pages whose name or path matches (regex)")
    args = parser.parse_args()
    if args.small:
        for name in ("staff", "learners", "guardians", "audit", "cases", "accounts", "proposals", "posts"):
            setattr(args, name, getattr(args, name) // 10)
    reused = args.state is not None and args.state.exists()
    data_dir = (
        Path(json.loads(args.state.read_text())["data_dir"])
        if reused
        else Path(tempfile.mkdtemp(prefix="sg-scale-"))
    )
    pg_dir = None
    url = os.environ.get("SOCIALGUARD_DATABASE_URL", "")
    if args.state is not None and not url:
        sys.exit("--state needs SOCIALGUARD_DATABASE_URL: a database that outlives this run")
    if not url:
        pg_dir = Path(tempfile.mkdtemp(prefix="sg-scale-pg-"))  # its own: the server's user must reach it
        url = subprocess.run(
            ["bash", str(ROOT / "scripts/pg-test-server.sh"), "start", str(pg_dir), str(free_port())],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    os.environ.update(SOCIALGUARD_DATA_DIR=str(data_dir / "data"), SOCIALGUARD_DATABASE_URL=url)
    served = None
    try:
        print(f"building on {url}", file=sys.stderr)
        if reused:
            auth = json.loads(args.state.read_text())["auth"]
            setup = [sys.executable, "-m", "socialguard.cli", "setup", "--no-demo"]
            subprocess.run(setup, check=True, env=os.environ)  # a branch may have added migrations
        else:
            auth = build(args)
            if args.state is not None:
                args.state.write_text(json.dumps({"data_dir": str(data_dir), "auth": auth}))
        env = {**os.environ, "SOCIALGUARD_QUERY_COUNT_HEADER": "1"}
        log = (data_dir / "serve.out").open("w")
        served = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "socialguard.cli",
                "serve",
                "--port",
                "0",
                "--workers",
                "2",
                "--no-task-worker",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = ""
        for _ in range(600):
            found = re.search(r"running on (http://127\.0\.0\.1:\d+)/", (data_dir / "serve.out").read_text())
            if found:
                base = found.group(1)
                break
            time.sleep(0.2)
        assert base, (data_dir / "serve.out").read_text()
        sessions, tokens = auth["sessions"], auth["tokens"]
        assert isinstance(sessions, dict) and isinstance(tokens, dict)
        rows = []
        downloads = []
        ids = auth.get("ids", {})  # a state file from before they were kept has none
        for role, what, template in PAGES:
            try:
                path = template.format(**ids)
            except KeyError:
                continue
            if args.only and not re.search(args.only, f"{what} {path}"):
                continue
            headers = (
                {"Authorization": f"Bearer {tokens[role]}"}
                if path.startswith("/api/")
                else {"Cookie": f"sessionid={sessions[role]}"}
            )
            # Warm, more than once: the server runs two gunicorn processes and a request may land on
            # either; a process's first request for a page compiles its templates and opens its
            # database connection, a one-off that is not the page's steady latency.
            for _ in range(4):
                fetch(base + path, headers)
            got = [fetch(base + path, headers) for _ in range(args.requests)]
            last = got[-1]
            # A streamed export's page is responsive when its download starts: its row in the main
            # table is timed to the first byte, and the whole download is shown in a table of its own.
            timings = [g.first_byte_ms if last.streamed_csv else g.ms for g in got]
            row = (role, what, path, statistics.median(timings), p95_of(timings), last.queries)
            rows.append((*row, {g.status for g in got}, last.size, last.streamed_csv))
            if last.streamed_csv:
                whole = [g.ms for g in got]
                downloads.append(
                    (role, what, path, statistics.median(whole), p95_of(whole), last.size, last.rows)
                )
            print(f"  {role:8} {what:32} {p95_of(timings):8.0f} ms", file=sys.stderr, flush=True)
        met = sum(1 for r in rows if r[4] < TARGET_MS and r[6] == {200})
        print("\n| role | page | median ms | p95 ms | queries | status | KB |\n|---|---|---|---|---|---|---|")
        for role, what, path, median, p95, queries, statuses, size, streamed in rows:
            mark = "" if p95 < TARGET_MS else " ✗"
            answered = ",".join(map(str, sorted(statuses)))
            label = f"{what} (`{path}`)" + (" — to the first byte" if streamed else "")
            cells = [role, label, f"{median:.0f}", f"{p95:.0f}{mark}", queries, answered, size // 1024]
            print("| " + " | ".join(map(str, cells)) + " |")
        print(f"\n{met} of {len(rows)} pages answered 200 with p95 < {TARGET_MS} ms.")
        if downloads:
            print(
                "\nStreamed exports, the whole download (the main table times them to their first byte):\n"
                "\n| role | export | median ms | p95 ms | MB | rows | rows/s (median) |"
                "\n|---|---|---|---|---|---|---|"
            )
            for role, what, path, median, p95, size, count in downloads:
                rate = count / (median / 1000) if median else 0
                cells = [
                    role,
                    f"{what} (`{path}`)",
                    f"{median:.0f}",
                    f"{p95:.0f}",
                    f"{size / 1e6:.1f}",
                    count,
                    f"{rate:,.0f}",
                ]
                print("| " + " | ".join(map(str, cells)) + " |")
    finally:
        if served is not None:
            served.terminate()
            try:
                served.wait(timeout=30)
            except subprocess.TimeoutExpired:
                served.kill()
        if pg_dir is not None:
            subprocess.run(
                ["bash", str(ROOT / "scripts/pg-test-server.sh"), "stop", str(pg_dir)], check=False
            )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
