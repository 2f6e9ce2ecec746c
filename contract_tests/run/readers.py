"""Read account facts out of either documented body variant (1.x rows or 2.x nested object)."""

from __future__ import annotations

from typing import Any

from contract_model import original_name

#: Positions in a 1.x account row (spec: ``UserRow``); the joined plan name is always the last column
#: (12 columns, or 13 since Oct 2024 added ``server``).
ROW_USERNAME, ROW_PASSWORD_HASH, ROW_PLAN_NAME = 1, 2, -1


def account_name(body: Any) -> str | None:
    """The stored account name in a single-account body."""
    row = _single_row(body)
    if row is not None:
        return row[ROW_USERNAME]
    return _nested(body, "user", "username")


def account_plan(body: Any) -> str | None:
    """The plan name in a single-account body."""
    row = _single_row(body)
    if row is not None:
        return row[ROW_PLAN_NAME]
    return _nested(body, "plan", "name")


def _single_row(body: Any) -> list[Any] | None:
    rows = body.get("users") if isinstance(body, dict) else None
    if isinstance(rows, list) and rows and isinstance(rows[0], list) and len(rows[0]) > ROW_USERNAME:
        return rows[0]
    return None


def _nested(body: Any, part: str, key: str) -> Any:
    detail = body.get("user") if isinstance(body, dict) else None
    section = detail.get(part) if isinstance(detail, dict) else None
    return section.get(key) if isinstance(section, dict) else None


def listed_names(body: Any) -> list[str]:
    """Every account name in a list body."""
    rows = body.get("users", []) if isinstance(body, dict) else []
    return [row[ROW_USERNAME] for row in rows if isinstance(row, list) and len(row) > ROW_USERNAME]


def listed_row(body: Any, name: str) -> list[Any] | None:
    """The list row of the account called ``name`` (or suspended from it), if the list shows one."""
    rows = body.get("users", []) if isinstance(body, dict) else []
    for row in rows:
        if isinstance(row, list) and len(row) > ROW_PASSWORD_HASH and original_name(str(row[ROW_USERNAME])) == name:
            return row
    return None
