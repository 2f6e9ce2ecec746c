"""What a request gets back, as data: every stage of the pipeline speaks in ``Answer`` s."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True)
class Answer:
    """A status and a JSON body (or, rarely, a raw one), before it becomes an HTTP response."""

    payload: Any = None
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    #: A body that is not JSON (a flavor's plain-text page), sent as is with ``content_type``.
    raw: bytes | None = None
    #: ``""`` sends no Content-Type at all (a Go handler that wrote nothing).
    content_type: str = "application/json"
    #: The variant (flavor deviation) that made this answer depart from the contract on purpose; such
    #: answers are not checked against the contract. ``None`` for every answer the contract must allow.
    deviation: str | None = None
    #: How the payload is written (``ENCODINGS``): a server generation's JSON encoder, kept as a name
    #: rather than bytes so that a later stage (a fault) can still change the payload.
    encoding: str = "flask"

    @cached_property
    def body(self) -> bytes:
        """The bytes sent: the raw body, or the payload in this answer's ``encoding``."""
        if self.raw is not None:
            return self.raw
        return ENCODINGS[self.encoding](self.payload).encode()


def _flask(payload: Any) -> str:
    """Flask's ``jsonify`` (3.x, not debug): keys sorted, compact, ASCII-escaped, one newline."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")) + "\n"


def _flask_pretty(payload: Any) -> str:
    """Flask < 2.3 ``jsonify`` pretty-printed, as the 2024 documentation's examples show it."""
    return json.dumps(payload, sort_keys=True, indent=2, separators=(", ", ": ")) + "\n"


def _go(payload: Any, *, sort: bool = True) -> str:
    """Go's ``json.NewEncoder(w).Encode``: raw UTF-8, ``<>&`` and U+2028/9 escaped, integral floats
    without ``.0``, one newline. Maps are written with sorted keys; structs in field order."""
    text = json.dumps(_go_numbers(payload), sort_keys=sort, separators=(",", ":"), ensure_ascii=False)
    # These characters can only occur inside JSON strings, so replacing them in the text is exact.
    for char, escape in _GO_ESCAPES.items():
        text = text.replace(char, escape)
    return text + "\n"


_GO_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _go_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {key: _go_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_go_numbers(item) for item in value]
    return value


ENCODINGS: dict[str, Callable[[Any], str]] = {
    "flask": _flask,
    "flask-pretty": _flask_pretty,
    "go": _go,
    "go-struct": lambda payload: _go(payload, sort=False),
}
