"""The contract itself: valid OpenAPI 3.1, complete per operation, and every example true to its schema."""

from __future__ import annotations

import re
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
    assert operation.safety in {"read", "write", "destructive", "server-control"}
    assert operation.access in {"none", "token", "admin", "owner", "super-admin"}
    assert (operation.access == "none") == (not operation.secured), "x-access agrees with the security requirement"
    responses = definition["responses"]
    assert any(code.startswith("2") or code.startswith("3") for code in responses)
    if operation.secured:
        assert "401" in responses, "a protected operation must document the refusal of bad credentials"
    if operation.access in ("admin", "owner", "super-admin"):
        assert "403" in responses, "who may not call it must be told so"
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


def test_user_row_is_a_typed_tuple_of_12_or_13_columns():
    schemas = DOCUMENT.raw["components"]["schemas"]
    assert [len(schemas[name]["prefixItems"]) for name in ("UserRow2024", "UserRowWithServer")] == [12, 13]
    assert all(schemas[name]["items"] is False for name in ("UserRow2024", "UserRowWithServer"))
    good = DOCUMENT.raw["paths"]["/api/users"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    schema = DOCUMENT.component("UserList")
    assert not DOCUMENT.schema_errors(good, schema)
    row = good["users"][0]
    with_server = [*row[:10], "default", *row[10:]]
    assert not DOCUMENT.schema_errors({"users": [with_server]}, schema), "the Oct 2024 form with `server` fits"
    assert DOCUMENT.schema_errors({"users": [row[:11]]}, schema), "11 columns must be refused"
    assert DOCUMENT.schema_errors({"users": [[*with_server, "x"]]}, schema), "14 columns must be refused"
    broken = [list(row)]
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


#: Every keyword a schema object of this contract may carry: JSON Schema 2020-12 and OpenAPI 3.1's own.
_KEYWORDS = """
    $ref $defs $schema $id $anchor $comment $dynamicRef $dynamicAnchor $vocabulary
    type enum const title description default examples example deprecated readOnly writeOnly
    properties patternProperties additionalProperties propertyNames required minProperties maxProperties
    dependentRequired dependentSchemas unevaluatedProperties
    items prefixItems contains minContains maxContains minItems maxItems uniqueItems unevaluatedItems
    allOf anyOf oneOf not if then else
    minimum maximum exclusiveMinimum exclusiveMaximum multipleOf
    minLength maxLength pattern format contentMediaType contentEncoding contentSchema
    discriminator xml externalDocs
"""
SCHEMA_KEYWORDS = frozenset(_KEYWORDS.split())
#: Keywords whose value is a map of names to schemas (their keys are names, not keywords).
_SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "dependentSchemas"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SCHEMA_VALUES = {
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
}


def _schemas(node: Any, where: str = "#") -> list[tuple[str, dict]]:
    """Every schema object in the document, with where it is."""
    found: list[tuple[str, dict]] = []

    def visit_schema(schema: Any, at: str) -> None:
        if not isinstance(schema, dict):
            return
        found.append((at, schema))
        for key, value in schema.items():
            if key in _SCHEMA_MAPS and isinstance(value, dict):
                for name, sub in value.items():
                    visit_schema(sub, f"{at}/{key}/{name}")
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                for index, sub in enumerate(value):
                    visit_schema(sub, f"{at}/{key}/{index}")
            elif key in _SCHEMA_VALUES:
                visit_schema(value, f"{at}/{key}")

    def walk(value: Any, at: str) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                if key == "schema":
                    visit_schema(sub, f"{at}/schema")
                else:
                    walk(sub, f"{at}/{key}")
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                walk(sub, f"{at}/{index}")

    for name, schema in node.get("components", {}).get("schemas", {}).items():
        visit_schema(schema, f"#/components/schemas/{name}")
    walk({k: v for k, v in node.items() if k != "components"}, where)
    walk({k: v for k, v in node.get("components", {}).items() if k != "schemas"}, "#/components")
    return found


def test_every_schema_object_carries_only_known_keywords():
    """A comma inside a YAML flow mapping silently splits it (``{description: a, b).}`` gives the schema a
    junk keyword ``b).``); no validator flags that, this does."""
    schemas = _schemas(DOCUMENT.raw)
    assert len(schemas) > 200, "the walk found the schemas"
    junk = [
        f"{at}: {key!r}"
        for at, schema in schemas
        for key in schema
        if key not in SCHEMA_KEYWORDS and not key.startswith("x-")
    ]
    assert not junk, junk


def test_the_keyword_check_catches_a_split_flow_mapping():
    import yaml

    broken = yaml.safe_load("components: {schemas: {X: {type: string, description: Raw output (Go, on delete).}}}")
    junk = [key for _, schema in _schemas(broken) for key in schema if key not in SCHEMA_KEYWORDS]
    assert junk == ["on delete)."]


#: The vendor extensions the contract uses; each is described in info.description.
EXTENSIONS = {
    "x-safety",
    "x-access",
    "x-sandbox",
    "x-rate-limited",
    "x-connect",
    "x-same-as",
    "x-since",
    "x-ends-run",
}


def _extensions(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {k for k in node if k.startswith("x-")} | {e for v in node.values() for e in _extensions(v)}
    if isinstance(node, list):
        return {e for v in node for e in _extensions(v)}
    return set()


def test_every_extension_is_declared_and_described():
    used = _extensions(DOCUMENT.raw)
    assert used <= EXTENSIONS, f"undeclared extensions: {used - EXTENSIONS}"
    description = DOCUMENT.raw["info"]["description"]
    assert all(f"`{name}`" in description for name in EXTENSIONS), "each extension is explained in info.description"


@pytest.mark.parametrize("operation", DOCUMENT.operations, ids=[op.label for op in DOCUMENT.operations])
def test_every_operation_connect_included_declares_its_responses(operation):
    assert operation.definition.get("responses"), f"{operation.operation_id} declares no responses"
    if operation.same_as:
        twin = DOCUMENT.operation(operation.same_as)
        mine = {code: DOCUMENT.resolve(r) for code, r in operation.definition["responses"].items()}
        assert mine == dict(twin.responses), "CONNECT is validated as its twin: the answers must be the same"


def _required_along(schema: dict, pointer: list[str]) -> bool:
    """Whether every step of ``pointer`` is a required property of the (resolved) schema on the way."""
    for part in pointer:
        schema = DOCUMENT.resolve(schema)
        if part.isdigit():
            schema = schema.get("items", {})
            continue
        if part not in schema.get("required", []):
            return False
        schema = schema.get("properties", {}).get(part, {})
    return True


def test_links_read_only_what_the_answer_requires():
    checked = 0
    for operation in OPERATIONS:
        for status, response in operation.responses.items():
            for name, link in response.get("links", {}).items():
                link = DOCUMENT.resolve(link)
                for expression in link.get("parameters", {}).values():
                    source, _, pointer = expression.partition("#/")
                    if source == "$response.body":
                        schema = DOCUMENT.resolve(response["content"]["application/json"]["schema"])
                    elif source == "$request.body":
                        schema = DOCUMENT.resolve(operation.request_body["content"]["application/json"]["schema"])
                    else:
                        continue
                    checked += 1
                    assert _required_along(schema, pointer.split("/")), (
                        f"{operation.label} {status} {name}: {expression}"
                    )
    assert checked >= 10


@pytest.mark.parametrize("operation", DOCUMENT.operations, ids=[op.label for op in DOCUMENT.operations])
def test_every_write_names_each_path_input_in_its_sandbox_rules(operation):
    """A write on a path parameter the sandbox does not fill would act on a documented example's name —
    a real account on a real panel."""
    if operation.safety == "read":
        return
    filled = {rule.name for rule in operation.sandbox if rule.location == "path"}
    named = {p["name"] for p in operation.parameters if p["in"] == "path"}
    unconfined = named - filled
    global_writes = {"controlService", "markNotificationRead", "deleteNotification"}  # decision 48: destructive
    assert not unconfined or operation.operation_id in global_writes, f"unconfined path inputs: {unconfined}"


#: Written out, the one whitespace class both dialects read alike: ``\s`` plus what only one of them
#: counts (Python: U+001C to U+001F, U+0085; ECMA-262: U+FEFF).
NEUTRAL_SPACE = r"\s\x1c-\x1f\x85\ufeff"


def _patterns(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for value in node.values() for p in _patterns(value)]
    if isinstance(node, list):
        return [p for value in node for p in _patterns(value)]
    return []


def test_no_pattern_means_one_thing_to_python_and_another_to_ecma_262():
    """JSON Schema patterns are ECMA-262; the mock validates with Python's ``re`` and the fuzzer generates
    by ECMA-262, so ``\\S`` let it send U+001F as a valid password that the mock refused (a run of
    ``--destructive`` failed on it). ``\\s``, ``\\d``, ``\\w``, ``\\b`` and their negations differ between
    the two outside ASCII: every pattern spells its classes out."""
    patterns = _patterns(DOCUMENT.raw)
    assert len(patterns) > 20
    ambiguous = [p for p in patterns if re.search(r"\\[sSdDwWbB]", p.replace(NEUTRAL_SPACE, ""))]
    assert ambiguous == []
