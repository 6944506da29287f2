"""Checkpoints: the chain's head signed with the audit key and kept where someone who can write to
the database cannot reach it — an append-only file, the auditors' inboxes and, through
AUDIT_CHECKPOINT_PUBLISHERS, anywhere public. `audit verify` matches every one against the chain,
so cutting events off the end or re-sealing the chain (even with the key) is caught."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage

from socialguard.audit import chain
from socialguard.audit.chain import ChainProblem, Checkpoint

logger = logging.getLogger(__name__)


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def append(checkpoint: Checkpoint, path: Path) -> None:
    """Add one line; never rewrite the file. Synced before returning, so a crash cannot lose it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(checkpoint.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _parse(line: str, source: str) -> Checkpoint:
    data = json.loads(line)
    if not isinstance(data, dict) or data.get("v") != chain.CHECKPOINT_VERSION:
        raise ValueError
    seq, digest, at, mac = data["seq"], data["hash"], data["at"], data["mac"]
    if not (isinstance(seq, int) and seq >= 0 and all(isinstance(x, str) for x in (digest, at, mac))):
        raise ValueError
    return Checkpoint(seq=seq, hash=digest, at=at, mac=mac, source=source)


def read(path: Path, *, key: bytes) -> tuple[list[Checkpoint], ChainProblem | None]:
    """The signed checkpoints in a file (the product's own, or lines an auditor saved from the
    emails); blank lines are skipped. A missing file holds none. The first bad line is a problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], None
    except (OSError, UnicodeDecodeError) as exc:
        return [], ChainProblem(0, f"cannot read checkpoints ({exc.__class__.__name__})", where=str(path))
    found: list[Checkpoint] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{path} line {number}"
        try:
            checkpoint = _parse(line, f"{path.name} line {number}")
        except (ValueError, KeyError, TypeError):
            reason = "not a checkpoint (expected a JSON object with v=1, seq, hash, at and mac)"
            return found, ChainProblem(0, reason, where=where)
        if not chain.checkpoint_signed_by(key, checkpoint):
            reason = (
                f"checkpoint of #{checkpoint.seq} is not signed with the audit key "
                "(forged or altered, or written with another key)"
            )
            return found, ChainProblem(checkpoint.seq, reason, where=where)
        found.append(checkpoint)
    return found, None


AUDITOR_ROLE = "auditor"  # identity.roles.Role.AUDITOR; the audit layer sits below identity


def auditor_emails() -> list[str]:
    users = (
        get_user_model().objects.filter(is_active=True, role_assignments__role=AUDITOR_ROLE).exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def email_body(checkpoint: Checkpoint) -> str:
    return "\n".join(
        [
            "This is the daily checkpoint of the socialguard audit trail.",
            "",
            f"Events up to #{checkpoint.seq} ended with hash {checkpoint.hash} at {checkpoint.at}.",
            "",
            "Keep this email. If anyone later deletes or rewrites audit events, this line will no longer",
            "match. To check, save the line below into a file and run",
            "`socialguard audit verify --checkpoints FILE` on the server:",
            "",
            checkpoint.line(),
            "",
        ]
    )


def email_auditors(checkpoint: Checkpoint, recipients: list[str]) -> None:
    if recipients:
        EmailMessage(
            f"socialguard audit checkpoint #{checkpoint.seq}",
            email_body(checkpoint),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        ).send()


def email_alert(problem: ChainProblem | None, recipients: list[str]) -> None:
    if recipients:
        body = (
            "Today's check of the socialguard audit trail failed, so no checkpoint was signed.\n\n"
            f"First problem: {problem}\n\n"
            "Tell the senior management team and keep a copy of the database and the checkpoint file "
            "as evidence. `socialguard audit verify` shows the same on the server.\n"
        )
        EmailMessage(
            "socialguard audit trail: verification FAILED", body, settings.DEFAULT_FROM_EMAIL, recipients
        ).send()


def publishers() -> list[Callable[[Checkpoint], Any]]:
    """The configured extra destinations (AUDIT_CHECKPOINT_PUBLISHERS): dotted paths of callables
    that take one Checkpoint, e.g. one posting `checkpoint.line()` somewhere public."""
    found = []
    for dotted in getattr(settings, "AUDIT_CHECKPOINT_PUBLISHERS", []):
        module, _, attribute = dotted.rpartition(".")
        found.append(getattr(import_module(module), attribute))
    return found
