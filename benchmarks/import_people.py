"""How long importing learners and guardians takes at a college group's size, through the same
service as `socialguard import` and the web page (all rows or none, one audit event).

    .venv/bin/python benchmarks/import_people.py [--learners N] [--guardians M]

A fresh database in a temporary data folder (SQLite; set SOCIALGUARD_DATABASE_URL for an empty
PostgreSQL database); generated rows (Faker, fixed seed). Prints seconds and rows per second for
the first import (all new) and the same file again (all unchanged), then one changed column.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time


def learners_csv(n: int) -> bytes:
    from faker import Faker

    fake = Faker("en_GB")
    Faker.seed(7)
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "external_id",
            "first_name",
            "last_name",
            "email",
            "date_of_birth",
            "programme",
            "start_date",
            "end_date",
        ]
    )
    for i in range(n):
        first, last = fake.first_name(), fake.last_name()
        born = f"{rng.randint(1970, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        writer.writerow(
            [
                f"L{i:06d}",
                first,
                last,
                f"l{i}@learners.example",
                born,
                f"Programme {i % 40}",
                "2024-09-01",
                "",
            ]
        )
    return out.getvalue().encode()


def guardians_csv(n: int, learners: int) -> bytes:
    from faker import Faker

    fake = Faker("en_GB")
    Faker.seed(8)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["external_id", "first_name", "last_name", "email", "learner_ids"])
    for i in range(n):
        linked = ";".join(f"L{(i * 5 + k) % learners:06d}" for k in range(2))
        writer.writerow([f"G{i:06d}", fake.first_name(), fake.last_name(), f"g{i}@guardians.example", linked])
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--guardians", type=int, default=20_000)
    args = parser.parse_args()
    os.environ["SOCIALGUARD_DATA_DIR"] = tempfile.mkdtemp(prefix="sg-import-bench-")
    from socialguard.clitools import django_setup

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from socialguard.identity.roles import Role
    from socialguard.identity.services import user_create
    from socialguard.people.services import people_export_pieces, people_import

    call_command("migrate", interactive=False, verbosity=0)
    actor = user_create(
        actor=None, email="bench@dmm.example", full_name="Bench", password=None, roles=[Role.SMT]
    )
    print(f"database: {connection.vendor}", file=sys.stderr)
    learners = learners_csv(args.learners)
    guardians = guardians_csv(args.guardians, args.learners)
    changed = learners.replace(b"Programme 1,", b"Programme One,")
    for label, kind, data in (
        (f"{args.learners} learners, new", "learners", learners),
        (f"{args.learners} learners, unchanged", "learners", learners),
        (f"{args.learners} learners, programme changed on some", "learners", changed),
        (f"{args.guardians} guardians, new", "guardians", guardians),
    ):
        started = time.perf_counter()
        result = people_import(actor=actor, kind=kind, data=data, filename=f"{kind}.csv")
        seconds = time.perf_counter() - started
        rows = len(result.created) + len(result.updated) + result.unchanged
        print(f"{label:45} {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s  ({result.summary()})")
    for kind in ("learners", "guardians"):
        started = time.perf_counter()
        lines = sum(piece.count("\n") for piece in people_export_pieces(kind)) - 1  # less the header
        seconds = time.perf_counter() - started
        print(f"{f'export {kind} (streamed)':45} {seconds:7.1f} s  {lines / seconds:9,.0f} rows/s")


if __name__ == "__main__":
    main()
