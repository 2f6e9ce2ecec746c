"""The spec against the vendor's own endpoint list (``tests/data/vendor_endpoints.json``, kept as data
from ``internal/apidocs/api_endpoints.json``): every documented endpoint is an operation, with the
access its Go route requires."""

from __future__ import annotations

import json
import re
from pathlib import Path

from contract_model import Contract

VENDOR = json.loads((Path(__file__).parent / "data" / "vendor_endpoints.json").read_text(encoding="utf-8"))
#: The Go middleware → ``x-access``. ``RequireAPIOwnerOrAdmin("username")`` on a path without a
#: username lets every token through (the handler filters), hence ``token`` there.
ACCESS = {
    "none": "none",
    "RequireAPIToken": "token",
    "RequireAPIAdmin": "admin",
    "RequireAPISuperAdmin": "super-admin",
}


def _pattern(path: str) -> re.Pattern[str]:
    """A vendor path template as a regex over our paths: a ``{name}`` (or Go's ``{name...}``) matches
    one of our parameters or one concrete segment, so the dispatcher ``/api/domains/{seg2}/{seg3}``
    is covered by our concrete routes under it."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def _matching(endpoint: dict) -> list:
    pattern = _pattern(endpoint["path"])
    return [op for op in Contract.load().operations if op.method == endpoint["method"] and pattern.match(op.path)]


def _expected_access(endpoint: dict) -> str:
    if endpoint["access"] == "RequireAPIOwnerOrAdmin":
        return "owner" if "{username}" in endpoint["path"] else "token"
    return ACCESS[endpoint["access"]]


def test_the_vendor_list_is_the_one_the_issue_names():
    # 139 endpoints; the file has 36 groups (twelve of settings), not the 37 the issue counts.
    assert len(VENDOR["endpoints"]) == 139
    assert len({e["group"] for e in VENDOR["endpoints"]}) == 36


def test_every_vendor_endpoint_is_an_operation():
    missing = [f"{e['group']}: {e['method']} {e['path']}" for e in VENDOR["endpoints"] if not _matching(e)]
    assert missing == []


def test_operations_require_the_access_of_their_go_route():
    wrong = [
        f"{op.operation_id} ({op.label}): x-access {op.access}, the Go route {endpoint['access']}"
        for endpoint in VENDOR["endpoints"]
        for op in _matching(endpoint)
        if op.access != _expected_access(endpoint)
    ]
    assert wrong == []
