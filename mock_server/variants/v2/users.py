"""Accounts on 2.x: api_users.go ``ServeUsers`` and ``ServeAutologin``."""

from __future__ import annotations

import secrets
import string
from typing import Any

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.handlers.users import USER_PANEL_PORT
from mock_server.panel.fixtures import User
from mock_server.pipeline import Exchange
from mock_server.variants import depart
from mock_server.variants.v2 import opencli
from mock_server.variants.v2.context import Go, created, error, failure, handles, params
from mock_server.variants.v2.deviations import (
    CLI_FAILURES_500,
    CREATED_201,
    HEAD_QUIRKS,
    PASSWORD_UNCHECKED,
    USER_ADD_RULES,
    USER_LOOKUP,
)
from mock_server.variants.v2.gojson import into_struct, is_json_request
from mock_server.variants.v2.plans import off_contract_plan

INVALID_JSON = "Invalid JSON format"
#: ``sql_type`` and ``webserver`` values handleCreate passes on (others are dropped silently).
SQL_TYPES = {"mysql", "mariadb"}
WEBSERVERS = {"nginx", "apache", "openresty", "varnish+apache", "varnish+nginx", "varnish+openresty"}
#: The plan columns ``fetchUserPlanRow`` selects.
DETAIL_PLAN_KEYS = (
    "bandwidth",
    "cpu",
    "db_limit",
    "description",
    "disk_limit",
    "domains_limit",
    "email_limit",
    "feature_set",
    "ftp_limit",
    "inodes_limit",
    "name",
    "ram",
    "websites_limit",
)


@handles("users")
def serve_users(go: Go, exchange: Exchange) -> Answer:
    method = exchange.request.method
    username = params(exchange).get("username", "")
    if method == "GET":
        return _get(go, exchange, username)
    if method == "POST":
        return _create(go, exchange)
    if method == "PUT":
        return _change_plan(go, exchange, username)
    if method == "PATCH":
        return _patch(go, exchange, username)
    if method == "DELETE":
        return _delete(go, exchange, username)
    # HEAD: ServeUsers has no case for it and writes nothing.
    return depart(Answer(status=200, raw=b"", content_type=""), HEAD_QUIRKS)


def _get(go: Go, exchange: Exchange, username: str) -> Answer:
    if not username:
        return Answer({"users": []})  # empty-user-list: the schema fits, the accounts are missing
    user = _fetch_user(go, username)
    if user is None:
        return error(404, "User not found")
    detail = _detail(go, user, username)
    departs = not detail["disk_usage"] or detail["plan"]["id"] is None or off_contract_plan(detail["plan"])
    answer = Answer({"user": detail})
    return depart(answer, USER_LOOKUP) if departs else answer


def _fetch_user(go: Go, username: str) -> User | None:
    """``fetchUserPlanRow``: ``username = ? OR username LIKE 'SUSPENDED_%_' + ?`` (unescaped), LIMIT 1."""
    return next(
        (
            user
            for user in go.hosting.users()
            if opencli.mysql_equal(user.username, username)
            or opencli.mysql_like(user.username, f"SUSPENDED_%_{username}")
        ),
        None,
    )


def _detail(go: Go, user: User, requested: str) -> dict[str, Any]:
    plan = go.hosting.plan(user.plan_id).as_json() if user.plan_id is not None else {}
    account = original_name(user.username)
    domains = [
        {"docroot": d.docroot, "domain_id": d.domain_id, "domain_url": d.domain_url, "php_version": d.php_version}
        for d, _ in go.hosting.domains()
        if d.owner == account
    ]
    quota = user.quota
    # quota_report.json is keyed by the Linux account and matched on the path exactly.
    disk_usage = (
        {
            "disk_hard": quota.get("disk_hard", 0),
            "disk_soft": quota.get("disk_hard", 0),
            "disk_used": quota.get("disk_used", 0),
            "home_path": f"/home/{account}/",
            "inodes_hard": quota.get("inodes_hard", 0),
            "inodes_soft": quota.get("inodes_hard", 0),
            "inodes_used": quota.get("inodes_used", 0),
        }
        if requested == account
        else {}
    )
    return {
        "disk_usage": disk_usage,
        "domains": domains,
        "plan": {"id": plan.get("id"), **{key: plan.get(key) for key in DETAIL_PLAN_KEYS}},
        "sites": [],
        "user": {
            "email": user.email,
            "id": user.id,
            "owner": user.owner,
            "registered_date": user.registered_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "server": account,
            "twofa_enabled": int(user.twofa_enabled),
            "username": user.username,
        },
    }


def _create(go: Go, exchange: Exchange) -> Answer:
    """``handleCreate``; the path segment of ``POST /api/users/{username}`` is never read."""
    if not is_json_request(exchange.request):
        return error(400, INVALID_JSON)
    body, ok = into_struct(exchange.body, "email", "username", "password", "plan_name", "webserver", "sql_type")
    if not ok:
        return error(400, INVALID_JSON)
    if not all(body.get(key) for key in ("email", "username", "password", "plan_name")):
        return error(400, "Missing required fields")
    if body["username"].lower() in go.hosting.fixtures.forbidden_usernames:
        return error(400, "Username is not allowed")  # forbidden-name-400: the contract's 400 body, not its 409
    run = opencli.user_add(go, body["username"], body["password"], body["email"], body["plan_name"])
    if run.returncode:
        # Most user-add errors go to stderr, which this handler does not capture: the error is often "".
        rules = "too weak" in run.stdout or run.stderr.startswith("[✘] ERROR: Username must")
        return depart(failure(run.stdout.strip()), USER_ADD_RULES if rules else CLI_FAILURES_500)
    return depart(created(run.stdout.strip()), CREATED_201)


def _change_plan(go: Go, exchange: Exchange, username: str) -> Answer:
    if not is_json_request(exchange.request):
        return error(400, INVALID_JSON)
    body, _ = into_struct(exchange.body, "plan_name")  # decode errors ignored
    if not body.get("plan_name"):
        return error(400, "Missing username or plan name.")
    run = opencli.user_change_plan(go, username, body["plan_name"])
    if run.returncode:
        return depart(failure(f"Error changing plan for user: {run.error}"), CLI_FAILURES_500)
    return depart(created(run.stdout.strip()), CREATED_201)


def _patch(go: Go, exchange: Exchange, username: str) -> Answer:
    if not is_json_request(exchange.request):
        return error(400, INVALID_JSON)
    body, _ = into_struct(exchange.body, "password", "action")  # decode errors ignored, fields kept
    if body.get("password"):
        exists = _fetch_user(go, username) is not None
        run = opencli.user_password(go, username, body["password"])
        if run.returncode:
            return depart(failure(f"Error executing command: {run.error}"), USER_ADD_RULES)
        return depart(created(run.stdout.strip()), CREATED_201 if exists else PASSWORD_UNCHECKED)
    action = body.get("action")
    if not action:
        return error(400, "Something went wrong..")
    if action not in ("suspend", "unsuspend"):
        return error(400, "Invalid action, only suspend and unsuspend are allowed.")
    command = opencli.user_suspend if action == "suspend" else opencli.user_unsuspend
    run = command(go, username)
    if run.returncode:
        return depart(failure(f"Error {action}ing user: {run.error}"), CLI_FAILURES_500)
    return depart(created(run.stdout.strip()), CREATED_201)


def _delete(go: Go, exchange: Exchange, username: str) -> Answer:
    if not is_json_request(exchange.request):  # even without a body (facts §1.9)
        return error(400, INVALID_JSON)
    run = opencli.user_delete(go, username)
    if run.returncode:
        return depart(failure(f"Error executing command: {run.error}"), CLI_FAILURES_500)
    return depart(created(run.stdout.strip()), CREATED_201)


@handles("autologin")
def autologin(go: Go, exchange: Exchange) -> Answer:
    """``ServeAutologin``: a one-time token for any name; the link names the panel's own host."""
    if not is_json_request(exchange.request):
        return error(400, INVALID_JSON)
    username = params(exchange)["username"]
    token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(30))
    host = exchange.request.host.rsplit(":", 1)[0] if not exchange.request.host.endswith("]") else exchange.request.host
    # autologin-unchecked: no existence check; for an unknown name the answer still fits the schema.
    return Answer({"link": f"https://{host}:{USER_PANEL_PORT}/login_autologin?username={username}&admin_token={token}"})
