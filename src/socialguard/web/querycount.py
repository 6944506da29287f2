"""For measuring only (benchmarks/scale.py): an `X-Query-Count` header on every response, the
number of SQL statements the request ran, including those run while a streamed body is read.
Installed only when SOCIALGUARD_QUERY_COUNT_HEADER=1: the figure says something about the data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        count = [0]

        def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            # The body is read after this returns: count it as it streams, then report in a trailer
            # line the benchmark reads (headers are gone by then).
            response.streaming_content = _counted(response.streaming_content, counting, count)
        response["X-Query-Count"] = str(count[0])
        return response


def _counted(chunks: Any, counting: Any, count: list[int]) -> Iterator[Any]:
    with connection.execute_wrapper(counting):
        yield from chunks
    # Not part of the body a client would use; only ever sent with the header switched on.
    yield f"\n# queries: {count[0]}\n".encode()
