"""The contract itself: valid OpenAPI 3.1, complete per operation, and every example true to its schema."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

from contract_model import Contract
from mock_server.handlers import HANDLERS

DOCUMENT = Contract.load()
OPERATIONS = DOCUMENT.expressible
IDS = [op.label for op in OPERATIONS]


def test_spec_is_valid_openapi_3_1():
    assert DOCUMENT.raw["openapi"].startswith("3.1")
    validate(DOCUMENT.raw)


@pytest.mark.parametrize("operation", OPERATIONS, ids=IDS)
def test_operation_is_fully_described(operation):
    definition = operation.definition
    assert definition.get("summary") and definition.get("tags")
    assert operation.safety in {"read", "write", "destructive"}
    responses = definition["responses"]
    assert any(code.startswith("2") or code.startswith("3") for code in responses)
    if operation.secured:
        assert "401" in responses, "a protected operation must document the refusal of bad credentials"
    if definition.get("requestBody") or any(p["in"] == "path" for p in operation.parameters):
        assert "400" in responses, "an operation with input must document how bad input is refused"
    for code, response in responses.items():
        response = DOCUMENT.resolve(response)
        assert response.get("description"), f"{code} has no description"
        for media in response.get("content", {}).values():
            assert "schema" in media and ("example" in media or "examples" in media), f"{code} lacks schema/example"


def _examples() -> list[tuple[str, Any, dict[str, Any]]]:
    """Every (label, example, schema-ref) pair in request bodies and responses."""
    found = []
    for operation in OPERATIONS:
        label = f"{operation.method} {operation.path}"
        body = operation.definition.get("requestBody")
        if body:
            media = DOCUMENT.resolve(body)["content"]["application/json"]
            schema = DOCUMENT.request_schema(operation.operation_id)
            values = [media["example"]] if "example" in media else [e["value"] for e in media["examples"].values()]
            found += [(f"{label} request", value, schema) for value in values]
        for code in operation.definition["responses"]:
            schema = DOCUMENT.response_schema(operation.operation_id, int(code))
            media = (
                DOCUMENT.resolve(operation.definition["responses"][code]).get("content", {}).get("application/json", {})
            )
            if schema and "example" in media:
                found.append((f"{label} {code}", media["example"], schema))
            for name, example in (media.get("examples") or {}).items() if schema else []:
                found.append((f"{label} {code} {name}", example["value"], schema))
    return found


@pytest.mark.parametrize(("label", "example", "schema"), _examples(), ids=[e[0] for e in _examples()])
def test_example_matches_its_schema(label, example, schema):
    errors = DOCUMENT.schema_errors(example, schema)
    assert not errors, f"{label}: {errors}"


def test_examples_are_checked_at_all():
    # Guards the parametrization above against silently finding nothing.
    assert len(_examples()) >= 30


def test_schema_catches_a_broken_example():
    schema = DOCUMENT.response_schema("whoami", 200)
    assert DOCUMENT.schema_errors({"logged_in_as": 7}, schema)
    assert DOCUMENT.schema_errors({}, schema)


def test_user_row_is_a_typed_twelve_column_tuple():
    row = DOCUMENT.raw["components"]["schemas"]["UserRow"]
    assert len(row["prefixItems"]) == 12 and row["items"] is False
    good = DOCUMENT.raw["paths"]["/api/users"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    schema = DOCUMENT.component("UserList")
    assert not DOCUMENT.schema_errors(good, schema)
    assert DOCUMENT.schema_errors({"users": [good["users"][0][:11]]}, schema), "11 columns must be refused"
    broken = [list(good["users"][0])]
    broken[0][0] = "12"
    assert DOCUMENT.schema_errors({"users": broken}, schema), "a string id must be refused"


def test_every_operation_has_a_mock_handler_and_safety_class():
    assert {op.operation_id for op in DOCUMENT.operations} <= set(HANDLERS)
    connect = [op for op in DOCUMENT.operations if op.method == "CONNECT"]
    assert [op.operation_id for op in connect] == ["autologinConnect"]
    rules = DOCUMENT.operation(connect[0].same_as)
    assert (rules.method, rules.path) == ("POST", "/api/users/{username}/autologin")


def test_links_point_at_existing_operations():
    ids = {op.operation_id for op in OPERATIONS}
    links = DOCUMENT.raw["components"]["links"]
    assert links and all(link["operationId"] in ids for link in links.values())


def test_security_default_and_public_operations():
    public = {op.operation_id for op in OPERATIONS if not op.secured}
    assert public == {"getApiStatus", "login", "loginWithoutSlash"}
