"""The upload guard in front of Reflex's /_upload: too large or of no declared size is refused before the
body is read; a body within the cap and every other path reach the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from brandifiers.upload_guard import UPLOAD_BODY_MAX, upload_guard

_read: list[int] = []


async def _echo(request: Request) -> PlainTextResponse:
    _read.append(len(await request.body()))
    return PlainTextResponse("read")


INNER = Starlette(routes=[Route("/_upload", _echo, methods=["POST"]), Route("/other", _echo, methods=["POST"]),
                          Route("/_upload/avatars/{name}", _echo)])


def _client() -> TestClient:
    _read.clear()
    return TestClient(upload_guard(INNER))


def test_a_body_declared_over_the_cap_is_refused_unread():
    client = _client()
    answer = client.post("/_upload", content=b"x" * 100, headers={"Content-Length": str(UPLOAD_BODY_MAX + 1)})
    assert answer.status_code == 413 and answer.text == "The upload is too large: at most 5 MB a file."
    assert _read == []


def test_within_the_cap_and_other_paths_pass():
    client = _client()
    assert client.post("/_upload", content=b"x" * 1000).text == "read"
    big = b"x" * (UPLOAD_BODY_MAX + 10)
    assert client.post("/other", content=big).text == "read"  # only uploads are guarded
    assert client.get("/_upload/avatars/1-ab.png").text == "read"  # the stored files are served under it
    assert _read == [1000, len(big), 0]


def test_an_upload_of_no_declared_size_is_refused():
    client = _client()
    answer = client.post("/_upload", content=iter([b"x" * 10]))  # chunked: no Content-Length
    assert answer.status_code == 411 and _read == []


def test_the_app_runs_behind_the_guard():
    """In a process of its own: building the app adds its pages' route arguments to every state."""
    check = "from brandifiers.brandifiers import app, upload_guard; assert upload_guard in app.api_transformer"
    done = subprocess.run([sys.executable, "-c", check], cwd=Path(__file__).parents[2], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
