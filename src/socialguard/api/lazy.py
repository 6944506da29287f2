from __future__ import annotations

from collections.abc import Callable, Sequence
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


class PageMapped(Mapped):
    """Like `Mapped`, but the page is converted as a whole: where each row needs related facts
    (who is involved, which blockers), `convert_page` reads them for the whole page in a fixed
    number of queries instead of a few per row."""

    def __init__(self, queryset: Any, convert_page: Callable[[Sequence[Any]], list[Any]]) -> None:
        super().__init__(queryset, lambda item: item)
        self.convert_page = convert_page

    def __getitem__(self, index: slice) -> list[Any]:
        page = list(self.queryset[index])
        return self.convert_page(page) if page else []
