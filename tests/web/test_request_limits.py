"""Oversized bodies are refused with 413 without being read: through Django's real WSGI handler,
with a request body that is produced only as the server reads it, counting what it read."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.test.utils import override_settings

from socialguard.identity.roles import Role

MB = 1024 * 1024
BOUNDARY = "----socialguardtestboundary"


class Body(io.RawIOBase):
    """A multipart body with one file of `size` bytes, made as it is read; `read_bytes` counts."""

    def __init__(self, size: int, name: str = "huge.csv") -> None:
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nstaff\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.length - self.read_bytes)
        chunk = bytearray(b"x" * n)
        for i in range(n):  # head and tail bytes where they fall; filler between
            pos = self.read_bytes + i
            if pos < len(self.head):
                chunk[i] = self.head[pos]
            elif pos >= self.length - len(self.tail):
                chunk[i] = self.tail[pos - (self.length - len(self.tail))]
        buffer[:n] = chunk
        self.read_bytes += n
        return n


def _wsgi(path: str, body: Body, content_length: int | None = None) -> tuple[str, bytes, dict[str, str]]:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body, buffer_size=64 * 1024),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length if content_length is None else content_length),
    }
    status: list[str] = []
    headers: dict[str, str] = {}

    def start_response(s: str, h: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(s)
        headers.update(h)

    response = WSGIHandler()(environ, start_response)
    content = b"".join(response)
    response.close()  # type: ignore[attr-defined]
    return status[0], content, headers


def test_a_body_over_the_limit_is_refused_before_a_byte_is_read(db: Any) -> None:
    body = Body(300 * MB)  # never built: the stream makes bytes only as they are read
    status, content, _ = _wsgi("/people/import/", body)
    assert status.startswith("413")
    assert body.read_bytes == 0
    assert b"This request is 300 MB; the most this server accepts is 32 MB" in content


@override_settings(UPLOAD_FILE_MAX_BYTES=1 * MB, REQUEST_MAX_BYTES=8 * MB)
def test_an_oversized_file_stops_being_read_at_the_file_limit(db: Any) -> None:
    body = Body(6 * MB)
    status, content, _ = _wsgi("/people/import/", body)
    assert status.startswith("413")
    assert b"huge.csv is larger than 1 MB, the most one uploaded file may be." in content
    # Read up to the limit plus the parser's read-ahead, not the 6 MB sent.
    assert body.read_bytes < 1.5 * MB


def test_api_answers_413_in_json(db: Any) -> None:
    body = Body(40 * MB)
    status, content, headers = _wsgi("/api/v1/people/staff/import", body)
    assert status.startswith("413") and body.read_bytes == 0
    assert headers["Content-Type"] == "application/json"
    assert json.loads(content)["detail"].startswith("This request is 40 MB")


def test_json_bodies_have_a_smaller_limit(client_for: Callable[..., Client]) -> None:
    client = client_for(Role.STAFF)
    big = json.dumps({"posts": [{"text": "x" * 60_000}] * 100})  # 6 MB
    response = client.post("/api/v1/check", big, content_type="application/json")
    assert response.status_code == 413
    assert "a request without files may be at most 5 MB" in response.json()["detail"]


@pytest.mark.parametrize("size", [10, 512 * 1024])
def test_ordinary_uploads_still_arrive(client_for: Callable[..., Client], size: int) -> None:
    client = client_for(Role.SMT)
    data = b"external_id,first_name,last_name,employment_type\n" + b"E1,Ada,L,employee\n"
    data += b"#" * size  # a trailing comment-like row refused by the importer, not by the limit
    upload = io.BytesIO(data)
    upload.name = "staff.csv"
    response = client.post("/people/import/", {"kind": "staff", "file": upload})
    assert response.status_code in (200, 302)


def test_a_form_with_files_and_too_much_text_gets_the_413_page(client_for: Callable[..., Client]) -> None:
    """The text fields of a form that also carries files are bounded by DATA_UPLOAD_MAX_MEMORY_SIZE;
    passing it gave Django's bare, unstyled "Bad Request (400)" page."""
    upload = io.BytesIO(b"external_id\n")
    upload.name = "staff.csv"
    response = client_for(Role.SMT).post(
        "/people/import/", {"kind": "staff", "note": "x" * (6 * MB), "file": upload}
    )
    assert response.status_code == 413
    assert "The text in this form adds up to more than 5 MB" in response.content.decode()
    assert "<main" in response.content.decode()  # the site's own page, not Django's bare one
