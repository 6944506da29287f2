"""Explicit transitions: each workflow (cases, account proposals, policy versions) writes its
states down as one table, `{(from_state, action): Step(to_state, who_may)}`, and every change of
state goes through `Workflow.apply`. Pages, the API and the CLI ask `allowed_actions` which
buttons to offer, so no template repeats a state rule and none can drift from what the service
accepts.

The table lives in the app (`incidents/transitions.py`, `accounts/transitions.py`,
`policies/transitions.py`); this module only reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from socialguard.audit.services import audit_record

M = TypeVar("M", bound=models.Model)

# who_may(actor, obj): the object rule, from the app's access.py.
Who = Callable[[Any, Any], bool]
# A condition on the object besides its state (a retention date, a restricted flag).
Guard = Callable[[Any], bool]
# A step's other writes, given the locked row (already in its new state) and the state it left;
# returns the audit event's (before, after), or None for {"status": old} → {"status": new}.
Change = Callable[[Any, str], "tuple[dict[str, Any] | None, dict[str, Any]] | None"]


@dataclass(frozen=True)
class Step:
    to: str
    who: Who
    when: Guard | None = None


@dataclass(frozen=True)
class Refusal:
    """Why an action was refused; `permission` when the actor may not, else the object's state."""

    action: str
    message: str
    permission: bool

    def error(self) -> Exception:
        return PermissionDenied(self.message) if self.permission else ValidationError(self.message)


class Workflow(Generic[M]):
    def __init__(
        self,
        model: type[M],
        table: Mapping[tuple[str, str], Step],
        *,
        state: str = "status",
        not_permitted: Callable[[Any, M, str], str],
        not_now: Callable[[M, str], str],
    ) -> None:
        self.model = model
        self.table = dict(table)
        self.state = state
        self._not_permitted = not_permitted
        self._not_now = not_now
        # Each action has one rule for who may take it, whatever state it starts from: the
        # permission is checked before the state, so a stranger never learns the state.
        self.who: dict[str, Who] = {}
        for (_, action), step in self.table.items():
            if self.who.setdefault(action, step.who) is not step.who:
                raise ValueError(f"{action!r} has two rules for who may take it")

    @property
    def actions(self) -> list[str]:
        return list(self.who)

    def refusal(self, obj: M, user: Any, action: str) -> Refusal | None:
        """None when `user` may take `action` on `obj` now; else why not."""
        who = self.who.get(action)
        if who is None:
            raise KeyError(f"no action {action!r} in the {self.model.__name__} workflow")
        if not who(user, obj):
            return Refusal(action, self._not_permitted(user, obj, action), permission=True)
        step = self.table.get((getattr(obj, self.state), action))
        if step is None or (step.when is not None and not step.when(obj)):
            return Refusal(action, self._not_now(obj, action), permission=False)
        return None

    def allowed_actions(self, obj: M, user: Any) -> list[str]:
        """What `user` may do to `obj` now, in the table's order: the buttons a page shows."""
        return [action for action in self.actions if self.refusal(obj, user, action) is None]

    def check(self, obj: M, actor: Any, action: str) -> None:
        """Refuse early (before a form's own checks) on the object as the caller holds it;
        `apply` checks again under the row lock."""
        refused = self.refusal(obj, actor, action)
        if refused is not None:
            raise refused.error()

    def apply(
        self,
        *,
        actor: Any,
        obj: M,
        action: str,
        audit: str,
        change: Change | None = None,
        audit_target: Callable[[M], models.Model] | None = None,
    ) -> M:
        """Take `action`: lock the row, check the actor and the state again on the locked row,
        let `change` write the step's other fields (and related rows), write the new state and
        the audit event, in one transaction. The caller's `obj` is updated to match.
        `audit_target` names what the event is about when that is not `obj` (a row the step made)."""
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            self.check(locked, actor, action)
            step = self.table[(getattr(locked, self.state), action)]
            before_state = getattr(locked, self.state)
            setattr(locked, self.state, step.to)
            details = change(locked, before_state) if change is not None else None
            locked.save()
            before, after = details or ({self.state: before_state}, {self.state: step.to})
            target = audit_target(locked) if audit_target is not None else locked
            audit_record(actor=actor, action=audit, target=target, before=before, after=after)
        for field in self.model._meta.concrete_fields:
            setattr(obj, field.attname, getattr(locked, field.attname))
        return obj
