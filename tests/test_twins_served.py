"""The twins over real HTTP, where the server in front matters: forked workers, CONNECT, HEAD,
headers a WSGI test client would invent, and the command line."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from contract_tests.run.local_mock import DEMO_PASSWORD, running_mock
from mock_server.errors import API_DISABLED, UNKNOWN_ROUTE
from mock_server.variants import load_all


@pytest.fixture(scope="module")
def v2_url() -> Iterator[str]:
    with running_mock("--flavor", "v2", "--workers", "2") as url:
        yield url


def _raw(url: str, method: str, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_v2_over_http(v2_url: str):
    token = requests.post(f"{v2_url}/api/", json={"username": "admin", "password": DEMO_PASSWORD}, timeout=10).json()
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    head = _raw(v2_url, "HEAD", "/api/users", auth)
    assert head.status == 200 and head.getheader("Content-Type") is None, "ServeUsers writes nothing for HEAD"
    connect = requests.request("CONNECT", f"{v2_url}/api/users/stefan", headers=auth, timeout=10)
    assert (connect.status_code, connect.json()) == (404, {"error": UNKNOWN_ROUTE})
    moved = requests.get(f"{v2_url}/api//whoami?x=1", allow_redirects=False, timeout=10)
    assert (moved.status_code, moved.headers["Location"]) == (301, "/api/whoami?x=1")
    trace = _raw(v2_url, "TRACE", "/api/users")
    assert trace.status == 404 and trace.getheader("Allow") is None
    assert "Access-Control-Allow-Origin" not in requests.get(f"{v2_url}/api/", headers={"Origin": "http://x"}).headers


def test_v2_login_limit_is_shared_by_the_workers():
    # Each request opens a new connection, so the kernel spreads them over both workers; the limiter's
    # buckets live in the shared state. --login-rate 0 refills nothing: the burst of 5 is all there
    # is, whatever the timing.
    with running_mock("--flavor", "v2", "--workers", "2", "--login-rate", "0") as url:
        statuses = [requests.post(f"{url}/api/", data="{", timeout=10).status_code for _ in range(6)]
        spoofed = requests.post(f"{url}/api/", data="{", headers={"X-Forwarded-For": "198.51.100.7"}, timeout=10)
    assert statuses == [400] * 5 + [429]
    assert spoofed.status_code == 400, "the limiter trusts X-Forwarded-For, as clientIP does"


def test_api_switched_off_from_the_command_line():
    with running_mock("--api-disabled") as url:
        for path in ("/api/", "/api", "/api/whoami"):
            response = requests.get(f"{url}{path}", timeout=10)
            assert (response.status_code, response.json()) == (404, {"error": API_DISABLED}), path
    with running_mock("--flavor", "v1", "--api-disabled") as url:
        assert requests.post(f"{url}/api/", json={}, timeout=10).json() == {"error": API_DISABLED}


@pytest.mark.parametrize("flavor", ["v1", "v2"])
def test_list_deviations_prints_each_with_its_source(flavor: str):
    result = subprocess.run(
        [sys.executable, "-m", "mock_server.cli", "--list-deviations", "--flavor", flavor],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    names = [item.name for item in load_all().group(flavor)]
    assert names and all(f"{name}: " in result.stdout for name in names)
    assert result.stdout.count("    source: ") == len(names)
