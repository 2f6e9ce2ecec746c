"""One operation of the contract, as plain data."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SandboxRule:
    """One entry of an operation's ``x-sandbox``: which input must name the suite's own resource.

    ``body.username: new-user`` reads as location ``body``, name ``username``, kind ``new-user``.
    Kinds starting with ``new-`` name something the request is about to create.
    """

    location: str
    name: str
    kind: str

    @property
    def fresh(self) -> bool:
        return self.kind.startswith("new-")


@dataclass(frozen=True)
class Operation:
    """An operation: how to call it, how dangerous it is, what it documents."""

    operation_id: str
    #: Upper case, as on the wire (``CONNECT`` for the ``x-connect`` entry).
    method: str
    path: str
    #: ``x-safety``: ``read``, ``write``, ``destructive`` or ``server-control``.
    safety: str
    #: ``x-access``: ``none``, ``token``, ``admin``, ``owner`` or ``super-admin``.
    access: str
    #: A token is required (an empty security requirement makes it optional).
    secured: bool
    summary: str
    tags: tuple[str, ...]
    deprecated: bool
    #: ``x-rate-limited``: shares the panel's login limit.
    rate_limited: bool
    #: Path-level then operation-level parameters, ``$ref`` resolved.
    parameters: tuple[dict[str, Any], ...]
    #: The resolved request body object, or ``None``.
    request_body: dict[str, Any] | None
    #: Status (as in the spec, e.g. ``"200"``) → resolved response object.
    responses: Mapping[str, dict[str, Any]]
    sandbox: tuple[SandboxRule, ...]
    #: The operation object as written in the spec.
    definition: dict[str, Any]
    #: For an operation OpenAPI cannot express (CONNECT): the ``operationId`` whose request and
    #: response rules it shares (``x-same-as``).
    same_as: str | None = None
    #: ``x-since``: the first server generation that serves it (``"2.x"``); ``None``: every generation.
    since: str | None = None
    #: ``x-ends-run``: a valid call takes the panel away for the rest of a run (reboot, migration); the
    #: suite only sends it requests that must be refused.
    ends_run: bool = False
    #: JSON pointers into the document: the request body schema and each documented JSON response schema.
    request_schema_pointer: str | None = None
    response_schema_pointers: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``METHOD /path``, how reports and test ids name the operation."""
        return f"{self.method} {self.path}"

    @property
    def expressible(self) -> bool:
        """Whether OpenAPI itself can describe it (tools such as schemathesis only see these)."""
        return self.same_as is None

    def documents(self, status: int) -> bool:
        return str(status) in self.responses

    def path_with(self, **values: object) -> str:
        """The path with the given parameter values, and documented examples for the others."""
        path = self.path
        for parameter in self.parameters:
            if parameter["in"] == "path":
                value = values.get(parameter["name"], parameter.get("example"))
                path = path.replace("{" + parameter["name"] + "}", str(value))
        return path

    def example_body(self) -> Any:
        """A copy of the documented request example (the first one), or ``None``."""
        if not self.request_body:
            return None
        media = self.request_body["content"]["application/json"]
        example = media["example"] if "example" in media else next(iter(media["examples"].values()))["value"]
        return copy.deepcopy(example)

    def request_examples(self) -> list[Any]:
        """Every documented request example."""
        if not self.request_body:
            return []
        media = self.request_body["content"]["application/json"]
        if "example" in media:
            return [media["example"]]
        return [item["value"] for item in media.get("examples", {}).values()]
