"""Who may call what on 2.x: the middlewares of api_common.go, and the login behind ``/api/``."""

from __future__ import annotations

from typing import Any

from mock_server.answer import Answer
from mock_server.pipeline import Exchange
from mock_server.variants import depart, depart_unless_documented
from mock_server.variants.v2 import opencli, tokens
from mock_server.variants.v2.context import Go, error, handles
from mock_server.variants.v2.deviations import (
    AUTH_404,
    CATCH_ALL_GET,
    HEAD_QUIRKS,
    LOGIN_DECODE,
    SUPER_ADMIN_403,
    TOKEN_ONLY_401,
)
from mock_server.variants.v2.gojson import into_struct
from mock_server.variants.v2.mux import ADMIN, OWNER, SUPER, TOKEN

HEALTH = {"message": "API is working!"}
#: ``auth.NewPerIPLimiter(LoginRatePerMin, 5)`` (main.go newHandler).
BURST = 5
#: Handlers whose path parameter ``RequireAPIOwnerOrAdmin`` checks ownership of.
OWNED_PARAMETER = "username"
#: Operations the contract documents a health answer for (a titled variant of their 200).
_HEALTH_FITS = {"getApiStatus", "listUsageEndpoints", "getUsageStats", "getAccountDiskUsage"}


def guard(go: Go, exchange: Exchange) -> Answer | None:
    """The route's middleware: ``None`` to go on to the handler, else its refusal."""
    if exchange.route is None:
        return None
    route = exchange.route.route
    if route.guard not in (TOKEN, ADMIN, OWNER, SUPER):
        return None
    config = go.mock.config
    sub = tokens.subject(exchange.request.headers.get("Authorization"), config.jwt_secret, config.clock)
    if route.guard == SUPER:  # RequireAPISuperAdmin: one 403 for no token, a bad one, or another role
        acting = go.hosting.admin(sub) if sub else None
        if acting is None or acting.role != "admin":
            refusal = error(403, "Only the Super Admin can perform this action.")
            return depart_unless_documented(refusal, SUPER_ADMIN_403, exchange.operation)
        exchange.admin = acting.username
        return None
    if route.guard == TOKEN:
        if sub is None:
            return depart_unless_documented(error(401, "Missing or invalid token"), TOKEN_ONLY_401, exchange.operation)
        exchange.admin = sub  # the handler runs even if the admin row is gone (APIUserFromContext nil)
        return None
    admin = go.hosting.admin(sub) if sub else None
    if admin is None:
        return depart_unless_documented(error(404, "User not found"), AUTH_404, exchange.operation)
    exchange.admin = admin.username
    if admin.role != "reseller":
        return None
    if route.guard == ADMIN:
        return depart_unless_documented(
            error(403, "Forbidden: administrator role required"), AUTH_404, exchange.operation
        )
    account = exchange.route.params.get(OWNED_PARAMETER)
    if account and not _owns(go, admin.username, account):
        return depart_unless_documented(
            error(403, "Forbidden: you do not own this account"), AUTH_404, exchange.operation
        )
    return None


def _owns(go: Go, reseller: str, account: str) -> bool:
    """``CheckIfOwnerForUser``: ``username = ? AND owner = ?`` (MySQL's comparison, case-insensitive)."""
    return any(opencli.mysql_equal(user.username, account) and user.owner == reseller for user in go.hosting.users())


@handles("welcome")
def welcome(go: Go, exchange: Exchange) -> Answer:
    """``ServeWelcome``: GET is the health check; every other method reaching it is a login."""
    request = exchange.request
    if request.method == "GET":
        answer = Answer(HEALTH)
        return (
            answer
            if exchange.operation_id in _HEALTH_FITS or exchange.operation is None
            else depart(answer, CATCH_ALL_GET)
        )
    answer = login(go, exchange)
    if request.method == "HEAD":
        return depart(answer, HEAD_QUIRKS)
    return answer


def login(go: Go, exchange: Exchange) -> Answer:
    if not _allow(go, _client_address(exchange)):
        return error(429, "Too many login attempts. Please try again later.")
    fields, ok = into_struct(exchange.body, "Username", "Password")
    if not ok:
        return depart_unless_documented(error(400, "Invalid JSON body"), LOGIN_DECODE, exchange.operation)
    admin = go.hosting.admin(fields.get("Username", ""))
    password = fields.get("Password", "")
    if admin is None or not go.mock.panel.passwords.verify(admin.password_hash, password):
        return error(401, "Invalid credentials")
    config = go.mock.config
    return Answer({"access_token": tokens.issue(admin.username, config.jwt_secret, go.now(), config.token_lifetime)})


@handles("whoami")
def whoami(go: Go, exchange: Exchange) -> Answer:
    return Answer({"logged_in_as": exchange.admin})


def _client_address(exchange: Exchange) -> str:
    """``clientIP`` (login.go): CF-Connecting-IP, else the first X-Forwarded-For entry, else the peer."""
    headers = exchange.request.headers
    if headers.get("CF-Connecting-IP"):
        return str(headers["CF-Connecting-IP"])
    forwarded = headers.get("X-Forwarded-For")
    if forwarded:
        return forwarded.split(",")[0].strip()
    peer = exchange.request.remote_addr or ""
    return f"[{peer}]" if ":" in peer else peer  # Go keeps the brackets of an IPv6 RemoteAddr


def _allow(go: Go, address: str) -> bool:
    """golang.org/x/time/rate: a bucket of ``BURST`` per address, refilled at ``login_rate`` a minute."""
    rate = go.mock.config.login_rate / 60
    now = go.now()

    def spend(buckets: dict[str, Any]) -> bool:
        tokens_left, last = buckets.get(address, (float(BURST), now))
        tokens_left = min(float(BURST), tokens_left + max(0.0, now - last) * rate)
        allowed = tokens_left >= 1
        buckets[address] = (tokens_left - 1 if allowed else tokens_left, now)
        return allowed

    return bool(go.limiter.change(lambda document: spend(document["buckets"])))
