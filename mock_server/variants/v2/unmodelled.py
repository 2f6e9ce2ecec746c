"""Documented 2.x operations this twin has no Go handler for yet (most of issue 13's endpoint groups).

The twin was built route by route for the operations the contract had then. An operation added
since, which the twin's mux would send to its catch-all, to nothing, or to a dispatcher branch the
twin does not emulate, is routed as the Go server routes it — its path, behind the middleware its
``x-access`` names (checked against the Go route table by ``tests/test_vendor_endpoints.py``) — and
then answered by the contract's own stages: parsed, validated and handled as ``--flavor contract``
does. So a 2.x run sees the Go server's authentication on every route, and the contract's behaviour
where no Go handler is modelled; spec/DECISIONS.md ("The 2.x flavor") says so.
"""

from __future__ import annotations

from functools import cache

from contract_model import Contract, Operation
from mock_server.pipeline import Exchange
from mock_server.variants.v2 import mux

#: The handler name of such a route: the contract's stages answer it.
CONTRACT = "contract"
#: ``x-access`` → the Go middleware.
GUARDS = {"none": mux.NONE, "token": mux.TOKEN, "admin": mux.ADMIN, "owner": mux.OWNER, "super-admin": mux.SUPER}
#: What the twin's ``/api/domains/{seg2}/{seg3}`` dispatcher emulates (``domains.dispatch``).
DISPATCHED_ACTIONS = frozenset({"suspend", "unsuspend", "delete"})


def _modelled(operation: Operation) -> bool:
    sample = "/".join("x" if part.startswith("{") else part for part in operation.path.split("/"))
    found = mux.find(operation.method, sample)
    if not isinstance(found, mux.Found) or found.route.subtree:
        return False
    if found.route.handler == "domain_dispatch":
        return operation.method == "POST" and operation.path.split("/")[3] in DISPATCHED_ACTIONS
    return True


@cache
def unmodelled(contract: Contract) -> frozenset[str]:
    """The ``operationId`` s of 2.x operations no route of the twin's mux models."""
    return frozenset(
        op.operation_id
        for op in contract.operations
        if op.since == "2.x" and op.method != "CONNECT" and not _modelled(op)
    )


def route(contract: Contract, exchange: Exchange) -> mux.Found | None:
    """The Go route of an unmodelled operation (``exchange.operation`` already looked up), or ``None``."""
    operation = exchange.operation
    if operation is None or operation.operation_id not in unmodelled(contract):
        return None
    return mux.Found(mux.GoRoute(operation.method, operation.path, GUARDS[operation.access], CONTRACT), exchange.params)


def by_contract(exchange: Exchange) -> bool:
    """Whether the contract's stages answer this request."""
    return exchange.route is not None and exchange.route.route.handler == CONTRACT
