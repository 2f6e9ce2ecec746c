"""The contract as the mock sees it: operations to route and an openapi-core validator, built once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_core import OpenAPI

from mock_server.compiled_schemas import compiled_config

#: libyaml's parser when PyYAML has it: the contract parses ~9x faster (start-up time).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Vendor extension on a path item for the CONNECT operation that OpenAPI 3.1 cannot express.
CONNECT_EXTENSION = "x-connect"
_PATH_PARAM = re.compile(r"{([^}/]+)}")


@dataclass(frozen=True)
class Operation:
    """One routable operation of the spec."""

    operation_id: str
    method: str
    path: str
    safety: str
    secured: bool
    summary: str
    #: For an operation OpenAPI cannot express (CONNECT): the documented operation whose request
    #: and response rules it shares, as ``(method, path)``.
    validate_as: tuple[str, str] | None = None

    @property
    def flask_rule(self) -> str:
        """The spec path in Werkzeug's syntax; parameters stay strings so the spec types them."""
        return _PATH_PARAM.sub(r"<\1>", self.path)


class Contract:
    """Loaded ``openapi.yaml``: the raw document, its operations and its openapi-core validator."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.openapi = OpenAPI.from_dict(document, config=compiled_config())
        self.operations = list(self._iter_operations())
        self.by_id = {operation.operation_id: operation for operation in self.operations}

    @classmethod
    def from_path(cls, path: Path) -> Contract:
        with open(path, encoding="utf-8") as stream:
            return cls(yaml.load(stream, Loader=_SAFE_LOADER))

    def _iter_operations(self) -> Iterator[Operation]:
        default_security = self.document.get("security", [])
        documented: dict[str, tuple[str, str]] = {}
        connects: list[tuple[str, dict[str, Any]]] = []
        for path, item in self.document["paths"].items():
            for method in HTTP_METHODS:
                if method in item:
                    operation = item[method]
                    documented[operation["operationId"]] = (method, path)
                    yield self._operation(operation, method, path, default_security)
            if CONNECT_EXTENSION in item:
                connects.append((path, item[CONNECT_EXTENSION]))
        for path, operation in connects:
            method, same_path = documented[operation["x-same-as"]]
            yield self._operation(operation, "connect", path, default_security, (method, same_path))

    @staticmethod
    def _operation(
        operation: dict[str, Any],
        method: str,
        path: str,
        default_security: list[dict[str, Any]],
        validate_as: tuple[str, str] | None = None,
    ) -> Operation:
        security = operation.get("security", default_security)
        # Secured means a token is *required*: an empty requirement ({}) makes the token optional.
        secured = bool(security) and all(requirement for requirement in security)
        return Operation(
            operation_id=operation["operationId"],
            method=method,
            path=path,
            safety=operation["x-safety"],
            secured=secured,
            summary=operation.get("summary", ""),
            validate_as=validate_as,
        )
