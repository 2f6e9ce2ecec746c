"""Tag ``users``: accounts, their suspension, password, plan and autologin link."""

from __future__ import annotations

import secrets
import string
from typing import Any

from werkzeug.http import http_date

from mock_server.fixtures import User
from mock_server.handlers.refusals import refusal
from mock_server.registry import Call, operation
from mock_server.state import PanelState, StateError, original_name

#: Port of the user panel that autologin links point to.
USER_PANEL_PORT = 2083
_TOKEN_ALPHABET = string.ascii_letters + string.digits


def user_row(user: User, state: PanelState) -> list[Any]:
    """The 12 positional values of a Python-era account row (facts §3.1)."""
    return [
        user.id,
        user.username,
        user.password_hash,
        user.email,
        user.services,
        user.user_domains,
        user.twofa_enabled,
        user.otp_secret,
        None,
        http_date(user.registered_date),
        user.plan_id,
        state.plan_name(user.plan_id),
    ]


def success(message: str):
    return {"success": True, "response": {"message": message}}, 200


@operation("listUsers")
def list_users(call: Call):
    return {"users": [user_row(user, call.state) for user in call.state.users()]}, 200


def user_detail(user: User, state: PanelState) -> dict[str, Any]:
    """The nested single-account form (2.x, read by the WHMCS module; spec: ``UserDetail``)."""
    plan = next((plan.as_json() for plan in state.plans() if plan.id == user.plan_id), {"id": 0, "name": ""})
    owner = original_name(user.username)
    domains = [
        {"domain_id": d.domain_id, "docroot": d.docroot, "domain_url": d.domain_url, "php_version": d.php_version}
        for d, _ in state.domains()
        if d.owner == owner
    ]
    quota = user.quota
    return {
        "user": {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "owner": None,
            "twofa_enabled": user.twofa_enabled,
            "registered_date": user.registered_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "server": "default",
        },
        "plan": plan,
        "domains": domains,
        "sites": [],
        "disk_usage": {
            "disk_used": quota.get("disk_used", 0),
            "disk_soft": quota.get("disk_hard", 0),
            "disk_hard": quota.get("disk_hard", 0),
            "inodes_used": quota.get("inodes_used", 0),
            "inodes_soft": quota.get("inodes_hard", 0),
            "inodes_hard": quota.get("inodes_hard", 0),
            "home_path": "/var/www/html/",
        },
    }


@operation("getUser")
def get_user(call: Call):
    try:
        user = call.state.user(call.params["username"])
    except StateError as error:
        raise refusal(error) from None
    return {"user": user_detail(user, call.state)}, 200


@operation("createUser")
@operation("createUserAtPath")
def create_user(call: Call):
    body = call.body
    try:
        user = call.state.create_user(body["username"], body["password"], body["email"], body["plan_name"])
    except StateError as error:
        raise refusal(error) from None
    return success(f"Successfully added user {user.username} password: {body['password']}")


@operation("modifyUser")
def modify_user(call: Call):
    name, body = call.params["username"], call.body
    try:
        if body.get("password"):
            user = call.state.set_password(name, body["password"])
            return success(f"Successfully changed password for user {original_name(user.username)}")
        if body["action"] == "suspend":
            user = call.state.suspend(name)
            return success(f"User '{original_name(user.username)}' suspended successfully.")
        user = call.state.unsuspend(name)
        return success(f"User '{user.username}' unsuspended successfully.")
    except StateError as error:
        raise refusal(error) from None


@operation("changeUserPlan")
def change_user_plan(call: Call):
    try:
        user, previous = call.state.change_plan(call.params["username"], call.body["plan_name"])
    except StateError as error:
        raise refusal(error) from None
    name = original_name(user.username)
    return success(f"Plan changed successfully for user {name} from {previous} to {call.body['plan_name']}")


@operation("deleteUser")
def delete_user(call: Call):
    try:
        user = call.state.delete_user(call.params["username"])
    except StateError as error:
        raise refusal(error) from None
    return success(f"User {original_name(user.username)} deleted successfully.")


@operation("autologin")
@operation("autologinConnect")
def autologin(call: Call):
    try:
        user = call.state.user(call.params["username"])
    except StateError as error:
        raise refusal(error) from None
    token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))
    link = (
        f"{call.scheme}://{call.host}:{USER_PANEL_PORT}/login_autologin"
        f"?username={original_name(user.username)}&admin_token={token}"
    )
    return {"link": link}, 200
