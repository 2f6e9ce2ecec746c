"""The 2.x twin answers as the Go server does (research/v2-twin/NOTES.md; facts sheet "GO" rows).

Each case names the NOTES section it checks. In-process with the mock's own response validation
raising on any unmarked answer the contract refuses, and failing on any marked one it would accept.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from mock_server.errors import API_DISABLED, UNKNOWN_ROUTE
from mock_server.variants.v2 import tokens
from tests.conftest import Clock
from tests.twins import Twin, twin

HEALTH = b'{"message":"API is working!"}\n'
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
CREATE = {"username": "octestabc", "password": "Pw-1234abcd", "email": "o@example.com", "plan_name": "Standard plan"}


@pytest.fixture
def v2(clock: Clock) -> Iterator[Twin]:
    made = twin("v2", clock=clock)
    yield made
    assert not made.needless_marks, f"marked answers the contract accepts: {made.needless_marks}"


@pytest.fixture
def auth(v2: Twin) -> dict[str, str]:
    return v2.auth()


def _json(**headers: str) -> dict[str, str]:
    return {"Content-Type": "application/json", **headers}


#: (id, method, path, with token, request kwargs, status, content type, body: bytes exactly or a dict subset)
ROUTING = [
    ("health without token (§5.1)", "GET", "/api/", False, {}, 200, JSON, HEALTH),
    ("removed /api/usage is the catch-all (§2.1)", "GET", "/api/usage", False, {}, 200, JSON, HEALTH),
    ("docker/context is the catch-all", "GET", "/api/docker/context", True, {}, 200, JSON, HEALTH),
    ("trailing slash is the catch-all", "GET", "/api/whoami/", False, {}, 200, JSON, HEALTH),
    ("unrouted POST is a login (§4)", "POST", "/api/users/", False, {}, 400, JSON, {"error": "Invalid JSON body"}),
    (
        "unrouted POST, bad password",
        "POST",
        "/api/ips",
        False,
        {"json": {"username": "a", "password": "b"}},
        401,
        JSON,
        {"error": "Invalid credentials"},
    ),
    ("no 405: PUT /api/users (§2.1)", "PUT", "/api/users", True, {}, 404, JSON, {"error": UNKNOWN_ROUTE}),
    ("no 405: DELETE /api/whoami", "DELETE", "/api/whoami", True, {}, 404, JSON, {"error": UNKNOWN_ROUTE}),
    ("TRACE is not routed", "TRACE", "/api/users", False, {}, 404, JSON, {"error": UNKNOWN_ROUTE}),
    ("OPTIONS is not routed", "OPTIONS", "/api/users", False, {}, 404, JSON, {"error": UNKNOWN_ROUTE}),
    (
        "CONNECT autologin is not routed (§5.10)",
        "CONNECT",
        "/api/users/stefan",
        True,
        {},
        404,
        JSON,
        {"error": UNKNOWN_ROUTE},
    ),
    ("GET /api: static route (§2.1)", "GET", "/api", False, {}, 404, TEXT, b"404 page not found\n"),
    (
        "POST /api: CSRF, even to valid credentials",
        "POST",
        "/api",
        False,
        {"json": {"username": "admin", "password": "openpanel-mock"}},
        400,
        JSON,
        {"error": "CSRF error", "message": "CSRF token missing or incorrect."},
    ),
    ("DELETE /api: CSRF", "DELETE", "/api", False, {}, 400, JSON, {"error": "CSRF error"}),
    ("OPTIONS /api: the HTML page", "OPTIONS", "/api", False, {}, 404, "text/html; charset=utf-8", None),
    (
        "unclean path: 301 before auth (§2)",
        "GET",
        "/api//whoami",
        False,
        {},
        301,
        "text/html; charset=utf-8",
        b'<a href="/api/whoami">Moved Permanently</a>.\n\n',
    ),
    (
        "unclean path without a route: JSON 404",
        "DELETE",
        "/api//whoami",
        False,
        {},
        404,
        JSON,
        {"error": UNKNOWN_ROUTE},
    ),
    ("HEAD on the catch-all is a login (§7.3)", "HEAD", "/api/", False, {}, 400, JSON, b""),
    ("HEAD /api/services takes the PUT branch", "HEAD", "/api/services", True, {}, 400, JSON, b""),
]

AUTH = [
    ("token route without token (§3.2)", "GET", "/api/whoami", {}, 401, {"error": "Missing or invalid token"}),
    ("admin route without token: 404", "GET", "/api/ips", {}, 404, {"error": "User not found"}),
    ("owner route without token: 404", "GET", "/api/users", {}, 404, {"error": "User not found"}),
    (
        "plans are token-only",
        "GET",
        "/api/plans",
        {"Authorization": "Bearer x"},
        401,
        {"error": "Missing or invalid token"},
    ),
    ("lower-case bearer (§3.1)", "GET", "/api/whoami", {"Authorization": "bearer {t}"}, 401, {}),
    ("two spaces", "GET", "/api/whoami", {"Authorization": "Bearer  {t}"}, 401, {}),
    ("valid token", "GET", "/api/whoami", {"Authorization": "Bearer {t}"}, 200, {"logged_in_as": "admin"}),
]


@pytest.mark.parametrize(
    ("method", "path", "with_token", "kwargs", "status", "content_type", "body"),
    [case[1:] for case in ROUTING],
    ids=[case[0] for case in ROUTING],
)
def test_routing(v2: Twin, method, path, with_token, kwargs, status, content_type, body):
    headers = v2.auth() if with_token else {}
    response = v2.client.open(path, method=method, headers=headers, **kwargs)
    assert (response.status_code, response.headers.get("Content-Type")) == (status, content_type)
    assert "Allow" not in response.headers, "the Go server never sends Allow"
    if isinstance(body, bytes):
        assert response.data == body
    elif isinstance(body, dict):
        assert json.loads(response.data).items() >= body.items()


def test_slashless_get_sets_the_csrf_cookie(v2: Twin):
    response = v2.client.get("/api")
    assert response.headers["Set-Cookie"].startswith("_gorilla_csrf=") and response.headers["Vary"] == "Cookie"


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "body"), [c[1:] for c in AUTH], ids=[c[0] for c in AUTH]
)
def test_middlewares(v2: Twin, method, path, headers, status, body):
    token = v2.token()
    headers = {name: value.format(t=token) for name, value in headers.items()}
    response = v2.client.open(path, method=method, headers=headers)
    assert response.status_code == status and response.json.items() >= body.items()


def _forge(v2: Twin, claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}"
    return f"{signing_input}.{tokens._b64(tokens._sign(signing_input, v2.mock.config.jwt_secret))}"


def test_golang_jwt_rules(v2: Twin, clock: Clock):
    # A token without exp is accepted for ever, a refresh-type one too; an expired one is not (§3.1).
    for claims in ({"sub": "admin"}, {"sub": "admin", "type": "refresh", "exp": clock.now + 60}):
        response = v2.client.get("/api/whoami", headers={"Authorization": f"Bearer {_forge(v2, claims)}"})
        assert response.status_code == 200, claims
    expired = _forge(v2, {"sub": "admin", "exp": clock.now})
    assert v2.client.get("/api/whoami", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    login = v2.client.post("/api/", data=json.dumps({"USERNAME": "admin", "Password": "openpanel-mock"}) + "garbage")
    payload = json.loads(base64.urlsafe_b64decode(login.json["access_token"].split(".")[1] + "=="))
    assert list(payload) == ["sub", "exp", "nbf", "iat"] and payload["exp"] - payload["iat"] == 900


def test_super_admin_routes_refuse_everyone_else_with_one_403(v2: Twin):
    # RequireAPISuperAdmin: no token, a bad token and any other role (here the reseller) alike.
    refused = {"error": "Only the Super Admin can perform this action."}
    body = {"password": "correct-horse-battery-staple"}
    for headers in ({}, {"Authorization": "Bearer x.y.z"}, v2.auth("reseller")):
        answer = v2.client.post("/api/server/root-password", json=body, headers=headers)
        assert (answer.status_code, answer.json) == (403, refused)
    assert v2.client.post("/api/server/root-password", json=body, headers=v2.auth()).status_code == 200


def test_operations_without_a_go_handler_are_the_contracts_behind_go_middleware(v2: Twin):
    from contract_model import Contract
    from mock_server.variants.v2.unmodelled import unmodelled

    contract = Contract.load()
    assert "listCronJobs" in unmodelled(contract) and "listUsers" not in unmodelled(contract)
    # Go's admin middleware: no token is 404 User not found; a reseller 403; the handler is the contract's.
    assert (v2.client.get("/api/server/crons").status_code, v2.client.get("/api/server/crons").json) == (
        404,
        {"error": "User not found"},
    )
    assert v2.client.get("/api/server/crons", headers=v2.auth("reseller")).status_code == 403
    listed = v2.client.get("/api/server/crons", headers=v2.auth())
    plain = twin("contract")
    assert listed.status_code == 200
    assert listed.json == plain.client.get("/api/server/crons", headers=plain.auth()).json


def test_reseller_gates(v2: Twin):
    reseller = v2.auth("reseller")
    assert v2.client.get("/api/ips", headers=reseller).json == {"error": "Forbidden: administrator role required"}
    owned = v2.client.get("/api/users/stefan", headers=reseller)
    assert (owned.status_code, owned.json) == (403, {"error": "Forbidden: you do not own this account"})
    assert v2.client.get("/api/plans", headers=reseller).status_code == 200
    # CheckIfOwnerForUser: users.owner names the reseller.
    assert v2.client.get("/api/users/maria", headers=reseller).status_code == 200


def test_login_rate_limit_per_address(v2: Twin, clock: Clock):
    # Burst 5, then one attempt per 12 s at the default 5/min; before the body is read (§4).
    statuses = [v2.client.post("/api/", data="{").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    limited = v2.client.post("/api/", json={"username": "admin", "password": "openpanel-mock"})
    assert limited.json == {"error": "Too many login attempts. Please try again later."}
    assert "Retry-After" not in limited.headers
    assert v2.client.post("/api/", data="{", headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"}).status_code == 400
    clock.now += 12
    assert v2.client.post("/api/", data="{").status_code == 400
    assert v2.client.post("/api/", data="{").status_code == 429


def test_api_switched_off(clock: Clock):
    off = twin("v2", clock=clock, api_disabled=True)
    for method, path in [("GET", "/api/"), ("GET", "/api/whoami"), ("POST", "/api/"), ("DELETE", "/api/users/x")]:
        response = off.client.open(path, method=method)
        assert (response.status_code, response.json) == (404, {"error": API_DISABLED}), path
    assert off.client.get("/api").status_code == 404 and off.client.get("/api").data == b"404 page not found\n"


# -- accounts (§5.4-5.10, §6.1-6.6) ------------------------------------------------------------------


def test_account_lifecycle(v2: Twin, auth):
    client = v2.client
    created = client.post("/api/users", json={**CREATE, "username": "OctestAbc"}, headers=auth)
    assert created.status_code == 201
    assert created.json == {
        "response": {"message": "[✔] Successfully added user octestabc with password: Pw-1234abcd"},
        "success": True,
    }
    assert client.get("/api/users", headers=auth).json == {"users": []}
    suspended = client.patch("/api/users/octestabc", json={"action": "suspend"}, headers=auth)
    assert suspended.status_code == 201
    message = "No domains found for user 'octestabc'.\nUser 'octestabc' suspended successfully."
    assert suspended.json["response"]["message"] == message
    again = client.patch("/api/users/octestabc", json={"action": "suspend"}, headers=auth)
    assert (again.status_code, again.json) == (500, {"error": "Error suspending user: exit status 1", "success": False})
    detail = client.get("/api/users/octestabc", headers=auth).json["user"]
    assert detail["user"]["username"].startswith("SUSPENDED_") and detail["user"]["server"] == "octestabc"
    plan = client.put("/api/users/octestabc", json={"plan_name": "Developer Plus"}, headers=auth)
    assert plan.status_code == 500, "user-change_plan cannot find a suspended account by its name"
    assert client.patch("/api/users/octestabc", json={"action": "unsuspend"}, headers=auth).status_code == 201
    plan = client.put("/api/users/octestabc", json={"plan_name": "Developer Plus"}, headers=auth)
    assert plan.status_code == 201 and plan.json["response"]["message"].splitlines() == [
        "[✔] Total CPU limit (4) set successfully for docker context.",
        "[✔] Total RAM limit (6G) set successfully for docker context.",
        "[✔] Disk limit (10 GB) and inodes (1000000) applied successfully.",
        "Plan changed successfully for user octestabc from Standard plan to Developer Plus",
    ]
    assert client.delete("/api/users/octestabc", headers=auth).json == {"error": "Invalid JSON format"}
    deleted = client.delete("/api/users/octestabc", headers=_json(**auth))
    assert (deleted.status_code, deleted.json["response"]["message"]) == (201, "User octestabc deleted successfully.")
    repeated = client.delete("/api/users/octestabc", headers=_json(**auth))
    assert repeated.status_code == 500 and repeated.json["error"] == "Error executing command: exit status 1"
    assert "octestabc" not in v2.client.get("/__mock__/state").json["users"]


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        ("text", 400, {"error": "Invalid JSON format"}),
        ({"username": "x"}, 400, {"error": "Missing required fields"}),
        ({**CREATE, "username": "ROOT"}, 400, {"error": "Username is not allowed"}),
        ({**CREATE, "username": "octest_x"}, 500, {"error": "", "success": False}),
        ({**CREATE, "username": "ab"}, 500, {"error": "", "success": False}),
        ({**CREATE, "plan_name": "nope"}, 500, {"error": "", "success": False}),
        ({**CREATE, "username": "stefan"}, 500, {"error": "", "success": False}),
        ({**CREATE, "username": "jasta"}, 500, {"error": "", "success": False}),
        (
            {**CREATE, "password": "password"},
            500,
            {"error": "ERROR: Password is too weak (strength 33/100, minimum required is 50/100).", "success": False},
        ),
        ({**CREATE, "email": 5}, 400, {"error": "Invalid JSON format"}),
    ],
    ids=[
        "not-json",
        "missing",
        "forbidden",
        "underscore",
        "short",
        "unknown-plan",
        "taken",
        "taken-suspended",
        "weak",
        "wrong-type",
    ],
)
def test_create_refusals(v2: Twin, auth, body, status, answer):
    if body == "text":
        response = v2.client.post("/api/users", data="x", headers={**auth, "Content-Type": "text/plain"})
    else:
        response = v2.client.post("/api/users/ignored", json=body, headers=auth)
    assert (response.status_code, response.json) == (status, answer)


def test_patch_rules(v2: Twin, auth):
    patch = v2.client.patch
    assert patch("/api/users/stefan", json={}, headers=auth).json == {"error": "Something went wrong.."}
    invalid = {"error": "Invalid action, only suspend and unsuspend are allowed."}
    assert patch("/api/users/stefan", json={"action": "Suspend"}, headers=auth).json == invalid
    assert patch("/api/users/stefan", data="{", headers=_json(**auth)).status_code == 400  # decode errors ignored
    nobody = patch("/api/users/nobody", json={"password": "Str0ng-pass"}, headers=auth)
    assert (nobody.status_code, nobody.json["success"]) == (201, True), "user-password checks no account"
    assert v2.client.put("/api/users/stefan", data="{", headers=_json(**auth)).json == {
        "error": "Missing username or plan name."
    }


def test_single_account_lookup(v2: Twin, auth):
    stefan = v2.client.get("/api/users/stefan", headers=auth).json["user"]
    assert stefan["disk_usage"]["home_path"] == "/home/stefan/" and stefan["user"]["twofa_enabled"] == 0
    assert "max_email_quota" not in stefan["plan"] and stefan["user"]["registered_date"] == "2024-01-09T14:18:56Z"
    # LIKE 'SUSPENDED_%_a' finds the suspended jasta; the quota report only matches the exact name.
    found = v2.client.get("/api/users/a", headers=auth).json["user"]
    assert found["user"]["username"] == "SUSPENDED_20240103122300_jasta" and found["disk_usage"] == {}
    assert v2.client.get("/api/users/STEFAN", headers=auth).json["user"]["user"]["id"] == 15
    assert v2.client.get("/api/users/nobody", headers=auth).json == {"error": "User not found"}


def test_autologin(v2: Twin, auth):
    assert v2.client.post("/api/users/stefan/autologin", headers=auth).json == {"error": "Invalid JSON format"}
    link = v2.client.post("/api/users/nobody/autologin", headers=_json(**auth))
    assert link.status_code == 200 and b"username=nobody\\u0026admin_token=" in link.data


# -- plans (§5.11-5.15, §6.7-6.9) --------------------------------------------------------------------


def _plan(v2: Twin, auth, name: str) -> dict:
    return next(p for p in v2.client.get("/api/plans", headers=auth).json["plans"] if p["name"] == name)


def test_plan_create_and_edit(v2: Twin, auth):
    client = v2.client
    example = {"name": "Gold", "description": "Bigger sites", "disk_limit": "20 GB", "websites_limit": "20", "cpu": "4"}
    refused = client.post("/api/plans", json=example, headers=auth)
    assert (refused.status_code, refused.json) == (
        500,
        {"error": "Error: disk_limit must be a number (integer only)", "success": False},
    )
    assert client.post("/api/plans", json={"name": "Gold", "ram": "8g"}, headers=auth).json["error"] == (
        "Error: ram must be a number (integer or float)"
    )
    made = client.post("/api/plans", json={"name": "octest-plan-a", "description": "<b>&é"}, headers=auth)
    assert made.json == {"message": "Plan octest-plan-a created successfully.", "success": True}
    plan = _plan(v2, auth, "octest-plan-a")
    assert (plan["disk_limit"], plan["ram"], plan["cpu"], plan["bandwidth"]) == ("0 GB", "1g", "1", 100)
    assert "\\u003cb\\u003e\\u0026é".encode() in client.get("/api/plans", headers=auth).data
    taken = client.post("/api/plans", json={"name": "OCTEST-PLAN-A"}, headers=auth).json["error"]
    assert taken == "Error: Plan name 'OCTEST-PLAN-A' already exists. Please choose another name."
    patched = client.patch(f"/api/plans/{plan['id']}", json={"disk_limit": "2000"}, headers=auth)
    assert patched.json == {"message": f"Successfully updated plan id {plan['id']}\n", "success": True}
    after = client.get(f"/api/plans/{plan['id']}", headers=auth).json["plan"]
    assert (after["name"], after["description"], after["disk_limit"]) == ("None", "None", "2000 GB")
    malformed = client.put(f"/api/plans/{plan['id']}", data="{", headers=_json(**auth))
    assert malformed.status_code == 200, "decode errors are ignored: every field defaulted"
    assert client.put(f"/api/plans/{plan['id']}", data="{}", headers=auth).json == {"error": "Invalid JSON format"}
    unknown = client.patch("/api/plans/999", json={"name": "x"}, headers=auth)
    assert unknown.json == {"error": "ERROR: Plan with id '999' does not exist.\n", "success": False}


def test_plan_ids(v2: Twin, auth):
    text = v2.client.get("/api/plans/abc", headers=auth)
    assert (text.status_code, text.content_type, text.data) == (404, TEXT, b"404 page not found\n")
    assert v2.client.get("/api/plans/abc").status_code == 401, "authentication first"
    assert v2.client.get("/api/plans/+1", headers=auth).json["plan"]["name"] == "Standard plan"
    assert v2.client.get("/api/plans/99", headers=auth).json == {"error": "Plan not found"}


def test_plan_delete_takes_a_name(v2: Twin, auth):
    client = v2.client
    client.post("/api/plans", json={"name": "octest-plan-b"}, headers=auth)
    plan_id = _plan(v2, auth, "octest-plan-b")["id"]
    for target in (plan_id, 1):  # an unused plan and one in use: both "deleted", both still there
        answer = client.delete(f"/api/plans/{target}", headers=auth)
        output = f"{{\"message\": \"Plan '{target}' and Docker network '{target}' deleted successfully.\"}}\n"
        assert answer.json == {"message": "Plan deleted successfully.", "output": output, "success": True}
    names = [plan["name"] for plan in v2.client.get("/__mock__/state").json["plans"]]
    assert {"octest-plan-b", "Standard plan"} <= set(names)
    # What does remove it: a plan named like its id (a clean-up can rename first).
    client.put(f"/api/plans/{plan_id}", json={"name": str(plan_id)}, headers=auth)
    assert client.delete(f"/api/plans/{plan_id}", headers=auth).status_code == 200
    assert plan_id not in [plan["id"] for plan in v2.client.get("/__mock__/state").json["plans"]]
    client.put("/api/plans/2", json={"name": "2"}, headers=auth)
    in_use = client.delete("/api/plans/2", headers=auth)
    assert (
        in_use.status_code == 500
        and "Cannot delete plan '2' as there are users assigned to it." in in_use.json["error"]
    )


# -- domains (§5.17-5.19, §6.10-6.13) ----------------------------------------------------------------


def test_domains(v2: Twin, auth):
    client = v2.client
    assert client.post("/api/domains/new", data="{", headers=auth).json == {"error": "Invalid JSON body"}
    assert client.post("/api/domains/new", data="{", headers=auth).status_code == 500
    body = json.dumps({"username": "stefan", "domain": "octest1.example.com"})
    added = client.post("/api/domains/new", data=body, headers={**auth, "Content-Type": "text/plain"})
    assert added.json == {"returncode": 0, "stderr": "", "stdout": "Domain octest1.example.com added successfully\n"}
    again = client.post("/api/domains/new", data=body, headers=auth).json
    assert again == {"returncode": 1, "stderr": "ERROR: Domain octest1.example.com already exists.\n", "stdout": ""}
    assert client.post("/api/domains/new", json={"username": "stefan"}, headers=auth).json == {
        "error": "username and domain are required"
    }
    steps = [
        ("SUSPEND", "Domain suspended successfully.\n", 0),
        ("unsuspend", "Domain unsuspended successfully.\n", 0),
        ("suspend", "Domain is already suspended.\n", 0),  # the copy stayed
    ]
    for action, stdout, code in steps:
        answer = client.post(f"/api/domains/{action}/octest1.example.com", headers=auth).json
        assert (answer["stdout"], answer["returncode"]) == (stdout, code), action
    assert "status" not in client.get("/api/domains", headers=auth).json["domains"][0]
    assert client.post("/api/domains/unsuspend/nope.example.com", headers=auth).json["returncode"] == 0
    gone = client.post("/api/domains/delete/nope.example.com", headers=auth).json
    assert gone["returncode"] == 1 and gone["stdout"].startswith("❌ No owner found for 'nope.example.com'")
    assert client.post("/api/domains/frobnicate/x.example.com", headers=auth).json == {
        "error": "Invalid action. Use suspend, unsuspend, or delete"
    }
    assert client.get("/api/domains/suspend/x.example.com", headers=auth).data == b"404 page not found\n"


# -- services, notifications, usage, system ---------------------------------------------------------


def test_services(v2: Twin, auth):
    client = v2.client
    entries = client.get("/api/services", headers=auth).json
    assert entries[0] == {"name": "OpenAdmin UI", "real_name": "admin", "type": "system"}
    assert client.get("/api/services/status", headers=auth).json == []
    assert client.post("/api/service/restart/caddy", headers=auth).json == {"error": "Invalid service: caddy"}
    assert client.post("/api/service/reload/caddy", headers=auth).json == {"error": "Invalid action: reload"}
    assert client.put("/api/services", data="[]", headers=auth).json == {"error": "Request must be JSON"}
    written = client.put("/api/services", json={"service1": {"name": "One", "status": "active"}}, headers=auth)
    assert written.status_code == 200
    assert client.get("/api/services", headers=auth).json == {"service1": {"name": "One", "status": "active"}}
    assert client.get("/api/services/status", headers=auth).status_code == 500


def test_notifications(v2: Twin, auth):
    client = v2.client
    lines = client.get("/api/notifications", headers=auth).json["notifications"]
    assert lines[0].startswith("2026-11-27 22:03:40 UNREAD Failed login attempts MESSAGE: ")
    assert client.post("/api/notifications/abc/read", headers=auth).json == {"error": "Not Found"}
    assert client.post("/api/notifications/0/read", headers=auth).json == {"error": "Invalid line number"}
    assert client.post("/api/notifications/99/read", headers=auth).status_code == 400
    assert client.post("/api/notifications/1/read", headers=auth).json == {"success": True}
    client.delete(
        "/api/notifications/7", json={"command": "delete_all"}, headers={**auth, "Content-Type": "text/plain"}
    )
    assert client.get("/api/notifications", headers=auth).json["notifications"] == []


def test_usage_and_system(v2: Twin, auth):
    system = v2.client.get("/api/system", headers=auth)
    assert list(json.loads(system.data)) == [
        "hostname",
        "os",
        "time",
        "kernel",
        "cpu",
        "openpanel_version",
        "uptime",
        "running_processes",
        "package_updates",
    ]
    assert all(isinstance(value, str) for value in system.json.values())
    disk = v2.client.get("/api/usage/disk", headers=auth).json
    assert disk["stefan"] == {
        "bwlimit": 0,
        "bwusage": 0,
        "disklimit": 10485760,
        "diskusage": 2621440,
        "inodeslimit": 1000000,
        "inodesusage": 40211,
    }
    assert "jasta" in disk, "the quota report lists Linux accounts, suspended ones too"
    assert v2.client.get("/api/ips", headers=auth).json == {"devshop": "198.51.100.42", "stefan": "203.0.113.17"}
    assert v2.client.get("/api/docker/info", headers=auth).json["version"]["Version"] == "5.4.2"


def test_faults_compose_with_the_twin(clock: Clock):
    broken = twin("v2", clock=clock, faults=("wrong-type",))
    plans = broken.client.get("/api/plans", headers=broken.auth()).json["plans"]
    assert all(isinstance(plan["id"], str) for plan in plans)
    skipped = twin("v2", clock=clock, faults=("skip-auth",))
    assert skipped.client.get("/api/ips").status_code == 200


def test_tokens_expire_on_the_mocks_clock(v2: Twin, clock: Clock):
    auth = v2.auth()
    clock.now += 899
    assert v2.client.get("/api/whoami", headers=auth).status_code == 200
    clock.now += 1
    assert v2.client.get("/api/whoami", headers=auth).status_code == 401
