"""Plans on 2.x: api_plans.go ``ServeList`` and ``ServeDetail``, over opencli plan-create/edit/delete."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from mock_server.answer import Answer
from mock_server.pipeline import Exchange
from mock_server.variants import depart
from mock_server.variants.v2 import opencli
from mock_server.variants.v2.context import TEXT_404, Go, error, failure, handles, params
from mock_server.variants.v2.deviations import (
    AUTH_404,
    PLAN_CLI_CHECKS,
    PLAN_DELETE_BY_NAME,
    PLAN_ID_ATOI,
    PLAN_PATCH_RESETS,
)
from mock_server.variants.v2.gojson import into_map, is_json_request

_ATOI = re.compile(r"[+-]?[0-9]+")
_INT64 = 2**63
#: API field → (opencli argument, default), in the order the handlers build the command line.
ARGUMENTS = (
    ("email_limit", "emails", "0"),
    ("max_email_quota", "max_email_quota", "0"),
    ("max_hourly_email", "max_hourly_email", "0"),
    ("ftp_limit", "ftp", "0"),
    ("domains_limit", "domains", "0"),
    ("websites_limit", "websites", "0"),
    ("disk_limit", "disk", "0"),
    ("inodes_limit", "inodes", "0"),
    ("db_limit", "databases", "0"),
    ("cpu", "cpu", "1"),
    ("ram", "ram", "1"),
    ("bandwidth", "bandwidth", "100"),
    ("feature_set", "feature_set", "default"),
)
_COUNTS = ("domains_limit", "websites_limit", "email_limit", "ftp_limit", "inodes_limit", "db_limit", "bandwidth")


def off_contract_plan(plan: dict[str, Any]) -> bool:
    """A plan the contract cannot describe: the CLI's ``^-?[0-9]+$`` let a negative count in."""
    return any(isinstance(plan.get(key), int) and plan[key] < 0 for key in (*_COUNTS, "max_hourly_email"))


def json_string(value: Any, fallback: str) -> str:
    """``jsonStringOr``: missing or null → fallback; numbers as integers or shortest decimals; bools
    as Python's True/False (the CLI was written for them); arrays and objects → ""."""
    if value is None:
        return fallback
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number == int(number) else format(Decimal(repr(number)), "f")
    return ""


def _truthy_string(value: Any, fallback: str) -> str:
    """``jsonTruthyStringOr``: like ``json_string``, but "", 0, false, arrays and objects → fallback."""
    if value in ("", 0, False) or isinstance(value, list | dict):
        return fallback
    return json_string(value, fallback)


@handles("plans")
def serve_list(go: Go, exchange: Exchange) -> Answer:
    if exchange.request.method == "POST":
        return _create(go, exchange)
    plans = [plan.as_json() for plan in go.hosting.plans()]
    answer = Answer({"plans": plans})
    return depart(answer, PLAN_CLI_CHECKS) if any(off_contract_plan(plan) for plan in plans) else answer


def _create(go: Go, exchange: Exchange) -> Answer:
    if not is_json_request(exchange.request):
        return error(400, "Invalid JSON format")
    data, _ = into_map(exchange.body)  # decode errors ignored: every field takes its default
    acting = go.hosting.admin(exchange.admin or "")
    if acting is None:
        return depart(error(404, "User not found"), AUTH_404)
    args = {"name": json_string(data.get("name"), ""), "description": json_string(data.get("description"), "")}
    args |= {argument: json_string(data.get(field), default) for field, argument, default in ARGUMENTS}
    if acting.role == "reseller":
        path = f"/etc/openpanel/openadmin/resellers/{acting.username}.json"  # the mock keeps no reseller files
        run = opencli.Run(f"Error: Configuration file does not exist: {path}\n", "", 1)
    else:
        run = opencli.plan_create(go, args)
    if run.returncode:
        return depart(failure(run.stderr.strip() or run.stdout.strip()), PLAN_CLI_CHECKS)
    # plan-create-without-plan: conforms since the contract made ``plan`` optional.
    return Answer({"message": run.stdout.strip() or "Plan created successfully.", "success": True})


@handles("plan")
def serve_detail(go: Go, exchange: Exchange) -> Answer:
    raw = params(exchange)["plan_id"]
    if not _ATOI.fullmatch(raw) or not -_INT64 <= int(raw) < _INT64:
        return depart(TEXT_404, PLAN_ID_ATOI)
    method = exchange.request.method
    if method == "DELETE":
        run = opencli.plan_delete(go, raw)
        if run.returncode:
            return depart(failure(run.stdout), PLAN_DELETE_BY_NAME)
        return Answer({"message": "Plan deleted successfully.", "output": run.stdout, "success": True})
    if method in ("PUT", "PATCH"):
        return _edit(go, exchange, raw)
    plan = next((plan for plan in go.hosting.plans() if plan.id == int(raw)), None)  # MySQL casts '007' to 7
    if plan is None:
        return error(404, "Plan not found")
    answer = Answer({"plan": plan.as_json()})
    return depart(answer, PLAN_CLI_CHECKS) if off_contract_plan(answer.payload["plan"]) else answer


def _edit(go: Go, exchange: Exchange, raw: str) -> Answer:
    if not is_json_request(exchange.request):
        return error(400, "Invalid JSON format")
    data, _ = into_map(exchange.body)
    args = {key: "None" if data.get(key) is None else json_string(data[key], "") for key in ("name", "description")}
    args |= {argument: json_string(data.get(field), default) for field, argument, default in ARGUMENTS}
    args["disk"] = _truthy_string(data.get("disk_limit"), "0")
    run = opencli.plan_edit(go, raw, args)
    if run.returncode:
        missing = run.stdout.startswith("ERROR: Plan with id")
        return depart(failure(run.stdout), PLAN_PATCH_RESETS if missing else PLAN_CLI_CHECKS)
    # decode-errors-ignored: a malformed body is edited with every default; the answer still fits.
    return Answer({"message": run.stdout, "success": True})
