"""The mock's HTTP server, one connection at a time, with a fake transport and a fake clock.

No sockets and no sleeping: deadlines are checked by calling ``expire`` with a chosen time, so these
tests say exactly what happens when, on any machine. The server over real sockets is tested in
``test_hardening.py``.
"""

from __future__ import annotations

import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mock_server.httpd.connection import Connection, Limits
from mock_server.httpd.wsgi import Site

SITE = Site(server_name="127.0.0.1", server_port="2087", multithread=False, multiprocess=False)


class FakeTransport:
    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.written += data

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> object:
        return ("127.0.0.1", 50000) if name == "peername" else None


def echo_app(environ, start_response):
    """Answers what it was asked, as JSON, so a test can see what the app saw."""
    body = environ["wsgi.input"].read()
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "body": body.decode("latin-1"),
        "length": environ.get("CONTENT_LENGTH"),
        "forwarded": environ.get("HTTP_X_FORWARDED_FOR"),
    }
    payload = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def connect(limits: Limits | None = None) -> tuple[Connection, FakeTransport]:
    connection = Connection(echo_app, SITE, limits or Limits(), None, set())
    transport = FakeTransport()
    connection.connection_made(transport)  # type: ignore[arg-type]
    return connection, transport


def responses(raw: bytes) -> list[tuple[str, dict[str, str], bytes]]:
    """Split what the server wrote into (status line, headers, body), using Content-Length."""
    found = []
    while raw:
        head, _, raw = raw.partition(b"\r\n\r\n")
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
        length = int(headers.get("content-length", "0"))
        found.append((status, headers, raw[:length]))
        raw = raw[length:]
    return found


def test_pipelined_requests_are_answered_in_order_and_the_connection_stays_open():
    connection, transport = connect()
    connection.data_received(b"GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
    answers = responses(transport.written)
    assert [json.loads(body)["path"] for _, _, body in answers] == ["/a", "/b"]
    assert json.loads(answers[0][2])["query"] == "x=1" and json.loads(answers[1][2])["body"] == "{}"
    assert not transport.closed and all("connection" not in headers for _, headers, _ in answers)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_however_the_bytes_are_split_the_answers_are_the_same(cuts):
    stream = (
        b'POST /api/users HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n'
        b"GET /api/%7Euser HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n"
    )
    connection, transport = connect()
    position = 0
    for cut in cuts:
        connection.data_received(stream[position : position + cut])
        position += cut
    connection.data_received(stream[position:])
    seen = [json.loads(body) for _, _, body in responses(transport.written)]
    assert [(item["path"], item["body"], item["length"]) for item in seen] == [
        ("/api/users", '{"a":1}', "7"),
        ("/api/~user", "", None),
    ]
    assert seen[1]["forwarded"] == "1.2.3.4"


def test_connect_is_answered_with_its_body_read_by_length_then_the_connection_closes():
    """The WHMCS module's autologin: ``CONNECT /api/users/{u}`` with a ``[]`` body."""
    connection, transport = connect()
    connection.data_received(b"CONNECT /api/users/stefan HTTP/1.1\r\nContent-Length: 2\r\n\r\n[")
    assert transport.written == b"", "answered before its body arrived"
    connection.data_received(b"]")
    [(status, headers, body)] = responses(transport.written)
    assert status == "HTTP/1.1 200 OK" and headers["connection"] == "close" and transport.closed
    assert json.loads(body)["method"] == "CONNECT" and json.loads(body)["body"] == "[]"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", "414"),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(101)) + b"\r\n", "431"),
        (b"GET / HTTP/1.1\r\nX-Huge: " + b"y" * 9000 + b"\r\n\r\n", "431"),
        (b"GET / HTTP/1.1\r\nX-Endless: " + b"y" * (1024 * 1024 + 10), "431"),
        (b"POST / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", "413"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400"),
        (b"NOT HTTP AT ALL\r\n\r\n", "400"),
    ],
    ids=["long line", "header flood", "huge header", "endless header", "huge body", "bad chunk", "garbage"],
)
def test_a_refused_request_gets_a_json_error_and_the_connection_closes(request_bytes, status):
    connection, transport = connect()
    connection.data_received(request_bytes)
    [(line, headers, body)] = responses(transport.written)
    assert line.split()[1] == status and headers["content-type"] == "application/json"
    assert json.loads(body)["error"] and transport.closed


def test_expect_100_continue_is_answered_before_the_body_is_sent():
    connection, transport = connect()
    connection.data_received(b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
    assert transport.written == b"HTTP/1.1 100 Continue\r\n\r\n"
    connection.data_received(b"{}")
    assert b"200 OK" in transport.written


def test_head_gets_the_headers_only_and_http_1_0_closes():
    connection, transport = connect()
    connection.data_received(b"HEAD /x HTTP/1.1\r\n\r\n")
    assert transport.written.endswith(b"\r\n\r\n") and b"Content-Length: " in transport.written
    connection, transport = connect()
    connection.data_received(b"GET /x HTTP/1.0\r\n\r\n")
    assert b"Connection: close" in transport.written and transport.closed


@pytest.mark.parametrize(
    ("sent", "after", "why"),
    [
        (b"GET / HTTP/1.1\r\nX-Slow: 1\r\n", 5.5, "no bytes for 5 s"),
        (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{", 5.5, "no bytes for 5 s"),
        (b"CONNECT /api/users/u HTTP/1.1\r\nContent-Length: 2\r\n\r\n", 5.5, "no bytes for 5 s"),
    ],
    ids=["headers", "body", "CONNECT body"],
)
def test_a_stalled_request_is_dropped_with_a_json_408_at_its_deadline(sent, after, why, caplog):
    connection, transport = connect()
    connection.data_received(sent)
    began = connection._last_read
    connection.expire(began + after - 1)
    assert transport.written == b"" and not transport.closed, "dropped before its deadline"
    with caplog.at_level(logging.WARNING, logger="openpanel_mock"):
        connection.expire(began + after)
    [(line, _, body)] = responses(transport.written)
    assert line.startswith("HTTP/1.1 408 ") and why in json.loads(body)["error"] and transport.closed
    assert [record.levelname for record in caplog.records] == ["WARNING"], "one line, no traceback"


def test_a_trickling_request_is_cut_at_the_request_deadline_and_an_idle_one_closes_quietly():
    connection, transport = connect()
    connection.data_received(b"POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n")
    began = connection._started
    for second in range(1, 10):
        connection._last_read = began + second  # a byte every second: never idle for long
        connection.expire(began + second)
    assert not transport.closed
    connection.expire(began + 10.5)
    assert b" 408 " in transport.written and transport.closed

    idle, quiet = connect()
    idle.expire(idle._idle_since + 4)
    assert not quiet.closed
    idle.expire(idle._idle_since + 5.5)
    assert quiet.closed and quiet.written == b"", "nothing was asked: nothing to answer"


def test_an_app_that_raises_answers_a_json_500_and_the_server_goes_on():
    def broken(environ, start_response):
        raise RuntimeError("boom")

    connection = Connection(broken, SITE, Limits(), None, set())
    transport = FakeTransport()
    connection.connection_made(transport)  # type: ignore[arg-type]
    connection.data_received(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n")
    answers = responses(transport.written)
    assert [line for line, _, _ in answers] == ["HTTP/1.1 500 Internal Server Error"] * 2
    assert json.loads(answers[0][2]) == {"error": "Internal Server Error"} and not transport.closed
