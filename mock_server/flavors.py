"""Flavors: the mock answering as a given real server generation does (``openpanel-mock --flavor``).

``contract`` (the default) is the contract. ``v2`` is the OpenAdmin 2.x server (Go, Aug 2026+) as the
facts sheet records it. **This file is the one place that lists how v2 departs from the contract**:
each deviation below is a small registered function with what it changes, its source, and whether
the result still conforms to the contract (some 2.x answers are named variants of the contract and
conform; the rest are drift the conformance suite reports).

Responses changed by a non-conforming deviation are flagged (``g.contract_deviation``) so the mock's
own response validation lets them through on purpose; everything else stays validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g

from mock_server.errors import UNKNOWN_ROUTE, ApiError
from mock_server.panel import Panel
from mock_server.registry import Call
from mock_server.wsgi_patches import answer, answer_json

FLAVOR_NAMES = ("contract", "v2")


@dataclass(frozen=True)
class Deviation:
    name: str
    description: str
    source: str
    conforms: bool
    apply: Callable[[Flask, Panel], None]


DEVIATIONS: dict[str, Deviation] = {}


def deviation(name: str, description: str, *, source: str, conforms: bool = False):
    def register(function: Callable[[Flask, Panel], None]) -> Callable[[Flask, Panel], None]:
        DEVIATIONS[name] = Deviation(name, description, source, conforms, function)
        return function

    return register


def apply_flavor(app: Flask, flavor: str) -> None:
    if flavor not in FLAVOR_NAMES:
        raise ValueError(f"unknown flavor {flavor!r}; known: {', '.join(FLAVOR_NAMES)}")
    if flavor == "v2":
        panel: Panel = app.extensions["openpanel"]
        for item in DEVIATIONS.values():
            item.apply(app, panel)


def _depart(name: str) -> None:
    """Mark this response as a deliberate departure from the contract."""
    g.contract_deviation = name


def _wrap(
    panel: Panel,
    operation_ids: list[str],
    name: str,
    conforms: bool,
    change: Callable[[Call, Callable[[Call], tuple[Any, int]]], tuple[Any, int]],
) -> None:
    for operation_id in operation_ids:
        inner = panel.handlers[operation_id]

        def handler(call: Call, inner=inner) -> tuple[Any, int]:
            if not conforms:
                _depart(name)
            return change(call, inner)

        panel.handlers[operation_id] = handler


def _instead_of_404(name: str, answer: Callable[[Call, ApiError], tuple[Any, int]]):
    """A change that keeps every answer but the contract's 404, which ``answer`` replaces (it may raise)."""

    def change(call: Call, inner: Callable[[Call], tuple[Any, int]]) -> tuple[Any, int]:
        try:
            return inner(call)
        except ApiError as error:
            if error.status != 404:
                raise
            _depart(name)
            return answer(call, error)

    return change


# -- accounts -------------------------------------------------------------------------------------

USER_MUTATIONS = ["createUser", "createUserAtPath", "modifyUser", "changeUserPlan", "deleteUser"]


@deviation(
    "created-201",
    "account create, suspend, unsuspend, password, plan change and delete answer 201, not 200",
    source="facts §2.6-2.10 (GO)",
)
def _created_201(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        body, status = inner(call)
        return body, 201 if status == 200 else status

    _wrap(panel, USER_MUTATIONS, "created-201", False, change)


@deviation(
    "command-failures-500",
    "a taken name, an unknown plan or a repeated (un)suspend is a failed command: 500 "
    "{success: false, error}; a forbidden name is 400 {error: Username is not allowed}",
    source="facts §2.6-2.10 (GO)",
)
def _command_failures_500(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        try:
            return inner(call)
        except ApiError as error:
            refused = error.status in (404, 409) and error.body.get("success") is False
            if "not allowed" in str(error.body.get("error", "")):
                _depart("command-failures-500")
                raise ApiError.app(400, "Username is not allowed") from None
            if refused:
                _depart("command-failures-500")
                raise ApiError.command(500, str(error.body["error"])) from None
            raise

    _wrap(panel, USER_MUTATIONS, "command-failures-500", True, change)


@deviation(
    "empty-user-list",
    "GET /api/users always answers {users: []}: the schema fits, but existing accounts are not listed",
    source="facts §2.4 (GO)",
)
def _empty_user_list(app: Flask, panel: Panel) -> None:
    _wrap(panel, ["listUsers"], "empty-user-list", False, lambda call, inner: ({"users": []}, 200))


@deviation(
    "connect-not-routed",
    "CONNECT /api/users/{username} is not routed: 404 {error: This api route does not exist…}",
    source="facts §2.11, §1.7 (GO)",
)
def _connect_not_routed(app: Flask, panel: Panel) -> None:
    answer_json(app, lambda method, path: method == "CONNECT", "404 NOT FOUND", {"error": UNKNOWN_ROUTE})


@deviation(
    "autologin-unchecked",
    "POST …/autologin does not check that the account exists: 200 with a link",
    source="facts §2.11 (GO)",
)
def _autologin_unchecked(app: Flask, panel: Panel) -> None:
    def link(call: Call, error: ApiError) -> tuple[Any, int]:
        name = call.params["username"]
        return {"link": f"{call.scheme}://{call.host}:2083/login_autologin?username={name}&admin_token=x"}, 200

    _wrap(panel, ["autologin"], "autologin-unchecked", True, _instead_of_404("autologin-unchecked", link))


# -- authentication --------------------------------------------------------------------------------

#: Operations behind the Go server's token-only middleware; every other protected route is an
#: admin or owner route (facts §1.4).
TOKEN_ONLY = {
    "whoami",
    "listPlans",
    "getPlan",
    "createPlan",
    "replacePlan",
    "patchPlan",
    "deletePlan",
    "getSystemInfo",
    "getCpuUsage",
    "getMemoryUsage",
    "getServerDiskUsage",
}


@deviation(
    "go-auth-errors",
    "every credential failure reads {error: Missing or invalid token} (401) on token-only "
    "routes and {error: User not found} with **404** on admin and account routes",
    source="facts §1.4 (GO)",
)
def _go_auth_errors(app: Flask, panel: Panel) -> None:
    def authenticate(operation, header):
        try:
            return panel.tokens.subject(header)
        except ApiError:
            if operation.operation_id in TOKEN_ONLY:
                raise ApiError.app(401, "Missing or invalid token") from None
            _depart("go-auth-errors")
            raise ApiError.app(404, "User not found") from None

    panel.authenticate = authenticate


@deviation(
    "slashless-login-csrf",
    "POST /api (no slash) answers 400 {error: CSRF error, message: …}, even to valid credentials",
    source="facts §1.7 (GO)",
)
def _slashless_login_csrf(app: Flask, panel: Panel) -> None:
    answer_json(
        app,
        lambda method, path: method == "POST" and path == "/api",
        "400 BAD REQUEST",
        {"error": "CSRF error", "message": "CSRF token missing or incorrect."},
    )


# -- plans -----------------------------------------------------------------------------------------


@deviation(
    "plan-id-not-numeric", "a non-numeric plan id answers Go's plain-text 404 page not found", source="facts §2.14 (GO)"
)
def _plan_id_not_numeric(app: Flask, panel: Panel) -> None:
    def matches(method: str, path: str) -> bool:
        parts = path.split("/")
        return len(parts) == 4 and path.startswith("/api/plans/") and not parts[3].isdigit()

    answer(app, matches, "404 NOT FOUND", b"404 page not found\n", "text/plain; charset=utf-8")


@deviation(
    "plan-create-without-plan",
    "plan create answers {success, message} without the new plan",
    source="facts §2.15 (GO)",
    conforms=True,
)
def _plan_create_without_plan(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        body, status = inner(call)
        return {key: value for key, value in body.items() if key != "plan"}, status

    _wrap(panel, ["createPlan"], "plan-create-without-plan", True, change)


@deviation(
    "plan-patch-resets",
    'PATCH /api/plans/{id} passes every field: those not sent are reset to defaults and a missing name becomes "None"',
    source="facts §2.16 (GO)",
)
def _plan_patch_resets(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        body = {"name": "None", **call.body}
        call.state.update_plan(int(call.params["plan_id"]), body, partial=False)
        return {"success": True, "message": "Plan updated successfully."}, 200

    _wrap(panel, ["patchPlan"], "plan-patch-resets", False, change)


# -- usage, system, docker -------------------------------------------------------------------------


@deviation(
    "disk-usage-keys",
    "GET /api/usage/disk names its fields diskusage, disklimit, inodesusage, inodeslimit, "
    "bwusage, bwlimit (the WHMCS module reads disk_usage, disk_limit)",
    source="facts §2.25 (GO, WHMCS-26)",
)
def _disk_usage_keys(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        body, status = inner(call)
        return {
            user: {key.replace("_", ""): value for key, value in usage.items()} for user, usage in body.items()
        }, status

    _wrap(panel, ["getUserDiskUsage"], "disk-usage-keys", False, change)


@deviation(
    "counts-as-text",
    "GET /api/system sends running_processes and package_updates as strings (a named variant)",
    source="facts §2.27 (GO)",
    conforms=True,
)
def _counts_as_text(app: Flask, panel: Panel) -> None:
    def change(call, inner):
        body, status = inner(call)
        return {
            **body,
            "running_processes": str(body["running_processes"]),
            "package_updates": str(body["package_updates"]),
        }, status

    _wrap(panel, ["getSystemInfo"], "counts-as-text", True, change)


@deviation(
    "removed-endpoints",
    "GET /api/usage, /api/usage/stats and /api/docker/context are not routed: the "
    "catch-all answers 200 {message: API is working!} without asking for a token",
    source="facts §2.21, §2.22, §2.33, §1.7 (GO)",
)
def _removed_endpoints(app: Flask, panel: Panel) -> None:
    removed = {"/api/usage", "/api/usage/stats", "/api/docker/context"}
    answer_json(app, lambda method, path: method == "GET" and path in removed, "200 OK", {"message": "API is working!"})


# -- domains, services, notifications --------------------------------------------------------------


@deviation(
    "domain-commands-always-200",
    "domain actions on an unknown domain, or adding one for an unknown "
    "account, answer 200 with returncode 1 instead of 404",
    source="facts §2.19, §2.20 (GO)",
)
def _domain_commands_always_200(app: Flask, panel: Panel) -> None:
    change = _instead_of_404(
        "domain-commands-always-200",
        lambda call, error: ({"stdout": "", "stderr": str(error.body.get("error")), "returncode": 1}, 200),
    )

    _wrap(
        panel,
        ["addDomain", "suspendDomain", "unsuspendDomain", "deleteDomain"],
        "domain-commands-always-200",
        True,
        change,
    )


@deviation(
    "service-errors-400",
    "an unknown service answers 400 {error: Invalid service: …} instead of 404",
    source="facts §2.31 (GO)",
)
def _service_errors_400(app: Flask, panel: Panel) -> None:
    def refuse(call: Call, error: ApiError) -> tuple[Any, int]:
        raise ApiError.app(400, str(error.body.get("error")))

    _wrap(panel, ["controlService"], "service-errors-400", True, _instead_of_404("service-errors-400", refuse))


@deviation(
    "notifications-raw-lines",
    "notifications are raw log lines (a named variant); an unknown line number "
    "answers 400 {error: Invalid line number} instead of 404",
    source="facts §2.34 (GO)",
)
def _notifications_raw_lines(app: Flask, panel: Panel) -> None:
    def listing(call, inner):
        lines = [
            f"{line.date} {line.status} {line.title} MESSAGE: {line.message}"
            for _, line in call.panel.notifications.newest_first()
        ]
        return {"success": True, "notifications": sorted(lines, reverse=True)}, 200

    def refuse(call: Call, error: ApiError) -> tuple[Any, int]:
        raise ApiError.app(400, "Invalid line number")

    line_action = _instead_of_404("notifications-raw-lines", refuse)

    _wrap(panel, ["listNotifications"], "notifications-raw-lines", True, listing)
    _wrap(panel, ["markNotificationRead", "deleteNotification"], "notifications-raw-lines", True, line_action)
