"""The two commands as users run them: real processes, real HTTP on loopback."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import requests

from contract_tests.cli import main as contract_main
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME


def test_mock_serves_login_whoami_and_users_over_http(live_mock: str):
    token = requests.post(
        f"{live_mock}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=10
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    assert requests.get(f"{live_mock}/api/whoami", headers=headers, timeout=10).json() == {"logged_in_as": "admin"}
    users = requests.get(f"{live_mock}/api/users", headers=headers, timeout=10)
    assert users.status_code == 200 and len(users.json()["users"]) >= 5
    assert users.headers["Content-Type"] == "application/json"
    connect = requests.request("CONNECT", f"{live_mock}/api/users/stefan", headers=headers, timeout=10)
    assert connect.status_code == 200 and "link" in connect.json()
    assert requests.get(f"{live_mock}/__mock__/health", timeout=10).json() == {"status": "ok"}


def _run_mock(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_server.cli", *args], capture_output=True, text=True, timeout=60)


def test_mock_refuses_bad_fixtures_with_one_line(tmp_path: Path):
    result = _run_mock("--port", "0", "--fixtures", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "bad fixtures" in result.stderr and "Traceback" not in result.stderr


def test_mock_refuses_a_missing_spec_and_a_bad_port(tmp_path: Path):
    missing = _run_mock("--port", "0", "--spec", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr and "Traceback" not in missing.stderr
    bad_port = _run_mock("--port", "70000")
    assert bad_port.returncode == 2 and "--port" in bad_port.stderr
    bad_threads = _run_mock("--port", "0", "--threads", "-1")
    assert bad_threads.returncode == 2 and "--threads" in bad_threads.stderr and "Traceback" not in bad_threads.stderr


def test_mock_refuses_a_busy_port(live_mock: str):
    port = live_mock.rsplit(":", 1)[1]
    result = _run_mock("--port", port)
    assert result.returncode == 2 and "cannot listen" in result.stderr


def test_mock_stops_cleanly_on_sigterm():
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server.cli", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "serving" in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_contract_cli_usage_errors_exit_2_with_one_line(capsys, monkeypatch):
    for name in ("OPENPANEL_URL", "OPENPANEL_USERNAME", "OPENPANEL_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert contract_main(["--username", "admin"]) == 2
    assert "missing --base-url/OPENPANEL_URL" in capsys.readouterr().err
    assert contract_main(["--base-url", "ftp://panel", "--username", "a", "--password", "b"]) == 2
    assert "must start with http" in capsys.readouterr().err
    assert contract_main(["--base-url", "http://127.0.0.1:9", "--username", "a", "--password", "b"]) == 2
    assert "cannot reach" in capsys.readouterr().err


def test_contract_cli_reports_refused_credentials_without_echoing_them(live_mock: str, capsys):
    assert contract_main(["--base-url", live_mock, "--username", "admin", "--password", "Sup3r-Secret"]) == 2
    captured = capsys.readouterr()
    assert "answered 401" in captured.err and "Sup3r-Secret" not in captured.err + captured.out
