"""The 1.x twin answers as the 2024 Flask server did (facts sheet: DEV24, §1.4 FJE, §1.7, §2.x "A" rows).

Token refusals are compared with the real flask-jwt-extended (a dev dependency) wherever it is
installed; everything else is asserted against the facts sheet.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import jwt
import pytest
from flask import Flask, jsonify

from mock_server.errors import API_DISABLED
from tests.twins import Twin, twin

HTML = "text/html; charset=utf-8"
CREATE = {
    "username": "octestabc",
    "password": "Pw-1234abcd",
    "email": "o@example.com",
    "plan_name": "ubuntu_nginx_mysql",
}


@pytest.fixture
def v1() -> Iterator[Twin]:
    made = twin("v1")
    yield made
    assert not made.needless_marks, f"marked answers the contract accepts: {made.needless_marks}"


@pytest.fixture
def auth(v1: Twin) -> dict[str, str]:
    return v1.auth()


ROUTES = [
    ("autologin by POST came later (§2.11)", "POST", "/api/users/stefan/autologin", 404),
    ("domains came in 1.3.8 (§0.1)", "GET", "/api/domains", 404),
    ("domain actions came in 1.7.4", "POST", "/api/domains/suspend/stefan.example.com", 404),
    ("notifications came in 1.7.42", "GET", "/api/notifications", 404),
    ("server disks came in 1.3.8", "GET", "/api/usage/server", 404),
    ("per-account disk usage came in 1.3.8", "GET", "/api/usage/disk/stefan", 404),
    ("an extra slash (§1.7)", "GET", "/api/whoami/", 404),
    ("plan create is not in 2024 (§2.15)", "POST", "/api/plans", 405),
    ("plan delete is not in 2024 (§2.17)", "DELETE", "/api/plans/1", 405),
    ("the path form of create came later (§2.6)", "POST", "/api/users/stefan", 405),
    ("a non-numeric plan id is no route", "GET", "/api/plans/abc", 404),
]


@pytest.mark.parametrize(("method", "path", "status"), [c[1:] for c in ROUTES], ids=[c[0] for c in ROUTES])
def test_werkzeug_routing(v1: Twin, auth, method, path, status):
    response = v1.client.open(path, method=method, headers=auth)
    assert (response.status_code, response.content_type) == (status, HTML)
    title = "404 Not Found" if status == 404 else "405 Method Not Allowed"
    assert f"<title>{title}</title>".encode() in response.data
    if status == 405:
        assert "HEAD" in response.headers["Allow"] and "OPTIONS" in response.headers["Allow"]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_slashless_api_redirects_with_308(v1: Twin, method):
    response = v1.client.open("/api", method=method, json={"username": "admin"})
    assert (response.status_code, response.headers["Location"]) == (308, "http://localhost/api/")
    assert b"Redirecting..." in response.data and response.content_type == HTML


def test_slashless_api_for_a_method_api_lacks_is_not_found(v1: Twin):
    # Werkzeug redirects only when the slashed path would serve the method (verified with Flask 3.1).
    assert v1.client.delete("/api").status_code == 404


def test_flask_answers_options_and_connect(v1: Twin, auth):
    options = v1.client.open("/api/users/stefan", method="OPTIONS")
    assert options.status_code == 200 and options.data == b""
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "CONNECT"}
    link = v1.client.open("/api/users/stefan", method="CONNECT", headers=auth)
    assert link.status_code == 200 and "/login_autologin?username=stefan&admin_token=" in link.json["link"]
    assert v1.client.open("/api/users/nobody", method="CONNECT", headers=auth).json == {"error": "User not found"}


def _flask_jwt_extended(secret: str) -> Flask:
    fje = pytest.importorskip("flask_jwt_extended")
    app = Flask("fje")
    app.config["JWT_SECRET_KEY"] = secret
    fje.JWTManager(app)

    @app.get("/api/whoami")
    @fje.jwt_required()
    def whoami():
        return jsonify(logged_in_as=fje.get_jwt_identity())

    return app


def test_token_refusals_are_flask_jwt_extendeds(v1: Twin):
    real = _flask_jwt_extended(v1.mock.config.jwt_secret).test_client()
    token = v1.token()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    secret = v1.mock.config.jwt_secret

    def signed(changes: dict, drop: str = "") -> str:
        values = {key: value for key, value in {**claims, **changes}.items() if key != drop}
        return jwt.encode(values, secret, algorithm="HS256")

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    headers = {
        "none": None,
        "empty": "",
        "basic": "Basic abc",
        "lower-case": f"bearer {token}",
        "bearer alone": "Bearer",
        "two spaces": f"Bearer  {token}",
        "extra part": f"Bearer {token} x",
        "not a JWT": "Bearer abc",
        "a.b.c": "Bearer a.b.c",
        "tampered": f"Bearer {header}.{part({**claims, 'sub': 'root'})}.{signature}",
        "alg none": f"Bearer {part({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "foreign key": "Bearer " + jwt.encode(claims, "x" * 32, algorithm="HS256"),
        "expired": "Bearer " + signed({"exp": int(time.time()) - 5}),
        "refresh": "Bearer " + signed({"type": "refresh"}),
        "no sub": "Bearer " + signed({}, drop="sub"),
        "no exp": "Bearer " + signed({}, drop="exp"),
        "comma list": f"Basic x, Bearer {token}",
        "valid": f"Bearer {token}",
    }
    for name, value in headers.items():
        sent = {} if value is None else {"Authorization": value}
        mine, theirs = v1.client.get("/api/whoami", headers=sent), real.get("/api/whoami", headers=sent)
        assert (mine.status_code, mine.json) == (theirs.status_code, theirs.json), name


def test_request_bodies_go_through_get_json(v1: Twin, auth):
    not_json = v1.client.post("/api/users", data="x", headers={**auth, "Content-Type": "text/plain"})
    assert (not_json.status_code, not_json.content_type) == (415, HTML)
    assert b"Did not attempt to load JSON data" in not_json.data
    broken = v1.client.post("/api/users", data="{", headers={**auth, "Content-Type": "application/json"})
    assert (broken.status_code, broken.content_type) == (400, HTML)
    login = v1.client.post("/api/", data='{"username": "admin"}', headers={"Content-Type": "text/plain"})
    assert login.status_code == 415
    missing = v1.client.post("/api/users", json={"username": "x"}, headers=auth)
    assert missing.status_code == 400 and missing.content_type == "application/json", "the contract's checks follow"


def test_account_commands_fail_as_the_2024_cli_did(v1: Twin, auth):
    client = v1.client
    assert client.post("/api/users", json=CREATE, headers=auth).status_code == 200
    taken = client.post("/api/users", json=CREATE, headers=auth)
    assert (taken.status_code, taken.json["success"]) == (500, False)
    assert client.patch("/api/users/octestabc", json={"action": "unsuspend"}, headers=auth).json == {
        "error": "Error unsuspending user: exit status 1",
        "success": False,
    }
    assert client.patch("/api/users/octestabc", json={"action": "suspend"}, headers=auth).status_code == 200
    assert client.patch("/api/users/octestabc", json={"action": "suspend"}, headers=auth).json == {
        "error": "Error suspending user: exit status 1",
        "success": False,
    }
    refused = client.delete("/api/users/octestabc", headers=auth)
    assert refused.status_code == 500, "a suspended account cannot be deleted (§2.10)"
    assert any(name.endswith("_octestabc") for name in client.get("/__mock__/state").json["users"])
    assert client.put("/api/users/octestabc", json={"plan_name": "nope"}, headers=auth).json == {
        "error": "Error changing plan for user: exit status 1",
        "success": False,
    }
    assert client.patch("/api/users/octestabc", json={"action": "unsuspend"}, headers=auth).status_code == 200
    assert client.delete("/api/users/octestabc", headers=auth).status_code == 200
    again = client.delete("/api/users/octestabc", headers=auth)
    assert (again.status_code, again.json["error"]) == (500, "Error executing command: exit status 1")
    assert client.get("/api/users/octestabc", headers=auth).status_code == 404


def test_2024_data(v1: Twin, auth):
    rows = v1.client.get("/api/users", headers=auth).json["users"]
    assert all(len(row) == 12 for row in rows) and rows[0][1] == "SUSPENDED_20240103122300_jasta"
    single = v1.client.get("/api/users/stefan", headers=auth).json
    assert (
        list(single) == ["users"]
        and single["users"][0][1] == "stefan"
        and single["users"][0][11] == "ubuntu_apache_mysql"
    )
    plans = v1.client.get("/api/plans", headers=auth).json["plans"]
    assert [p["name"] for p in plans] == ["ubuntu_nginx_mysql", "ubuntu_apache_mysql"]
    assert plans[0]["docker_image"] == "openpanel/nginx" and "feature_set" not in plans[0]
    disks = v1.client.get("/api/usage/disk", headers=auth).json
    assert isinstance(disks, list) and disks[0]["mountpoint"] == "/"
    system = v1.client.get("/api/system", headers=auth).json
    assert isinstance(system["running_processes"], int)
    paths = {e["path"] for e in v1.client.get("/api/usage", headers=auth).json["endpoints"]}
    assert "/api/usage/disk" in paths and "/api/domains" not in paths


def test_pretty_json_as_the_2024_examples(v1: Twin):
    assert v1.client.get("/api/").data == b'{\n  "message": "API is working!"\n}\n'


def test_api_switched_off():
    off = twin("v1", api_disabled=True)
    for method, path in [("GET", "/api/"), ("POST", "/api"), ("GET", "/api/whoami"), ("GET", "/api/domains")]:
        response = off.client.open(path, method=method)
        assert (response.status_code, response.json) == (404, {"error": API_DISABLED}), path


def test_faults_compose_with_the_twin():
    broken = twin("v1", faults=("wrong-type",))
    plans = broken.client.get("/api/plans", headers=broken.auth()).json["plans"]
    assert all(isinstance(plan["id"], str) for plan in plans)
