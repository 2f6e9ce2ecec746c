"""The flavor ``v2``: the OpenAdmin 2.x server (Go, Aug 2026+) as the facts sheet records it.

**This file is the one place that lists how v2 departs from the contract**: each deviation is a small
registered variant with what it changes, its source, and whether its answers still conform (some 2.x
answers are named variants of the contract's schemas; the rest are drift the conformance suite
reports). A departing answer the contract's schemas would refuse is marked (``depart``), so the
mock's own response validation lets exactly those through and still checks everything else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mock_server.answer import Answer
from mock_server.errors import UNKNOWN_ROUTE, ApiError
from mock_server.handlers.auth import HEALTH
from mock_server.mock import Mock
from mock_server.panel.errors import (
    AlreadyInState,
    DomainNotFound,
    NotificationNotFound,
    PlanNotFound,
    ServiceNotFound,
    StateError,
    UserExists,
    UsernameNotAllowed,
    UserNotFound,
)
from mock_server.pipeline import Exchange
from mock_server.variants import answer_before_routing, depart, refuse_instead, variant

V2 = "v2"
USER_MUTATIONS = ["createUser", "createUserAtPath", "modifyUser", "changeUserPlan", "deleteUser"]
#: Operations behind the Go server's token-only middleware; every other protected route is an admin
#: or owner route (facts §1.4).
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
PLAN_BY_ID = {"getPlan", "replacePlan", "patchPlan", "deletePlan"}


def _json(payload: Any, status: int, name: str) -> Answer:
    return depart(Answer(payload, status), name)


# -- accounts -------------------------------------------------------------------------------------


@variant(
    "created-201",
    group=V2,
    description="account create, suspend, unsuspend, password, plan change and delete answer 201, not 200",
    source="facts §2.6-2.10 (GO)",
)
def _created_201(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        answer = inner(exchange)
        return depart(replace(answer, status=201), "created-201") if answer.status == 200 else answer

    mock.pipeline.wrap("handle", handle, USER_MUTATIONS)


@variant(
    "command-failures-500",
    group=V2,
    description="a taken name, an unknown plan or a repeated (un)suspend is a failed command: 500 "
    "{success: false, error}; a forbidden name is 400 {error: Username is not allowed}",
    source="facts §2.6-2.10 (GO)",
)
def _command_failures_500(mock: Mock) -> None:
    def refuse(inner, exchange: Exchange, error: StateError) -> Answer:
        if isinstance(error, UsernameNotAllowed):
            return _json({"error": "Username is not allowed"}, 400, "command-failures-500")
        if isinstance(error, UserExists | PlanNotFound | AlreadyInState):
            return _json({"success": False, "error": str(error)}, 500, "command-failures-500")
        return inner(exchange, error)

    mock.pipeline.wrap("refuse", refuse, USER_MUTATIONS)


@variant(
    "empty-user-list",
    group=V2,
    description="GET /api/users always answers {users: []}: the schema fits, but existing accounts are not listed",
    source="facts §2.4 (GO)",
)
def _empty_user_list(mock: Mock) -> None:
    mock.pipeline.replace("handle", lambda exchange: _json({"users": []}, 200, "empty-user-list"), ["listUsers"])


@variant(
    "connect-not-routed",
    group=V2,
    description="CONNECT /api/users/{username} is not routed: 404 {error: This api route does not exist…}",
    source="facts §2.11, §1.7 (GO)",
)
def _connect_not_routed(mock: Mock) -> None:
    not_routed = _json({"error": UNKNOWN_ROUTE}, 404, "connect-not-routed")
    answer_before_routing(mock, lambda request: request.method == "CONNECT", not_routed)


@variant(
    "autologin-unchecked",
    group=V2,
    description="POST …/autologin does not check that the account exists: 200 with a link",
    source="facts §2.11 (GO)",
)
def _autologin_unchecked(mock: Mock) -> None:
    def link(exchange: Exchange, error: StateError) -> Answer:
        host = exchange.request.host.rsplit(":", 1)[0]
        query = f"username={exchange.params['username']}&admin_token=x"
        return Answer({"link": f"{exchange.request.scheme}://{host}:2083/login_autologin?{query}"})

    refuse_instead(mock, ["autologin"], UserNotFound, link)


# -- authentication --------------------------------------------------------------------------------


@variant(
    "go-auth-errors",
    group=V2,
    description="every credential failure reads {error: Missing or invalid token} (401) on token-only "
    "routes and {error: User not found} with **404** on admin and account routes",
    source="facts §1.4 (GO)",
)
def _go_auth_errors(mock: Mock) -> None:
    def authenticate(inner, exchange: Exchange) -> Answer | None:
        try:
            return inner(exchange)
        except ApiError:
            if exchange.operation_id in TOKEN_ONLY:
                raise ApiError.app(401, "Missing or invalid token") from None
            return _json({"error": "User not found"}, 404, "go-auth-errors")

    mock.pipeline.wrap("authenticate", authenticate)


@variant(
    "slashless-login-csrf",
    group=V2,
    description="POST /api (no slash) answers 400 {error: CSRF error, message: …}, even to valid credentials",
    source="facts §1.7 (GO)",
)
def _slashless_login_csrf(mock: Mock) -> None:
    csrf = {"error": "CSRF error", "message": "CSRF token missing or incorrect."}

    slashless = mock.contract.operation("loginWithoutSlash")
    answer_before_routing(
        mock,
        lambda request: (request.method, request.path) == (slashless.method, slashless.path),
        _json(csrf, 400, "slashless-login-csrf"),
    )


# -- plans -----------------------------------------------------------------------------------------


@variant(
    "plan-id-not-numeric",
    group=V2,
    description="a non-numeric plan id answers Go's plain-text 404 page not found",
    source="facts §2.14 (GO)",
)
def _plan_id_not_numeric(mock: Mock) -> None:
    page = Answer(status=404, raw=b"404 page not found\n", content_type="text/plain; charset=utf-8")

    def route(inner, exchange: Exchange) -> Answer | None:
        path = exchange.request.path
        plan_id = path.rsplit("/", 1)[-1]
        if not plan_id.isdigit() and any(op.operation_id in PLAN_BY_ID for op in mock.router.operations_at(path)):
            return depart(page, "plan-id-not-numeric")
        return inner(exchange)

    mock.pipeline.wrap("route", route)


@variant(
    "plan-create-without-plan",
    group=V2,
    description="plan create answers {success, message} without the new plan",
    source="facts §2.15 (GO)",
)
def _plan_create_without_plan(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        answer = inner(exchange)
        stripped = {k: v for k, v in answer.payload.items() if k != "plan"}
        return depart(replace(answer, payload=stripped), "plan-create-without-plan")

    mock.pipeline.wrap("handle", handle, ["createPlan"])


@variant(
    "plan-patch-resets",
    group=V2,
    description="PATCH /api/plans/{id} passes every field: those not sent are reset to defaults and a missing "
    'name becomes "None"',
    source="facts §2.16 (GO)",
)
def _plan_patch_resets(mock: Mock) -> None:
    def handle(exchange: Exchange) -> Answer:
        mock.panel.hosting.update_plan(
            int(exchange.params["plan_id"]), {"name": "None", **exchange.body}, partial=False
        )
        return _json({"success": True, "message": "Plan updated successfully."}, 200, "plan-patch-resets")

    mock.pipeline.replace("handle", handle, ["patchPlan"])


# -- usage, system, docker -------------------------------------------------------------------------


@variant(
    "disk-usage-keys",
    group=V2,
    description="GET /api/usage/disk names its fields diskusage, disklimit, inodesusage, inodeslimit, "
    "bwusage, bwlimit (the WHMCS module reads disk_usage, disk_limit)",
    source="facts §2.25 (GO, WHMCS-26)",
)
def _disk_usage_keys(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        answer = inner(exchange)
        renamed = {user: {k.replace("_", ""): v for k, v in usage.items()} for user, usage in answer.payload.items()}
        return _json(renamed, answer.status, "disk-usage-keys")

    mock.pipeline.wrap("handle", handle, ["getUserDiskUsage"])


@variant(
    "counts-as-text",
    group=V2,
    description="GET /api/system sends running_processes and package_updates as strings (a named variant)",
    source="facts §2.27 (GO)",
    conforms=True,
)
def _counts_as_text(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        answer = inner(exchange)
        counts = {key: str(answer.payload[key]) for key in ("running_processes", "package_updates")}
        return replace(answer, payload={**answer.payload, **counts})

    mock.pipeline.wrap("handle", handle, ["getSystemInfo"])


@variant(
    "removed-endpoints",
    group=V2,
    description="GET /api/usage, /api/usage/stats, /api/usage/disk/{username} and /api/docker/context are not "
    "routed: the catch-all answers 200 {message: API is working!} without asking for a token",
    source="facts §2.21, §2.22, §2.33, §1.7 (GO)",
)
def _removed_endpoints(mock: Mock) -> None:
    removed = {"listUsageEndpoints", "getUsageStats", "getDockerContext", "getAccountDiskUsage"}

    def route(inner, exchange: Exchange) -> Answer | None:
        answer = inner(exchange)
        if answer is None and exchange.operation_id in removed:
            return _json(HEALTH, 200, "removed-endpoints")
        return answer

    mock.pipeline.wrap("route", route)


# -- domains, services, notifications --------------------------------------------------------------


@variant(
    "domain-commands-always-200",
    group=V2,
    description="domain actions on an unknown domain, or adding one for an unknown "
    "account, answer 200 with returncode 1 instead of 404",
    source="facts §2.19, §2.20 (GO)",
)
def _domain_commands_always_200(mock: Mock) -> None:
    refuse_instead(
        mock,
        ["addDomain", "suspendDomain", "unsuspendDomain", "deleteDomain"],
        (UserNotFound, DomainNotFound),
        lambda _, error: _json(
            {"stdout": "", "stderr": str(error), "returncode": 1}, 200, "domain-commands-always-200"
        ),
    )


@variant(
    "service-errors-400",
    group=V2,
    description="an unknown service answers 400 {error: Invalid service: …} instead of 404",
    source="facts §2.31 (GO)",
)
def _service_errors_400(mock: Mock) -> None:
    refuse_instead(mock, ["controlService"], ServiceNotFound, lambda _, error: Answer({"error": str(error)}, 400))


@variant(
    "notifications-raw-lines",
    group=V2,
    description="notifications are raw log lines (a named variant); an unknown line number "
    "answers 400 {error: Invalid line number} instead of 404",
    source="facts §2.34 (GO)",
)
def _notifications_raw_lines(mock: Mock) -> None:
    def listing(exchange: Exchange) -> Answer:
        lines = [
            f"{line.date} {line.status} {line.title} MESSAGE: {line.message}"
            for _, line in mock.panel.notifications.newest_first()
        ]
        return Answer({"success": True, "notifications": sorted(lines, reverse=True)})

    mock.pipeline.replace("handle", listing, ["listNotifications"])
    refuse_instead(
        mock,
        ["markNotificationRead", "deleteNotification"],
        NotificationNotFound,
        lambda exchange, error: Answer({"error": "Invalid line number"}, 400),
    )
