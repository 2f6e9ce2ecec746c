"""The authorize stage's rules: who may call what, by the operation's ``x-access`` and the caller's role.

Roles as a 2.x panel has them: ``admin`` (the Super Admin), ``user`` (an administrator), ``reseller``.
A reseller is refused where an administrator is needed, and on accounts it does not own; the texts are
the 2.x server's (facts §1.4).
"""

from __future__ import annotations

from contract_model import Operation, original_name
from mock_server.errors import ApiError
from mock_server.panel.fixtures import Admin
from mock_server.panel.hosting import Hosting

ADMINISTRATOR_REQUIRED = "Forbidden: administrator role required"
NOT_YOUR_ACCOUNT = "Forbidden: you do not own this account"
SUPER_ADMIN_ONLY = "Only the Super Admin can perform this action."


def refusal(operation: Operation, principal: Admin | None, params: dict[str, str], hosting: Hosting) -> ApiError | None:
    """The 403 this caller gets for this operation, or ``None`` when it may call it."""
    if principal is None:
        return None  # a valid token of an account since removed: the token is what the contract checks
    if operation.access == "super-admin" and principal.role != "admin":
        return ApiError.app(403, SUPER_ADMIN_ONLY)
    if operation.access == "admin" and principal.is_reseller:
        return ApiError.app(403, ADMINISTRATOR_REQUIRED)
    if operation.access == "owner" and principal.is_reseller and "username" in params:
        owned = {original_name(user.username) for user in hosting.users() if principal.sees(user)}
        if original_name(params["username"]) not in owned:
            return ApiError.app(403, NOT_YOUR_ACCOUNT)
    return None
