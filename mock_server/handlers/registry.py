"""Where handlers announce which ``operationId`` they serve, the way schemathesis registers checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contract_model import Contract
from mock_server.answer import Answer
from mock_server.panel import Panel
from mock_server.panel.fixtures import Admin
from mock_server.panel.hosting import Hosting


@dataclass(frozen=True)
class Call:
    """What a handler gets: the validated input and the panel it acts on."""

    params: dict[str, str]
    query: dict[str, str]
    body: Any
    #: The administrator the token names, or ``None`` on operations that need no token.
    admin: str | None
    #: That account, with its role (``None`` where no token is needed).
    principal: Admin | None
    panel: Panel
    #: The contract the panel serves (the deprecated endpoint list is built from it).
    contract: Contract
    #: Host name the client used, for links back to the panel.
    host: str
    scheme: str

    @property
    def hosting(self) -> Hosting:
        return self.panel.hosting


#: A handler answers; it raises a ``StateError`` (or ``ApiError``) to refuse.
Handler = Callable[[Call], Answer]

HANDLERS: dict[str, Handler] = {}
#: Operations whose answer changes without any write (an uptime, a status that runs out with the time,
#: a fresh random secret): never answered from the answer cache.
VOLATILE: set[str] = set()


def operation(operation_id: str, *, volatile: bool = False) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``operation_id``; ``volatile`` if its answer
    changes without a write (``tests/test_answer_cache.py`` finds a read that does and says not)."""

    def register(handler: Handler) -> Handler:
        if operation_id in HANDLERS:
            raise RuntimeError(f"two handlers for operation {operation_id!r}")
        HANDLERS[operation_id] = handler
        if volatile:
            VOLATILE.add(operation_id)
        return handler

    return register
