"""The mock over the Flask test client: routing from the spec, validation both ways, state over HTTP."""

from __future__ import annotations

import pytest

from contract_model import Contract
from mock_server import create_app
from mock_server.answer import Answer
from mock_server.errors import ContractViolation

DOCUMENT = Contract.load()
NEW_USER = {"email": "new@example.com", "username": "newbie", "password": "S3cret-pw", "plan_name": "Standard plan"}


def documented(response, operation_id: str) -> None:
    """Assert the response is one the contract allows (the mock checks too; this checks the check)."""
    schema = DOCUMENT.response_schema(operation_id, response.status_code)
    assert schema is not None, f"{operation_id} does not document {response.status_code}"
    assert not DOCUMENT.schema_errors(response.json, schema)


def test_health_needs_no_token_but_accepts_one(client, auth):
    for headers in ({}, auth):
        response = client.get("/api/", headers=headers)
        assert response.json == {"message": "API is working!"}


@pytest.mark.parametrize("path", ["/api/", "/api"])
def test_login_on_both_paths(client, path):
    response = client.post(path, json={"username": "admin", "password": "openpanel-mock"})
    assert response.status_code == 200 and response.json["access_token"].count(".") == 2
    wrong = client.post(path, json={"username": "admin", "password": "nope"})
    assert (wrong.status_code, wrong.json) == (401, {"error": "Invalid credentials"})
    unknown = client.post(path, json={"username": "ghost", "password": "openpanel-mock"})
    assert unknown.json == wrong.json, "unknown user and wrong password must be indistinguishable"


def test_whoami_names_the_logged_in_admin(client):
    token = client.post("/api/", json={"username": "opsupport", "password": "openpanel-mock"}).json["access_token"]
    assert client.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).json == {"logged_in_as": "opsupport"}


def test_expired_token_is_refused(client, auth, clock):
    clock.now += 901
    response = client.get("/api/whoami", headers=auth)
    assert (response.status_code, response.json) == (401, {"msg": "Token has expired"})


def test_list_rows_are_twelve_typed_columns(client, auth):
    response = client.get("/api/users", headers=auth)
    documented(response, "listUsers")
    jasta = response.json["users"][0]
    assert jasta == [
        12,
        "SUSPENDED_20240103122300_jasta",
        "pbkdf2:sha256:260000$G26Nw1zBQ6yywbiG$6a0d321490842b58068ad44e6e21b96e89f42cb6daecebe3afc06ad447ef3785",
        "jasta",
        "1,2,3,4,5,6,7,8,9,10,11,12",
        "",
        0,
        None,
        None,
        "Tue, 02 Jan 2024 19:44:25 GMT",
        5,
        "cloud_4_nginx",
    ]


@pytest.mark.parametrize("path", ["/api/users", "/api/users/newbie"])
def test_create_then_full_lifecycle(client, auth, path):
    created = client.post(path, headers=auth, json=NEW_USER)
    documented(created, "createUser")
    assert created.json["response"]["message"].startswith("Successfully added user newbie")
    assert client.get("/api/users/newbie", headers=auth).json["user"]["plan"]["name"] == "Standard plan"

    assert client.patch("/api/users/newbie", headers=auth, json={"action": "suspend"}).status_code == 200
    assert client.get("/api/users/newbie", headers=auth).json["user"]["user"]["username"].startswith("SUSPENDED_")
    assert client.patch("/api/users/newbie", headers=auth, json={"action": "unsuspend"}).status_code == 200
    assert client.put("/api/users/newbie", headers=auth, json={"plan_name": "Developer Plus"}).status_code == 200
    plan = client.get("/api/users/newbie", headers=auth).json["user"]["plan"]
    assert (plan["id"], plan["name"]) == (2, "Developer Plus")

    # Clients send a JSON content type with an empty body on DELETE.
    deleted = client.delete("/api/users/newbie", headers={**auth, "Content-Type": "application/json"})
    documented(deleted, "deleteUser")
    assert client.get("/api/users/newbie", headers=auth).status_code == 404


def test_password_wins_when_both_keys_are_sent(client, auth, app):
    before = app.extensions["openpanel"].panel.hosting.user("maria").password_hash
    response = client.patch("/api/users/maria", headers=auth, json={"action": "suspend", "password": "N3w-pass"})
    assert response.json["response"]["message"] == "Successfully changed password for user maria"
    user = app.extensions["openpanel"].panel.hosting.user("maria")
    assert user.username == "maria" and user.password_hash != before


@pytest.mark.parametrize(
    ("body", "status", "field", "rule"),
    [
        ({k: v for k, v in NEW_USER.items() if k != "plan_name"}, 400, "plan_name", "required"),
        ({**NEW_USER, "username": "has space"}, 400, "username", "pattern"),
        ({**NEW_USER, "webserver": "iis"}, 400, "webserver", "enum"),
        ({**NEW_USER, "password": 7}, 400, "password", "type"),
    ],
)
def test_invalid_bodies_name_the_field_and_rule(client, auth, body, status, field, rule):
    response = client.post("/api/users", headers=auth, json=body)
    assert (response.status_code, response.json["field"], response.json["rule"]) == (status, field, rule)
    documented(response, "createUser")


def test_refusals_by_state(client, auth):
    assert client.post("/api/users", headers=auth, json={**NEW_USER, "username": "stefan"}).status_code == 409
    assert client.post("/api/users", headers=auth, json={**NEW_USER, "username": "Root"}).status_code == 409
    missing_plan = client.post("/api/users", headers=auth, json={**NEW_USER, "plan_name": "Gold"})
    assert (missing_plan.status_code, missing_plan.json["success"]) == (409, False)
    assert client.get("/api/users/newbie", headers=auth).status_code == 404
    assert client.put("/api/users/nobody", headers=auth, json={"plan_name": "Standard plan"}).status_code == 404
    assert client.put("/api/users/maria", headers=auth, json={"plan_name": "Gold"}).status_code == 409


def test_malformed_and_non_json_bodies(client, auth):
    malformed = client.post("/api/users", headers=auth, data="{oops", content_type="application/json")
    assert (malformed.status_code, malformed.json["rule"]) == (400, "json")
    form = client.post("/api/users", headers=auth, data="a=b", content_type="application/x-www-form-urlencoded")
    assert (form.status_code, form.json["rule"]) == (415, "content-type")
    empty_get = client.get("/api/users", headers={**auth, "Content-Type": "application/json"})
    assert empty_get.status_code == 200


def test_oversized_body_is_413_json(auth):
    client = create_app(max_body_bytes=1024).test_client()
    token = client.post("/api/", json={"username": "admin", "password": "openpanel-mock"}).json["access_token"]
    response = client.post(
        "/api/users", headers={"Authorization": f"Bearer {token}"}, json={**NEW_USER, "email": "x" * 4096}
    )
    assert response.status_code == 413 and "error" in response.json


def test_connect_autologin_matches_post_autologin(client, auth):
    via_connect = client.open("/api/users/stefan", method="CONNECT", headers=auth)
    via_post = client.post("/api/users/stefan/autologin", headers=auth)
    for response in (via_connect, via_post):
        assert response.status_code == 200
        assert response.json["link"].startswith("http://localhost:2083/login_autologin?username=stefan&admin_token=")
    assert client.open("/api/users/nobody", method="CONNECT", headers=auth).status_code == 404
    assert client.open("/api/users/stefan", method="CONNECT").status_code == 401


def test_unknown_routes_and_methods_answer_json(client, auth):
    unknown = client.get("/api/nonsense", headers=auth)
    assert unknown.status_code == 404 and "does not exist" in unknown.json["error"]
    wrong_method = client.put("/api/users", headers=auth)
    assert wrong_method.status_code == 405 and set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "POST"}
    slashless_get = client.get("/api")
    assert slashless_get.status_code == 405 and "POST" in slashless_get.headers["Allow"]
    assert client.get("/api/whoami/", headers=auth).status_code == 404
    options = client.options("/api/users/stefan")
    assert "CONNECT" not in options.headers["Allow"], "Allow lists only what OpenAPI can document"


def test_ips_lists_dedicated_addresses(client, auth):
    response = client.get("/api/ips", headers=auth)
    assert response.json == {"devshop": "198.51.100.42", "stefan": "203.0.113.17"}


def test_plan_lookup(client, auth):
    assert client.get("/api/plans/2", headers=auth).json["plan"]["name"] == "Developer Plus"
    assert client.get("/api/plans/999", headers=auth).json == {"error": "Plan not found"}
    bad = client.get("/api/plans/abc", headers=auth)
    assert (bad.status_code, bad.json["field"]) == (400, "path.plan_id")


def test_reset_restores_fixtures(client, auth):
    client.post("/api/users", headers=auth, json=NEW_USER)
    client.delete("/api/users/stefan", headers=auth)
    assert client.post("/__mock__/reset").json == {"message": "state reset to fixtures"}
    names = [row[1] for row in client.get("/api/users", headers=auth).json["users"]]
    assert "stefan" in names and "newbie" not in names


def test_response_breaking_the_contract_fails_loudly_in_tests(app, client, auth):
    app.extensions["openpanel"].pipeline.replace("handle", lambda exchange: Answer({"logged_in_as": 42}), ["whoami"])
    with pytest.raises(ContractViolation, match="logged_in_as"):
        client.get("/api/whoami", headers=auth)


def test_response_breaking_the_contract_is_a_clear_500_in_normal_runs():
    app = create_app()
    app.extensions["openpanel"].pipeline.replace("handle", lambda exchange: Answer({"message": "hi"}), ["getApiStatus"])
    response = app.test_client().get("/api/")
    assert response.status_code == 500 and "broke its own contract" in response.json["error"]


def test_services_file_round_trips_verbatim_including_extra_keys(client, auth):
    entries = [
        {"name": "X", "type": "system", "real_name": "x", "on_dashboard": True, "extra": {"k": [1, None]}},
        {"name": "\udb96odd", "type": "docker", "real_name": "y"},
    ]
    assert client.put("/api/services", headers=auth, json=entries).status_code == 200
    assert client.get("/api/services", headers=auth).json == entries
    assert [s["real_name"] for s in client.get("/api/services/status", headers=auth).json] == ["x"]


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b"{not json", b'{"advance": -5}', b'{"advance": true}', b"[]"],
    ids=["nested too deeply", "not JSON", "negative", "boolean", "not an object"],
)
def test_the_clock_control_refuses_bad_bodies_with_a_json_400(client, body):
    response = client.post("/__mock__/clock", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "error" in response.json


def test_unknown_fields_in_a_plan_body_are_ignored(client, auth):
    """Fuzzing sent ``{"name": …, "id": [...]}``: the extra ``id`` became a plan column, overrode the
    plan's id in the answer and made the mock break its own contract (500)."""
    created = client.post("/api/plans", headers=auth, json={"name": "Odd", "id": ["x", 1], "colour": "red"})
    assert created.status_code == 200, created.json
    plan = created.json["plan"]
    assert isinstance(plan["id"], int) and "colour" not in plan
    replaced = client.put(f"/api/plans/{plan['id']}", headers=auth, json={"name": "Odd", "id": "7", "x": 1})
    patched = client.patch(f"/api/plans/{plan['id']}", headers=auth, json={"id": 9, "ram": 3})
    assert (replaced.status_code, patched.status_code) == (200, 200)
    assert client.get(f"/api/plans/{plan['id']}", headers=auth).json["plan"] == {**plan, "ram": "3g"}
