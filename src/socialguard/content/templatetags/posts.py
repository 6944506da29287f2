from __future__ import annotations

from typing import Any

from django import template

from socialguard.content.pages import VERDICT_WORDS
from socialguard.identity.permissions import can

register = template.Library()


@register.filter
def verdict_words(verdict: str) -> str:
    return VERDICT_WORDS.get(verdict, verdict)


@register.filter
def may(user: Any, action: str) -> bool:
    return can(user, action)
