"""The route stage: which documented operation a request is, by method and path, from the contract.

Documented paths are exact: ``GET /api`` is a method the path lacks (405), not a redirect to
``/api/``; ``/api/whoami/`` is no route at all (404). ``Allow`` (on a 405, or the answer to a plain
``OPTIONS``, as Flask gives it) lists the methods the spec documents for the path plus ``HEAD`` and
``OPTIONS`` — never CONNECT, which OpenAPI cannot document.
"""

from __future__ import annotations

import re

from flask import Request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from contract_model import Contract, Operation
from mock_server.answer import Answer
from mock_server.errors import http_error

_PATH_PARAM = re.compile(r"{([^}/]+)}")
#: What Flask labels an empty answer with.
_EMPTY = "text/html; charset=utf-8"


def flask_rule(path: str) -> str:
    """A spec path in Werkzeug's syntax; parameters stay strings so the spec types them."""
    return _PATH_PARAM.sub(r"<\1>", path)


class Router:
    """Matches requests against the contract's operations."""

    def __init__(self, contract: Contract) -> None:
        self._contract = contract
        self._map = Map(
            [
                Rule(flask_rule(op.path), endpoint=op.operation_id, methods=[op.method, "OPTIONS"])
                for op in contract.operations
            ],
            strict_slashes=True,
        )

    def match(self, request: Request) -> tuple[Operation, dict[str, str]] | Answer:
        """The operation and path parameters of ``request``; ``ApiError`` (404/405) when there is none.

        A plain ``OPTIONS`` on a documented path is answered at once, with ``Allow``.
        """
        adapter = self._map.bind_to_environ(request.environ)
        if request.method == "OPTIONS":
            allowed = self._documented(adapter.allowed_methods(request.path))
            if allowed:
                return Answer(status=200, headers={"Allow": ", ".join(allowed)}, raw=b"", content_type=_EMPTY)
        try:
            endpoint, params = adapter.match(method=request.method)
        except RequestRedirect:
            # Only a slash-less form of a slash-ended path redirects (``/api`` → ``/api/``): answer as if
            # no redirect existed, i.e. 405 when the exact path has other methods.
            allowed = self._documented(adapter.allowed_methods(request.path))
            raise (http_error(MethodNotAllowed(valid_methods=allowed)) if allowed else http_error(NotFound())) from None
        except MethodNotAllowed as error:
            raise http_error(MethodNotAllowed(valid_methods=self._documented(error.valid_methods or []))) from None
        except HTTPException as error:
            raise http_error(error) from None
        return self._contract.by_id[str(endpoint)], params

    def operations_at(self, path: str) -> list[Operation]:
        """Every operation whose path pattern matches ``path``, whatever its method."""
        adapter = self._map.bind("mock")
        found = []
        for method in adapter.allowed_methods(path):
            try:
                endpoint, _ = adapter.match(path, method=method)
            except HTTPException:
                continue
            found.append(self._contract.by_id[str(endpoint)])
        return found

    @staticmethod
    def _documented(methods: list[str] | None) -> list[str]:
        return [method for method in methods or [] if method != "CONNECT"]
