"""The refuse stage's table: how each refusal of the panel reads over HTTP, for every handler."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.panel.errors import (
    AdminExists,
    AdminNotFound,
    AlreadyInState,
    DomainExists,
    DomainNotFound,
    FeatureSetNotFound,
    NotificationNotFound,
    PlanExists,
    PlanIdNotFound,
    PlanInUse,
    PlanNotFound,
    ServiceNotFound,
    SettingsRefused,
    StateError,
    SuperAdminProtected,
    UserExists,
    UsernameNotAllowed,
    UserNotFound,
)

#: refusal → (status, body kind): "app" is ``{"error"}``, "command" is ``{"success": false, "error"}``.
REFUSALS: dict[type[StateError], tuple[int, str]] = {
    UserNotFound: (404, "app"),
    # Named in a body (create, plan change): a conflict with the server's plans, not a missing target.
    PlanNotFound: (409, "command"),
    PlanIdNotFound: (404, "app"),
    DomainNotFound: (404, "app"),
    ServiceNotFound: (404, "app"),
    NotificationNotFound: (404, "app"),
    UserExists: (409, "command"),
    UsernameNotAllowed: (409, "command"),
    AlreadyInState: (409, "command"),
    PlanExists: (409, "command"),
    PlanInUse: (409, "command"),
    DomainExists: (409, "app"),
    # Group C1: OpenAdmin accounts and settings (2.x answers each of these 400; DECISIONS C1-5).
    AdminNotFound: (404, "command"),
    AdminExists: (409, "command"),
    SuperAdminProtected: (409, "command"),
    FeatureSetNotFound: (404, "app"),
    SettingsRefused: (409, "app"),
}


def refusal(error: StateError) -> Answer:
    status, kind = REFUSALS[type(error)]
    body = ApiError.command(status, str(error)) if kind == "command" else ApiError.app(status, str(error))
    return body.answer()
