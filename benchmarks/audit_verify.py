"""How long checking the audit trail takes as it grows: the quick check (events after the newest
signed checkpoint) against the full read, on the same trail in the same run.

    .venv/bin/python benchmarks/audit_verify.py [--events N] [--since M]

Writes N events through the audit service into a fresh database in a temporary data folder
(SQLite; set SOCIALGUARD_DATABASE_URL for PostgreSQL), signs a checkpoint, writes M more, then
times `audit verify` both ways. Prints seconds and events read per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--since", type=int, default=1_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="sg-audit-bench-")
    os.environ["SOCIALGUARD_DATA_DIR"] = data_dir
    from socialguard.clitools import django_setup

    django_setup()
    from django.core.management import call_command
    from django.db import transaction

    from socialguard.audit.selectors import audit_verify
    from socialguard.audit.services import audit_checkpoint, audit_record

    call_command("migrate", interactive=False, verbosity=0)

    def write(n: int, label: str) -> None:
        started = time.perf_counter()
        for start in range(0, n, 5_000):
            with transaction.atomic():
                for i in range(start, min(n, start + 5_000)):
                    audit_record(actor=None, action="bench.step", object_type="bench", object_id=str(i))
            print(f"\r  {label}: {min(n, start + 5_000)}/{n}", end="", file=sys.stderr)
        print(f"\r  {label}: {n} events written in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    write(args.events, "history")
    audit_checkpoint()
    write(args.since, "since the checkpoint")
    timings = {}
    for name, quick in (("quick (since checkpoint)", True), ("full (from the first event)", False)):
        started = time.perf_counter()
        result = audit_verify(since_checkpoint=quick)
        timings[name] = time.perf_counter() - started
        assert result.ok, result.problem
    total = args.events + args.since + 1
    print(f"trail: {total} events ({args.since} after the newest checkpoint)")
    for name, seconds in timings.items():
        print(f"{name:30} {seconds * 1000:9.1f} ms")
    quick, full = timings.values()
    print(f"full / quick: {full / quick:.0f}x; full read {total / full:,.0f} events/s")


if __name__ == "__main__":
    main()
