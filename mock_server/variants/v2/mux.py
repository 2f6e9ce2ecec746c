"""The 2.x server's route table and Go 1.25 ``ServeMux`` matching, as ``newHandler`` registers them.

Only the in-scope routes of routes.json are listed; every other 2.x route under ``/api/`` falls into
the catch-alls here. Go picks the most specific matching pattern (not the first registered): a
route's literal segments beat ``{wildcards}``, and any full pattern beats the ``/api/`` subtree that
``GET /api/`` and ``POST /api/`` register. A ``{wildcard}`` never matches an empty segment. ``GET``
patterns also serve ``HEAD``. A path that is not clean is redirected to its cleaned form, but only
when that form routes. Methods are matched exactly; a method the path lacks is not a 405 here: the
server's ``NotFoundHandler`` sees no pattern and answers its JSON 404 (``None`` below).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Middleware of a route (api_common.go): none, ``RequireAPIToken``, ``RequireAPIAdmin``,
#: ``RequireAPIOwnerOrAdmin("username")``, ``RequireAPISuperAdmin``.
NONE, TOKEN, ADMIN, OWNER, SUPER = "none", "token", "admin", "owner", "super-admin"


@dataclass(frozen=True)
class GoRoute:
    method: str
    pattern: str
    guard: str
    #: Which twin handler serves it (``mock_server.variants.v2.handlers``).
    handler: str

    @property
    def subtree(self) -> bool:
        return self.pattern.endswith("/")

    @property
    def segments(self) -> list[str]:
        return self.pattern.strip("/").split("/")

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """Path parameters when ``segments`` (the path split on ``/``) match this pattern."""
        mine = self.segments
        if self.subtree:
            return {} if segments[: len(mine)] == mine else None
        if len(segments) != len(mine):
            return None
        params = {}
        for pattern, segment in zip(mine, segments, strict=True):
            if pattern.startswith("{"):
                if not segment:
                    return None
                params[pattern[1:-1]] = segment
            elif pattern != segment:
                return None
        return params

    def specificity(self) -> tuple[bool, tuple[bool, ...]]:
        return (not self.subtree, tuple(not part.startswith("{") for part in self.segments))


def _routes(method: str, pattern: str, guard: str, handler: str) -> list[GoRoute]:
    return [GoRoute(each, pattern, guard, handler) for each in method.split(",")]


#: In registration order (main.go newHandler; routes.json orders 2-79).
ROUTES: tuple[GoRoute, ...] = tuple(
    route
    for entry in [
        ("GET,POST", "/api/", NONE, "welcome"),
        ("GET", "/api/whoami", TOKEN, "whoami"),
        ("GET,POST", "/api/users", OWNER, "users"),
        ("GET,POST,PUT,PATCH,DELETE", "/api/users/{username}", OWNER, "users"),
        ("POST", "/api/users/{username}/autologin", OWNER, "autologin"),
        ("GET", "/api/domains", ADMIN, "domains"),
        ("POST", "/api/domains/new", ADMIN, "add_domain"),
        ("GET,POST", "/api/domains/{seg2}/{seg3}", ADMIN, "domain_dispatch"),
        ("GET,POST", "/api/plans", TOKEN, "plans"),
        ("GET,PUT,PATCH,DELETE", "/api/plans/{plan_id}", TOKEN, "plan"),
        ("GET,PUT", "/api/services", ADMIN, "services_file"),
        ("GET", "/api/services/status", ADMIN, "services_status"),
        ("POST", "/api/service/{action}/{service_name}", ADMIN, "control_service"),
        ("GET", "/api/docker/info", ADMIN, "docker_info"),
        ("GET", "/api/ips", ADMIN, "ips"),
        ("GET", "/api/system", TOKEN, "system"),
        ("GET", "/api/usage/cpu", TOKEN, "cpu"),
        ("GET", "/api/usage/memory", TOKEN, "memory"),
        ("GET", "/api/usage/server", TOKEN, "server_disks"),
        ("GET", "/api/notifications", ADMIN, "notifications"),
        ("POST", "/api/notifications/{line_number}/read", ADMIN, "notification_read"),
        ("DELETE", "/api/notifications/{line_number}", ADMIN, "notification_delete"),
        ("GET", "/api/usage/disk", ADMIN, "disk_usage"),
    ]
    for route in _routes(*entry)
)


@dataclass(frozen=True)
class Found:
    route: GoRoute
    params: dict[str, str]


@dataclass(frozen=True)
class Redirect:
    location: str


def find(method: str, path: str, query: str = "") -> Found | Redirect | None:
    """What the mux does with a request for ``path`` under ``/api/``."""
    if method != "CONNECT":  # CONNECT paths are never cleaned
        cleaned = clean_path(path)
        if cleaned != path:
            if cleaned.startswith("/api/") and _match(method, cleaned) is not None:
                return Redirect(cleaned + (f"?{query}" if query else ""))
            return None
    return _match(method, path)


def _match(method: str, path: str) -> Found | None:
    segments = path.strip("/").split("/") if path != "/api/" else ["api"]
    if path.endswith("/") and path != "/api/":
        segments.append("")  # a trailing slash is an empty last segment
    methods = (method, "GET") if method == "HEAD" else (method,)
    candidates = [
        (route.specificity(), index, route, params)
        for index, route in enumerate(ROUTES)
        if route.method in methods and (params := route.match(segments)) is not None
    ]
    if not candidates:
        return None
    _, _, route, params = max(candidates, key=lambda item: (item[0], -item[1]))
    return Found(route, params)


def clean_path(path: str) -> str:
    """Go's ``cleanPath``: ``path.Clean`` (no empty, ``.`` or ``..`` segments), keeping a final slash."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    cleaned = "/" + "/".join(parts)
    return cleaned + "/" if path.endswith("/") and cleaned != "/" else cleaned
