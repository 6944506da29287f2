"""The demo organisation: Digital Marketing Mentor (DMM), with generated, realistic people.

Names come from Faker (en_GB) with a fixed seed, so every demo is the same. The people who
hold roles have fixed names so the sign-in sheet printed by `socialguard setup` stays stable.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from socialguard.audit.services import audit_record
from socialguard.identity.models import RoleAssignment, User
from socialguard.identity.roles import Role
from socialguard.people.models import (
    Department,
    EmploymentType,
    Guardian,
    Learner,
    Organisation,
    StaffMember,
)

DEMO_PASSWORD = "socialguard-demo"
DOMAIN = "dmm.example"
SEED = 2022

DEPARTMENTS = [
    ("Senior Management", "Manchester"),
    ("Quality", "Manchester"),
    ("Digital Marketing", "Manchester"),
    ("Business Administration", "Leeds"),
    ("IT and Data", "Leeds"),
    ("Learner Support", "Manchester"),
    ("Finance and Operations", "Remote"),
]
PROGRAMMES = [
    "Digital Marketer Level 3",
    "Multi-channel Marketer Level 3",
    "Content Creator Level 3",
    "Digital Marketer Level 4",
    "Data Technician Level 3",
    "Business Administrator Level 3",
]
# (external id, first, last, job title, department, roles, employment type)
ROLE_HOLDERS = [
    ("S001", "James", "Okafor", "Managing Director", "Senior Management", [Role.SMT], "employee"),
    ("S002", "Helen", "Carter", "Quality Director", "Quality", [Role.QUALITY_DIRECTOR, Role.SMT], "employee"),
    ("S003", "Sarah", "Whitfield", "Operations Director", "Senior Management", [Role.SMT], "employee"),
    ("S004", "Daniel", "Hughes", "Head of Delivery", "Senior Management", [Role.SMT], "employee"),
    ("S005", "Amira", "Begum", "Designated Safeguarding Lead", "Learner Support", [Role.DSL], "employee"),
    ("S006", "Tom", "Bradley", "Digital Marketing Tutor", "Digital Marketing", [], "employee"),
    ("S007", "Chloe", "Nwosu", "Social Media Coordinator", "Digital Marketing", [], "contract_worker"),
    ("S008", "Gareth", "Price", "Careers Mentor", "Learner Support", [], "volunteer"),
    ("S009", "Priya", "Shah", "Learner Support Manager", "Learner Support", [Role.DEPUTY_DSL], "employee"),
]
JOBS = {
    "Digital Marketing": ["Digital Marketing Tutor", "Skills Coach", "Content Tutor"],
    "Business Administration": ["Business Admin Tutor", "Skills Coach"],
    "IT and Data": ["Data Tutor", "IT Support Technician"],
    "Learner Support": ["Learner Support Officer", "Deputy Safeguarding Officer", "Careers Adviser"],
    "Quality": ["Quality Officer", "Compliance Officer"],
    "Finance and Operations": ["Finance Officer", "Employer Engagement Officer", "Receptionist"],
}
AUDITOR = ("Morgan", "Ellis", f"auditor@{DOMAIN}")


def demo_loaded() -> bool:
    return Organisation.objects.filter(name="Digital Marketing Mentor").exists()


def _email(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "").replace("'", "") + f"@{DOMAIN}"


def load_demo(progress: Callable[[], object] = lambda: None) -> None:
    from faker import Faker  # the demo extra: a deployment without it never loads the demo

    fake = Faker("en_GB")
    Faker.seed(SEED)
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        Organisation.objects.all().delete()
        Organisation.objects.create(
            name="Digital Marketing Mentor",
            aliases="DMM\nDigital Marketing Mentor Ltd\nDigitalMarketingMentor",
            handles="@DMMentorUK\n@digitalmarketingmentor\nlinkedin.com/company/digital-marketing-mentor",
            email_domains=DOMAIN,
        )
        departments = {
            n: Department.objects.get_or_create(name=n, defaults={"site": s})[0] for n, s in DEPARTMENTS
        }
        progress()

        password_hash = make_password(DEMO_PASSWORD)  # hashed once: all demo users share it
        staff: list[StaffMember] = []
        users: list[User] = []
        roles: list[tuple[int, Role]] = []
        for ext_id, first, last, title, dept, held, kind in ROLE_HOLDERS:
            member = StaffMember(
                external_id=ext_id,
                first_name=first,
                last_name=last,
                email=_email(first, last),
                employment_type=kind,
                job_title=title,
                department=departments[dept],
                start_date=today - dt.timedelta(days=rng.randint(400, 3000)),
            )
            staff.append(member)
            users.append(User(email=member.email, full_name=member.full_name, password=password_hash))
            roles.append((len(users) - 1, Role.STAFF))
            roles.extend((len(users) - 1, r) for r in held)
        kinds = (
            [EmploymentType.EMPLOYEE] * 24
            + [EmploymentType.CONTRACT_WORKER] * 5
            + [EmploymentType.VOLUNTEER] * 3
        )
        for n, kind in enumerate(kinds, start=len(ROLE_HOLDERS) + 1):
            first, last = fake.first_name(), fake.last_name()
            dept = rng.choice(list(JOBS))
            start = today - dt.timedelta(days=rng.randint(30, 3500))
            leave = None
            if n % 11 == 0:
                leave = today - dt.timedelta(days=rng.randint(10, 300))  # has left
            elif n % 13 == 0:
                leave = today + dt.timedelta(days=rng.randint(5, 40))  # leaving soon
            member = StaffMember(
                external_id=f"S{n:03d}",
                first_name=first,
                last_name=last,
                email=_email(first, last),
                employment_type=kind,
                job_title=rng.choice(JOBS[dept]),
                department=departments[dept],
                start_date=start,
                leave_date=leave,
            )
            staff.append(member)
            if leave is None or leave > today:
                users.append(User(email=member.email, full_name=member.full_name, password=password_hash))
                roles.append((len(users) - 1, Role.STAFF))
        users.append(User(email=AUDITOR[2], full_name=f"{AUDITOR[0]} {AUDITOR[1]}", password=password_hash))
        roles.append((len(users) - 1, Role.AUDITOR))
        User.objects.bulk_create(users, ignore_conflicts=True)
        by_email = {u.email: u for u in User.objects.filter(email__in=[u.email for u in users])}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=by_email[users[i].email], role=r) for i, r in roles], ignore_conflicts=True
        )
        for member in staff:
            member.user = by_email.get(member.email)
        StaffMember.objects.bulk_create(staff, ignore_conflicts=True)  # --force keeps existing records
        saved = {s.external_id: s for s in StaffMember.objects.all()}
        # Line management: tutors report to the Head of Delivery, SMT to the Managing Director.
        for s in saved.values():
            if s.external_id == "S001":
                continue
            boss = (
                "S001"
                if (s.department and s.department.name == "Senior Management")
                or s.external_id in {"S002", "S005"}
                else ("S002" if s.department and s.department.name == "Quality" else "S004")
            )
            s.line_manager = saved[boss]
        StaffMember.objects.bulk_update(list(saved.values()), ["line_manager"])
        progress()

        learners = []
        for n in range(1, 301):
            age = rng.choice([16, 16, 17, 17, 18, 19, 20, 22, 24, 27, 31, 35, 42])
            dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 360))
            past = n % 10 < 3  # about 30% past learners
            start = today - dt.timedelta(days=rng.randint(400, 1400) if past else rng.randint(10, 500))
            end = start + dt.timedelta(days=rng.randint(300, 390)) if past else None
            if end and end >= today:
                end = today - dt.timedelta(days=rng.randint(1, 60))
            first, last = fake.first_name(), fake.last_name()
            handles = f"@{first.lower()}{last.lower()}{rng.randint(1, 99)}" if n % 3 == 0 else ""
            learners.append(
                Learner(
                    external_id=f"L{n:04d}",
                    first_name=first,
                    last_name=last,
                    email=_email(first, last).replace(DOMAIN, "learner.example"),
                    date_of_birth=dob,
                    programme=rng.choice(PROGRAMMES),
                    employer=fake.company(),
                    start_date=start,
                    end_date=end,
                    social_handles=handles,
                )
            )
        Learner.objects.bulk_create(learners, ignore_conflicts=True)
        progress()

        guardian_links = []
        guardians = []
        for learner in Learner.objects.filter(date_of_birth__gt=today - dt.timedelta(days=19 * 365)):
            first_name = fake.first_name()  # one name for the record and its address
            guardian = Guardian(
                external_id=f"G{learner.external_id[1:]}",
                first_name=first_name,
                last_name=learner.last_name,
                email=_email(first_name, learner.last_name).replace(DOMAIN, "family.example"),
                phone=f"07700 900{rng.randint(0, 999):03d}",
            )
            guardians.append(guardian)
            guardian_links.append((guardian.external_id, learner))
        Guardian.objects.bulk_create(guardians, ignore_conflicts=True)
        saved_guardians = {g.external_id: g for g in Guardian.objects.all()}
        Through = Guardian.learners.through
        Through.objects.bulk_create(
            [Through(guardian_id=saved_guardians[g].pk, learner_id=le.pk) for g, le in guardian_links],
            ignore_conflicts=True,
        )
        audit_record(
            actor=None,
            action="demo.loaded",
            object_type="people.organisation",
            object_repr="Digital Marketing Mentor",
            after={
                "staff": len(staff),
                "learners": len(learners),
                "guardians": len(guardians),
                "sign_ins": len(users),
            },
        )
        progress()


def sign_in_sheet() -> str:
    lines = ["", f"Demo sign-ins (password for all: {DEMO_PASSWORD})"]
    for _, first, last, title, _, held, _ in ROLE_HOLDERS:
        label = ", ".join(r.label for r in held) or "Staff"
        lines.append(f"  {label:<45} {_email(first, last):<32} ({title})")
    lines.append(f"  {'Auditor':<45} {AUDITOR[2]:<32} (external auditor)")
    lines.append(
        "SMT, the DSL, deputies and the Quality Director set up an authenticator app at first sign-in."
    )
    return "\n".join(lines)
