"""Who is acting and from where, for the audit trail, without threading the request everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("socialguard_audit_ip", default="")


@contextmanager
def acting_from(address: str) -> Iterator[None]:
    token = current_ip.set(address)
    try:
        yield
    finally:
        current_ip.reset(token)
