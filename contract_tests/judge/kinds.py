"""What kind of departure a finding is: stable names that baselines accept and reports group by.

A kind says what went wrong for a client, whatever check found it. Two kinds can never be accepted
by a baseline — a protected operation serving data to bad credentials, and state that a change
reported but a later read does not show (or the reverse): a gate that lets those pass is no gate.
"""

from __future__ import annotations

import re
from typing import Any

AUTH_BYPASS = "auth-bypass"
AUTH_REFUSAL_STATUS = "auth-refusal-status"
CATCH_ALL = "catch-all"
SERVER_ERROR = "server-error"
SCHEMA_BREAK = "schema-break"
CONTENT_TYPE = "content-type"
STATUS_DRIFT = "status-drift"
ACCEPTED_INVALID_INPUT = "accepted-invalid-input"
REJECTED_VALID_INPUT = "rejected-valid-input"
LOST_STATE = "lost-state"
EFFECT_NOT_SHOWN = "effect-not-shown"
HTTP_SEMANTICS = "http-semantics"

#: kind → what it means, for reports and ``openpanel-contract baseline``.
KINDS = {
    AUTH_BYPASS: "a protected operation answered 2xx with data to missing, forged or expired credentials",
    AUTH_REFUSAL_STATUS: "bad credentials refused, but not as documented (status or body)",
    CATCH_ALL: "a catch-all route answered the health message instead of the operation",
    SERVER_ERROR: "the server answered 5xx",
    SCHEMA_BREAK: "a documented answer's body (or its headers) breaks the contract's schema",
    CONTENT_TYPE: "an answer labelled with a content type the contract does not document",
    STATUS_DRIFT: "a status the contract does not document for this request",
    ACCEPTED_INVALID_INPUT: "a request the contract forbids was accepted",
    REJECTED_VALID_INPUT: "a request the contract allows was refused",
    LOST_STATE: "a change reported as done is not what a later read shows",
    EFFECT_NOT_SHOWN: "an effect the contract documents is not visible where the API should show it",
    HTTP_SEMANTICS: "an undocumented method or Allow header answered otherwise than HTTP says",
}
#: Kinds no baseline may accept.
UNACCEPTABLE = frozenset({AUTH_BYPASS, LOST_STATE})
#: Kinds that only warn unless ``--strict`` (undocumented extras; HTTP niceties outside the contract).
WARNING_KINDS = frozenset({STATUS_DRIFT, HTTP_SEMANTICS})

HEALTH_MESSAGE = "API is working!"

#: schemathesis failure code → kind (codes whose kind depends on the answer are decided below).
_SCHEMATHESIS = {
    "ST101": SERVER_ERROR,
    "ST103": STATUS_DRIFT,
    "ST104": CONTENT_TYPE,
    "ST105": CONTENT_TYPE,
    "ST106": CONTENT_TYPE,
    "ST107": SCHEMA_BREAK,
    "ST108": SCHEMA_BREAK,
    "ST109": SCHEMA_BREAK,
    "ST110": SCHEMA_BREAK,
    "ST111": SCHEMA_BREAK,
    "ST201": ACCEPTED_INVALID_INPUT,
    "ST202": REJECTED_VALID_INPUT,
    "ST204": HTTP_SEMANTICS,
    "ST205": HTTP_SEMANTICS,
    "ST301": LOST_STATE,
    "ST302": LOST_STATE,
    "ST402": AUTH_BYPASS,
}
_AUTH_CODES = frozenset({"ST203", "ST401"})
_GOT = re.compile(r"(?:got|Got) `?(\d{3})")


def is_health_message(body: Any) -> bool:
    return isinstance(body, dict) and body.get("message") == HEALTH_MESSAGE


def refusal_kind(status: int, body: Any) -> str:
    """The kind of an answer to bad credentials that was not the documented 401."""
    if 200 <= status < 300:
        return CATCH_ALL if is_health_message(body) else AUTH_BYPASS
    return AUTH_REFUSAL_STATUS


def schemathesis_kind(code: str, received: int | None, body: Any) -> str:
    """The kind of a schemathesis failure, given the status and (parsed) body it judged."""
    if received is not None and 200 <= received < 300 and is_health_message(body) and code != "ST101":
        return CATCH_ALL  # whatever the check, the route was not the operation's
    if code in _AUTH_CODES:
        return refusal_kind(received, body) if received is not None else AUTH_REFUSAL_STATUS
    if code == "ST202" and received is not None and received >= 500:
        return SERVER_ERROR
    return _SCHEMATHESIS.get(code, SCHEMA_BREAK)


def received_status(failure: Any) -> int | None:
    """The status a schemathesis failure judged, from its fields or, failing that, its message."""
    status = getattr(failure, "status_code", None)
    if isinstance(status, int):
        return status
    match = _GOT.search(str(getattr(failure, "message", "")))
    return int(match.group(1)) if match else None
