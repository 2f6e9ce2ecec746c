"""Tags ``settings-administrators`` and ``settings-resellers``: OpenAdmin accounts, kept where the
mock keeps the accounts that log in (``Hosting``), so an account created here logs in at once.

The texts are what the 2.x handlers and ``opencli admin`` print (GO ``api_settings_administrators.go``,
``api_settings_resellers.go``; opencli ``admin.sh``).
"""

from __future__ import annotations

from typing import Any

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.errors import SettingsRefused
from mock_server.panel.features import FeatureSets
from mock_server.panel.fixtures import Admin
from mock_server.panel.second_factors import SecondFactors
from mock_server.panel.settings import Settings

NEVER = "N/A"
USER_NOT_FOUND = "User not found"
SUPER_ADMIN_ONLY = "Only the Super Administrator can do this."
RESELLERS_MAY_NOT_LIST = "Resellers cannot list other resellers. Use GET /api/whoami and manage your own account."


def _row(call: Call, admin: Admin) -> dict[str, Any]:
    # Second factors are group B1's state; the mock keeps no login log: never logged in.
    factors = call.panel.part(SecondFactors)
    return {
        "username": admin.username,
        "is_active": admin.is_active,
        "role": admin.role,
        "last_ip": NEVER,
        "last_login": NEVER,
        "totp_enabled": factors.totp_enabled(admin.username),
        "passkeys_enabled": bool(factors.passkeys(admin.username)),
    }


def _done(message: str) -> Answer:
    return Answer({"success": True, "message": message})


def _acting(call: Call) -> Admin:
    """The caller's account; a valid token of a removed account is a 404, as on 2.x."""
    if call.principal is None:
        raise ApiError.app(404, USER_NOT_FOUND)
    return call.principal


@operation("listAdministrators")
def list_administrators(call: Call) -> Answer:
    return Answer([_row(call, admin) for admin in call.hosting.admins() if not admin.is_reseller])


@operation("listResellers")
def list_resellers(call: Call) -> Answer:
    if _acting(call).is_reseller:
        raise ApiError.app(403, RESELLERS_MAY_NOT_LIST)
    settings = call.panel.part(Settings)
    users = call.hosting.users()
    rows = []
    for admin in call.hosting.admins():
        if admin.is_reseller:
            owned = sum(1 for user in users if user.owner == admin.username)
            limits = settings.reseller_limits(admin.username)
            rows.append({**_row(call, admin), **limits, "current_accounts": owned, "current_disk_blocks": 0})
    return Answer(rows)


@operation("manageAdministrator")
def manage_administrator(call: Call) -> Answer:
    return _act(call, _acting(call), dict(call.body), "admin user", role="user")


@operation("manageReseller")
def manage_reseller(call: Call) -> Answer:
    actor = _acting(call)
    body = dict(call.body)
    if actor.is_reseller:
        # A reseller only ever changes itself: its password, or its branding.
        body["action"] = "update_branding" if body.get("action") == "update_branding" else "reset_password"
        body["username"] = actor.username
    return _act(call, actor, body, "reseller user", role="reseller")


def _act(call: Call, actor: Admin, body: dict[str, Any], noun: str, role: str) -> Answer:
    action, username = body["action"], body["username"]
    hosting, settings = call.hosting, call.panel.part(Settings)
    if action == "create":
        if hosting.admin(username) is not None:
            raise ApiError.command(409, f"Failed creating a new {noun}: {username}")
        hosting.create_admin(username, body.get("password", ""), role)
        return _done(f"Successfully created a new {noun}: {username}")
    target = hosting.admin_or_refuse(username)
    short = noun.removesuffix(" user")
    if action == "reset_password":
        if not _may_reset(actor, target):
            raise ApiError.command(403, f"Failed changing password for {noun}: {username}")
        hosting.set_admin_password(username, body.get("new_password", ""))
        return _done(f"Password changed for {noun}: {username}")
    if action in ("disable_2fa", "disable_passkeys"):
        what = "Two-factor authentication" if action == "disable_2fa" else "Passkeys"
        if actor.role != "admin":
            raise ApiError.command(403, f"Failed disabling {what[0].lower() + what[1:]}. {SUPER_ADMIN_ONLY}")
        factors = call.panel.part(SecondFactors)
        if action == "disable_2fa":
            factors.disable_totp(username)
        for passkey in factors.passkeys(username) if action == "disable_passkeys" else []:
            factors.delete_passkey(username, passkey["id"])
        return _done(f"{what} disabled for {noun if short == 'admin' else short}: {username}")
    if action == "rename_user":
        new_username = body["new_username"]  # the contract requires it for this action
        hosting.rename_admin(username, new_username)
        settings.rename_reseller(username, new_username)
        call.panel.part(FeatureSets).rename_owner(username, new_username)
        return _done(f"User '{username}' renamed to '{new_username}'.")
    if action in ("suspend", "unsuspend"):
        hosting.set_admin_active(username, action == "unsuspend")
        return _done(f"User '{username}' {action}ed successfully.")
    if action == "delete":
        hosting.delete_admin(username)
        settings.forget_reseller(username)
        call.panel.part(FeatureSets).forget_owner(username)
        return _done(f"User '{username}' deleted successfully.")
    if not target.is_reseller:
        # `opencli admin update` keeps limits and branding of resellers only.
        raise SettingsRefused(f"Reseller file for {username} not found!")
    if action == "update":
        settings.update_reseller(username, _limits(body))
        return _done(f"Reseller {username} updated successfully.")
    settings.update_reseller(username, {"logo_url": body.get("logo_url", "")})  # update_branding
    return _done(f"Branding updated for {username}.")


def _may_reset(actor: Admin, target: Admin) -> bool:
    """The Super Admin resets anyone's password, an administrator anyone's but the Super Admin's, a
    reseller only its own (GO ``updatePasswordForUser``)."""
    if actor.role == "admin":
        return True
    if actor.role == "user":
        return target.role != "admin"
    return original_name(actor.username) == target.username


def _limits(body: dict[str, Any]) -> dict[str, Any]:
    """The limits an ``update`` sends (strings, as the form posts them); those left out stay."""
    limits: dict[str, Any] = {}
    if body.get("allowed_plans"):
        limits["allowed_plans"] = [int(plan) for plan in body["allowed_plans"].split(",")]
    for key in ("max_accounts", "max_disk_blocks"):
        if body.get(key):
            limits[key] = int(body[key])
    return limits
