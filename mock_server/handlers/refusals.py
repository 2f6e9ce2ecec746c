"""How each refusal of the panel reads over HTTP: one table for every handler."""

from __future__ import annotations

from mock_server.errors import ApiError
from mock_server.server_state import NotificationNotFound, ServiceNotFound
from mock_server.state import (
    AlreadyInState,
    DomainExists,
    DomainNotFound,
    PlanExists,
    PlanInUse,
    PlanNotFound,
    StateError,
    UserExists,
    UsernameNotAllowed,
    UserNotFound,
)

#: refusal → (status, body kind): "app" is ``{"error"}``, "command" is ``{"success": false, "error"}``.
REFUSALS: dict[type[StateError], tuple[int, str]] = {
    UserNotFound: (404, "app"),
    # Named in a body (create, plan change): a conflict, not a missing target. By id it is a 404 (plans.py).
    PlanNotFound: (409, "command"),
    DomainNotFound: (404, "app"),
    ServiceNotFound: (404, "app"),
    NotificationNotFound: (404, "app"),
    UserExists: (409, "command"),
    UsernameNotAllowed: (409, "command"),
    AlreadyInState: (409, "command"),
    PlanExists: (409, "command"),
    PlanInUse: (409, "command"),
    DomainExists: (409, "app"),
}


def refusal(error: StateError) -> ApiError:
    status, kind = REFUSALS[type(error)]
    return ApiError.command(status, str(error)) if kind == "command" else ApiError.app(status, str(error))
