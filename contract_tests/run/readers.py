"""Read account facts out of either documented body variant (1.x rows or 2.x nested object)."""

from __future__ import annotations

from typing import Any

#: Positions in a 1.x account row (spec: ``UserRow``).
ROW_USERNAME, ROW_PLAN_NAME = 1, 11


def account_name(body: Any) -> str | None:
    """The stored account name in a single-account body."""
    if isinstance(body, dict) and isinstance(body.get("users"), list) and body["users"]:
        return body["users"][0][ROW_USERNAME]
    if isinstance(body, dict) and isinstance(body.get("user"), dict):
        return body["user"].get("user", {}).get("username")
    return None


def account_plan(body: Any) -> str | None:
    """The plan name in a single-account body."""
    if isinstance(body, dict) and isinstance(body.get("users"), list) and body["users"]:
        return body["users"][0][ROW_PLAN_NAME]
    if isinstance(body, dict) and isinstance(body.get("user"), dict):
        return body["user"].get("plan", {}).get("name")
    return None


def listed_names(body: Any) -> list[str]:
    """Every account name in a list body."""
    rows = body.get("users", []) if isinstance(body, dict) else []
    return [row[ROW_USERNAME] for row in rows if isinstance(row, list) and len(row) > ROW_USERNAME]
