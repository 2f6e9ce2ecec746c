"""What a request gets back, as data: every stage of the pipeline speaks in ``Answer`` s."""

from __future__ import annotations

import json
from collections.abc import Mapping
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
    content_type: str = "application/json"
    #: The variant (flavor deviation) that made this answer depart from the contract on purpose; such
    #: answers are not checked against the contract. ``None`` for every answer the contract must allow.
    deviation: str | None = None

    @cached_property
    def body(self) -> bytes:
        """The bytes sent: the raw body, or the payload as Flask's ``jsonify`` writes it (keys sorted)."""
        if self.raw is not None:
            return self.raw
        return (json.dumps(self.payload, sort_keys=True, separators=(",", ":")) + "\n").encode()
