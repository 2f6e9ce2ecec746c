"""No answer a real server gives crashes the suite: HTML error pages, empty bodies, plain text and
redirects are findings (or documented outcomes), never an exception inside a test.

The "panel" here is a few lines of WSGI on a free loopback port: it logs the suite in, then answers
each other request with one of those shapes, by a hash of its path, so every phase meets each shape.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.suite_runs import run_suite

TOKEN = jwt.encode({"sub": "admin", "exp": 4102444800}, "k" * 32, algorithm="HS256")
SHAPES = [
    Response("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>", 404, content_type="text/html"),
    Response("", 200, content_type="application/json"),
    Response("Internal Server Error", 500, content_type="text/plain"),
    Response("", 302, headers={"Location": "/login"}),
    Response("<html><body>OK</body></html>", 200, content_type="text/html"),
    Response(json.dumps({"unexpected": True}), 200, content_type="application/json"),
]


@Request.application
def hostile(request: Request) -> Response:
    if request.method == "POST" and request.path == "/api/":
        body = request.get_json(silent=True)
        if isinstance(body, dict) and body.get("password") == "openpanel-mock":
            return Response(json.dumps({"access_token": TOKEN}), 200, content_type="application/json")
    return SHAPES[zlib.crc32(f"{request.method} {request.path}".encode()) % len(SHAPES)]


@pytest.fixture(scope="module")
def hostile_panel() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, hostile, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.mark.parametrize("mode", [(), ("--mutating",)], ids=["read-only", "mutating"])
def test_every_odd_answer_is_a_finding_not_a_crash(hostile_panel: str, mode, tmp_path: Path):
    report = tmp_path / "report.json"
    result = run_suite(hostile_panel, *mode, "--report-json", str(report), max_examples=3)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-4000:]
    judged = json.loads(report.read_text())
    assert judged["verdict"] == "FAIL" and judged["findings"]
    crashes = [failure for failure in judged["unexplained_failures"] if "could not remove" not in failure]
    assert not crashes, "\n".join(crashes)
    assert "INTERNALERROR" not in output
    kinds = {finding["kind"] for finding in judged["findings"]}
    assert {"content-type", "server-error"} <= kinds, kinds
