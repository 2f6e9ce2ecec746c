"""What frontend developers lean on: CORS, Prism-style ``Prefer`` answers, injected errors and latency."""

from __future__ import annotations

import time

import pytest

from mock_server import create_app
from mock_server.pipeline.canned import HEADER, parse_prefer


def test_preflight_from_any_origin_is_answered_before_routing(client):
    response = client.options(
        "/api/users/stefan",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "DELETE",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "DELETE" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_plain_options_is_no_preflight(client):
    assert "Access-Control-Allow-Methods" not in client.options("/api/users").headers


def test_answers_to_an_allowed_origin_carry_the_grant(client, auth):
    response = client.get("/api/whoami", headers={**auth, "Origin": "http://localhost:3000"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]


def test_configured_origins_refuse_others():
    client = create_app(cors_origins=("https://billing.example",)).test_client()
    preflight = {"Access-Control-Request-Method": "GET"}
    allowed = client.options("/api/whoami", headers={**preflight, "Origin": "https://billing.example"})
    refused = client.options("/api/whoami", headers={**preflight, "Origin": "https://evil.example"})
    assert allowed.status_code == 204
    assert refused.status_code == 403 and "not allowed" in refused.json["error"]
    assert "Access-Control-Allow-Origin" not in client.get("/api/", headers={"Origin": "https://evil.example"}).headers


def test_cors_can_be_switched_off():
    client = create_app(cors_origins=()).test_client()
    response = client.options("/api/whoami", headers={"Origin": "http://x", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_prefer_code_answers_the_documented_example(client, auth):
    response = client.get("/api/users/stefan", headers={**auth, "Prefer": "code=404"})
    assert response.status_code == 404
    assert response.json == {"error": "User not found"}
    assert response.headers[HEADER].startswith("prefer")


def test_prefer_needs_no_token_to_show_the_401(client):
    response = client.get("/api/whoami", headers={"Prefer": "code=401"})
    assert response.status_code == 401 and response.json == {"msg": "Missing Authorization Header"}


@pytest.mark.parametrize("name", ["nested", "rows"])
def test_prefer_example_picks_a_named_example(client, auth, name):
    response = client.get("/api/users/nobody-at-all", headers={**auth, "Prefer": f'code=200, example="{name}"'})
    assert response.status_code == 200  # the documented example, whatever the state holds
    assert response.headers[HEADER] == f"prefer; example={name}"
    assert ("user" in response.json) == (name == "nested")


@pytest.mark.parametrize("prefer", ["code=418", "code=abc", "example=no-such-example", "code=404, example=nope"])
def test_an_undocumented_preference_is_a_clear_400(client, auth, prefer):
    response = client.get("/api/users/stefan", headers={**auth, "Prefer": prefer})
    assert response.status_code == 400
    assert response.json["field"] == "header.Prefer" and "documented" in response.json["error"]


def test_unrelated_preferences_are_ignored(client, auth):
    response = client.get("/api/whoami", headers={**auth, "Prefer": "return=minimal, respond-async"})
    assert response.status_code == 200 and HEADER not in response.headers


def test_prefer_parsing_follows_rfc_7240():
    assert parse_prefer('code=404, example="not found"; x=1') == [("code", "404"), ("example", "not found"), ("x", "1")]
    assert parse_prefer("") == [] and parse_prefer(",,,") == []


def test_error_rate_answers_only_documented_errors(clock):
    app = create_app(error_rate=1.0, raise_on_contract_violation=True, clock=clock)
    client = app.test_client()
    for path in ("/api/whoami", "/api/users", "/api/plans", "/api/users/stefan"):
        response = client.get(path)
        assert response.status_code >= 400, path
        assert response.headers[HEADER].startswith("error-rate")  # validated on the way out (raise on violation)


def test_latency_delays_every_api_answer():
    client = create_app(latency_ms=(120.0, 150.0)).test_client()
    started = time.perf_counter()
    client.get("/api/")
    assert time.perf_counter() - started >= 0.12
