from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Mapped:
    """A queryset whose items are converted only for the page the paginator slices out."""

    def __init__(self, queryset: Any, convert: Callable[[Any], Any]) -> None:
        self.queryset = queryset
        self.convert = convert

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Any]:
        return [self.convert(item) for item in self.queryset[index]]
