"""``openapi.yaml`` parsed once into operations, with local ``$ref`` resolution and schema checks."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterator
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from contract_model.operation import Operation, SandboxRule

DEFAULT_SPEC = Path(__file__).resolve().parent.parent / "spec" / "openapi.yaml"
#: libyaml's parser when PyYAML has it: it keeps start-up fast.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The operation fields of an OpenAPI 3.1 path item, in the specification's order.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Vendor extension on a path item for the CONNECT operation that OpenAPI 3.1 cannot express.
CONNECT_EXTENSION = "x-connect"
#: Base URI under which the document's schemas are registered for ``$ref`` pointers.
URI = "urn:openpanel-contract"
_JSON = "application/json"


def parse(document: bytes) -> dict[str, Any]:
    """The YAML document as Python data, from a per-user cache keyed by its bytes when one is there.

    Parsing the contract is a third of the mock's start-up even with libyaml; unpickling the same data
    takes a tenth of that. A cache that cannot be read or written is skipped, never an error.
    """
    cache = _cache_dir() / f"contract-{hashlib.sha256(document).hexdigest()}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        raw = pickle.loads(cache.read_bytes())
        if isinstance(raw, dict):
            return raw
    raw = yaml.load(document, Loader=_SAFE_LOADER)
    with contextlib.suppress(OSError, pickle.PicklingError):
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as scratch:
            scratch.write(pickle.dumps(raw, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(scratch.name, cache)  # whole or not at all, whoever else writes it at once
    return raw


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "openpanel-contract"


class Contract:
    """The contract's operations by ``operationId``, its raw document, and JSON Schema checks against it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.operations: tuple[Operation, ...] = tuple(self._iter_operations())
        self.by_id = {operation.operation_id: operation for operation in self.operations}

    @staticmethod
    @lru_cache(maxsize=4)
    def load(path: Path | str = DEFAULT_SPEC) -> Contract:
        """The contract at ``path``, parsed once per process."""
        return Contract(parse(Path(path).read_bytes()))

    def operation(self, operation_id: str) -> Operation:
        try:
            return self.by_id[operation_id]
        except KeyError:
            raise KeyError(f"the contract has no operation {operation_id!r}") from None

    @property
    def expressible(self) -> tuple[Operation, ...]:
        """The operations OpenAPI itself can describe (every one but CONNECT)."""
        return tuple(operation for operation in self.operations if operation.expressible)

    @property
    def methods(self) -> tuple[str, ...]:
        """HTTP methods the expressible operations use, in the specification's order."""
        used = {operation.method for operation in self.expressible}
        return tuple(method.upper() for method in HTTP_METHODS if method.upper() in used)

    # -- references ----------------------------------------------------------------------------

    def resolve(self, node: Any) -> Any:
        """Follow local ``$ref`` s until a node that is not a reference."""
        while isinstance(node, dict) and "$ref" in node:
            node = self.pointer(node["$ref"])
        return node

    def pointer(self, ref: str) -> Any:
        """The node at a local JSON pointer (``#/components/...``)."""
        node: Any = self.raw
        for part in ref.removeprefix("#").lstrip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    # -- schemas -------------------------------------------------------------------------------

    def response_schema(self, operation_id: str, status: int) -> dict[str, Any] | None:
        """The JSON schema documented for ``status`` of an operation, as a ``$ref`` into the spec."""
        pointer = self.operation(operation_id).response_schema_pointers.get(str(status))
        return {"$ref": f"{URI}#{pointer}"} if pointer else None

    def request_schema(self, operation_id: str) -> dict[str, Any] | None:
        """The JSON schema of an operation's request body, as a ``$ref`` into the spec."""
        pointer = self.operation(operation_id).request_schema_pointer
        return {"$ref": f"{URI}#{pointer}"} if pointer else None

    def component(self, name: str) -> dict[str, Any]:
        return {"$ref": f"{URI}#/components/schemas/{name}"}

    def schema_errors(self, instance: Any, schema: dict[str, Any]) -> list[str]:
        """Every way ``instance`` breaks ``schema`` (empty when it conforms)."""
        validator = Draft202012Validator(schema, registry=self._registry)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}" for e in validator.iter_errors(instance)
        ]

    @cached_property
    def _registry(self) -> Registry:
        resource = Resource.from_contents(self.raw, default_specification=DRAFT202012)
        return Registry().with_resource(URI, resource)

    # -- examples ------------------------------------------------------------------------------

    def response_examples(self, operation: Operation) -> dict[int, dict[str, Any]]:
        """Status → example name → documented JSON example (``default`` for a lone ``example``)."""
        found: dict[int, dict[str, Any]] = {}
        for status, response in operation.responses.items():
            if not status.isdigit():
                continue
            media = response.get("content", {}).get(_JSON, {})
            named = {name: self.resolve(item).get("value") for name, item in media.get("examples", {}).items()}
            if "example" in media:
                named = {"default": media["example"], **named}
            if named:
                found[int(status)] = named
        return found

    # -- parsing -------------------------------------------------------------------------------

    def _iter_operations(self) -> Iterator[Operation]:
        connects: list[tuple[str, dict[str, Any]]] = []
        expressed: dict[str, Operation] = {}
        for path, item in self.raw["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    operation = self._operation(path, method, item, item[method], f"/paths/{_escape(path)}/{method}")
                    expressed[operation.operation_id] = operation
                    yield operation
            if CONNECT_EXTENSION in item:
                connects.append((path, item[CONNECT_EXTENSION]))
        for path, definition in connects:
            rules = expressed[definition["x-same-as"]]
            yield self._operation(path, "connect", {}, definition, None, rules)

    def _operation(
        self,
        path: str,
        method: str,
        item: dict[str, Any],
        definition: dict[str, Any],
        pointer: str | None,
        rules: Operation | None = None,
    ) -> Operation:
        security = definition.get("security", self.raw.get("security", []))
        common = {
            "operation_id": definition["operationId"],
            "method": method.upper(),
            "path": path,
            "safety": definition["x-safety"],
            "access": definition["x-access"],
            # Secured means a token is *required*: an empty requirement ({}) makes the token optional.
            "secured": bool(security) and all(requirement for requirement in security),
            "summary": definition.get("summary", ""),
            "tags": tuple(definition.get("tags", ())),
            "deprecated": bool(definition.get("deprecated", False)),
            "rate_limited": bool(definition.get("x-rate-limited", False)),
            "since": definition.get("x-since"),
            "ends_run": bool(definition.get("x-ends-run", False)),
            "sandbox": _sandbox_rules(definition.get("x-sandbox") or {}),
            "definition": definition,
        }
        if rules is not None:  # CONNECT: everything about requests and answers is the other operation's
            return Operation(
                **common,
                parameters=rules.parameters,
                request_body=rules.request_body,
                responses=rules.responses,
                same_as=rules.operation_id,
                request_schema_pointer=rules.request_schema_pointer,
                response_schema_pointers=rules.response_schema_pointers,
            )
        assert pointer is not None
        body = definition.get("requestBody")
        responses = definition.get("responses", {})
        return Operation(
            **common,
            parameters=tuple(self.resolve(p) for p in [*item.get("parameters", []), *definition.get("parameters", [])]),
            request_body=self.resolve(body) if body else None,
            responses={str(status): self.resolve(response) for status, response in responses.items()},
            request_schema_pointer=f"{pointer}/requestBody/content/application~1json/schema" if body else None,
            response_schema_pointers={
                str(
                    status
                ): f"{self._response_pointer(pointer, str(status), response)}/content/application~1json/schema"
                for status, response in responses.items()
                if _JSON in self.resolve(response).get("content", {})
            },
        )

    @staticmethod
    def _response_pointer(operation_pointer: str, status: str, response: dict[str, Any]) -> str:
        if "$ref" in response:
            return response["$ref"].removeprefix("#")
        return f"{operation_pointer}/responses/{status}"


def _sandbox_rules(rules: dict[str, str]) -> tuple[SandboxRule, ...]:
    parsed = []
    for target, kind in rules.items():
        location, _, name = target.partition(".")
        parsed.append(SandboxRule(location, name, kind))
    return tuple(parsed)


def _escape(path: str) -> str:
    return path.replace("~", "~0").replace("/", "~1")
