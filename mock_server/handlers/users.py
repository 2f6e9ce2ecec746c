"""Tag ``users``: accounts, their suspension, password, plan and autologin link."""

from __future__ import annotations

import secrets
import string
from typing import Any

from werkzeug.http import http_date

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.fixtures import User
from mock_server.panel.hosting import Hosting

#: Port of the user panel that autologin links point to.
USER_PANEL_PORT = 2083
_TOKEN_ALPHABET = string.ascii_letters + string.digits


def user_row(user: User, hosting: Hosting) -> list[Any]:
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
        hosting.plan_name(user.plan_id),
    ]


def success(message: str) -> Answer:
    return Answer({"success": True, "response": {"message": message}})


def deleted(user: User) -> Answer:
    return success(f"User {original_name(user.username)} deleted successfully.")


def user_detail(user: User, hosting: Hosting) -> dict[str, Any]:
    """The nested single-account form (2.x, read by the WHMCS module; spec: ``UserDetail``)."""
    plan = hosting.plan(user.plan_id).as_json()
    owner = original_name(user.username)
    domains = [
        {"domain_id": d.domain_id, "docroot": d.docroot, "domain_url": d.domain_url, "php_version": d.php_version}
        for d, _ in hosting.domains()
        if d.owner == owner
    ]
    quota = user.quota
    return {
        "user": {
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "owner": user.owner,
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


def autologin_link(call: Call, username: str) -> str:
    token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))
    return f"{call.scheme}://{call.host}:{USER_PANEL_PORT}/login_autologin?username={username}&admin_token={token}"


@operation("listUsers")
def list_users(call: Call) -> Answer:
    """Every account; a reseller sees the accounts it owns."""
    visible = [user for user in call.hosting.users() if call.principal is None or call.principal.sees(user)]
    return Answer({"users": [user_row(user, call.hosting) for user in visible]})


@operation("getUser")
def get_user(call: Call) -> Answer:
    return Answer({"user": user_detail(call.hosting.user(call.params["username"]), call.hosting)})


@operation("createUser")
@operation("createUserAtPath")
def create_user(call: Call) -> Answer:
    body = call.body
    owner = call.principal.username if call.principal and call.principal.is_reseller else None
    user = call.hosting.create_user(body["username"], body["password"], body["email"], body["plan_name"], owner)
    return success(f"Successfully added user {user.username} password: {body['password']}")


@operation("modifyUser")
def modify_user(call: Call) -> Answer:
    name, body = call.params["username"], call.body
    if body.get("password"):
        user = call.hosting.set_password(name, body["password"])
        return success(f"Successfully changed password for user {original_name(user.username)}")
    if body["action"] == "suspend":
        user = call.hosting.suspend(name)
        return success(f"User '{original_name(user.username)}' suspended successfully.")
    user = call.hosting.unsuspend(name)
    return success(f"User '{user.username}' unsuspended successfully.")


@operation("changeUserPlan")
def change_user_plan(call: Call) -> Answer:
    user, previous = call.hosting.change_plan(call.params["username"], call.body["plan_name"])
    name = original_name(user.username)
    return success(f"Plan changed successfully for user {name} from {previous} to {call.body['plan_name']}")


@operation("deleteUser")
def delete_user(call: Call) -> Answer:
    return deleted(call.hosting.delete_user(call.params["username"]))


@operation("autologin")
@operation("autologinConnect")
def autologin(call: Call) -> Answer:
    user = call.hosting.user(call.params["username"])
    return Answer({"link": autologin_link(call, original_name(user.username))})
