"""The contract as plain data, for the suite's own checks: operations, safety classes, schemas."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

#: libyaml's parser when PyYAML has it: the contract parses ~9x faster (start-up time).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
_URI = "urn:openpanel-contract"


@dataclass(frozen=True)
class DocumentedOperation:
    operation_id: str
    method: str
    path: str
    safety: str
    secured: bool
    definition: dict[str, Any]

    def path_with(self, **values: object) -> str:
        """The path with the given parameter values, and documented examples for the others."""
        path = self.path
        for parameter in self.definition.get("_parameters", []):
            if parameter["in"] == "path":
                value = values.get(parameter["name"], parameter.get("example"))
                path = path.replace("{" + parameter["name"] + "}", str(value))
        return path


class ContractDocument:
    """``openapi.yaml`` loaded once, with JSON Schema validation of bodies against its components."""

    @staticmethod
    @lru_cache(maxsize=4)
    def load(path: Path | str) -> ContractDocument:
        """The document at ``path``, parsed once per process (collection, fixtures and reports share it)."""
        return ContractDocument(Path(path))

    def __init__(self, path: Path) -> None:
        with open(path, encoding="utf-8") as stream:
            self.raw: dict[str, Any] = yaml.load(stream, Loader=_SAFE_LOADER)
        resource = Resource.from_contents(self.raw, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_URI, resource)

    @cached_property
    def operations(self) -> list[DocumentedOperation]:
        return list(self._iter_operations())

    def operation(self, operation_id: str) -> DocumentedOperation:
        return next(op for op in self.operations if op.operation_id == operation_id)

    def _iter_operations(self) -> Iterator[DocumentedOperation]:
        default_security = self.raw.get("security", [])
        for path, item in self.raw["paths"].items():
            shared = [self.resolve(p) for p in item.get("parameters", [])]
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                definition = dict(item[method])
                definition["_parameters"] = shared + [self.resolve(p) for p in definition.get("parameters", [])]
                security = definition.get("security", default_security)
                yield DocumentedOperation(
                    operation_id=definition["operationId"],
                    method=method.upper(),
                    path=path,
                    safety=definition["x-safety"],
                    secured=bool(security) and all(security),
                    definition=definition,
                )

    def example_body(self, operation: DocumentedOperation) -> Any:
        """A copy of the operation's documented request example (the first one), or ``None``."""
        body = operation.definition.get("requestBody")
        if not body:
            return None
        media = self.resolve(body)["content"]["application/json"]
        example = media["example"] if "example" in media else next(iter(media["examples"].values()))["value"]
        return copy.deepcopy(example)

    def resolve(self, node: Any) -> Any:
        """Follow a local ``$ref`` (one level deep is all the spec uses outside schemas)."""
        while isinstance(node, dict) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> Any:
        node: Any = self.raw
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def response_schema(self, operation_id: str, status: int) -> dict[str, Any] | None:
        """The JSON schema documented for ``status`` of an operation, as a ``$ref`` into the spec."""
        operation = self.operation(operation_id)
        responses = operation.definition["responses"]
        key = str(status)
        if key not in responses:
            return None
        response = self.resolve(responses[key])
        if "application/json" not in response.get("content", {}):
            return None
        pointer = self._pointer_of(operation, key, responses[key])
        return {"$ref": f"{_URI}#{pointer}/content/application~1json/schema"}

    def request_schema(self, operation_id: str) -> dict[str, Any] | None:
        """The JSON schema of an operation's request body, as a ``$ref`` into the spec."""
        operation = self.operation(operation_id)
        if "requestBody" not in operation.definition:
            return None
        path = operation.path.replace("~", "~0").replace("/", "~1")
        return {"$ref": f"{_URI}#/paths/{path}/{operation.method.lower()}/requestBody/content/application~1json/schema"}

    def _pointer_of(self, operation: DocumentedOperation, key: str, response: dict[str, Any]) -> str:
        if "$ref" in response:
            return response["$ref"].removeprefix("#")
        path = operation.path.replace("~", "~0").replace("/", "~1")
        return f"/paths/{path}/{operation.method.lower()}/responses/{key}"

    def schema_errors(self, instance: Any, schema: dict[str, Any]) -> list[str]:
        """Every way ``instance`` breaks ``schema`` (empty when it conforms)."""
        validator = Draft202012Validator(schema, registry=self._registry)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message}" for e in validator.iter_errors(instance)
        ]

    def component(self, name: str) -> dict[str, Any]:
        return {"$ref": f"{_URI}#/components/schemas/{name}"}
