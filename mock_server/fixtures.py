"""Reading ``fixtures/*.yaml``: plain data in, typed records out, with a clear error on bad files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml


class FixtureError(ValueError):
    """A fixture file is missing, not YAML, or not shaped as documented."""


@dataclass
class Admin:
    username: str
    password_hash: str
    role: str = "admin"


@dataclass
class Plan:
    id: int
    name: str
    #: Every other column, exactly as the fixture gives it (the API echoes them).
    columns: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, **self.columns}


@dataclass
class User:
    id: int
    username: str
    email: str
    password_hash: str
    plan_id: int | None
    registered_date: datetime
    ip: str | None = None
    services: str | None = "1,2,3,4,5,6,7,8,9,10,11,12"
    user_domains: str | int = ""
    twofa_enabled: int = 0
    otp_secret: str | None = None


@dataclass
class Fixtures:
    admins: list[Admin]
    plans: list[Plan]
    users: list[User]
    forbidden_usernames: frozenset[str]


def load_fixtures(directory: Path) -> Fixtures:
    """Load and check a fixtures directory (admins.yaml, plans.yaml, users.yaml, forbidden_usernames.txt)."""
    admins = [_record(Admin, row, "admins.yaml") for row in _rows(directory / "admins.yaml", "admins")]
    plans = [_plan(row) for row in _rows(directory / "plans.yaml", "plans")]
    users = [_user(row) for row in _rows(directory / "users.yaml", "users")]
    forbidden_file = directory / "forbidden_usernames.txt"
    forbidden = frozenset(
        line.strip().lower()
        for line in (forbidden_file.read_text(encoding="utf-8").splitlines() if forbidden_file.exists() else [])
        if line.strip() and not line.startswith("#")
    )
    if not admins:
        raise FixtureError(f"{directory / 'admins.yaml'}: at least one administrator is needed to log in")
    plan_ids = {plan.id for plan in plans}
    _unique([plan.id for plan in plans], "plans.yaml", "plan id")
    _unique([plan.name for plan in plans], "plans.yaml", "plan name")
    _unique([user.id for user in users], "users.yaml", "user id")
    _unique([user.username for user in users], "users.yaml", "username")
    for user in users:
        if user.plan_id is not None and user.plan_id not in plan_ids:
            raise FixtureError(f"users.yaml: user {user.username!r} has plan_id {user.plan_id}, which plans.yaml lacks")
    return Fixtures(admins, plans, users, forbidden)


def _rows(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise FixtureError(f"{path}: not valid YAML ({error})") from None
    rows = document.get(key) if isinstance(document, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise FixtureError(f"{path}: expected a top-level '{key}:' list of mappings")
    return rows


def _record(cls: type, row: dict[str, Any], source: str) -> Any:
    try:
        return cls(**row)
    except TypeError as error:
        raise FixtureError(f"{source}: {row!r}: {error}") from None


def _plan(row: dict[str, Any]) -> Plan:
    columns = dict(row)
    try:
        plan_id, name = int(columns.pop("id")), str(columns.pop("name"))
    except (KeyError, TypeError, ValueError):
        raise FixtureError(f"plans.yaml: every plan needs an integer 'id' and a 'name': {row!r}") from None
    return Plan(plan_id, name, columns)


def _user(row: dict[str, Any]) -> User:
    user = _record(User, row, "users.yaml")
    registered = user.registered_date
    if isinstance(registered, str):
        try:
            registered = datetime.fromisoformat(registered)
        except ValueError:
            raise FixtureError(f"users.yaml: {user.username!r}: registered_date is not ISO 8601") from None
    if not isinstance(registered, datetime):
        raise FixtureError(f"users.yaml: {user.username!r}: registered_date must be a timestamp")
    user.registered_date = registered if registered.tzinfo else registered.replace(tzinfo=UTC)
    return user


def _unique(values: list[Any], source: str, what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise FixtureError(f"{source}: duplicate {what} {value!r}")
        seen.add(value)
