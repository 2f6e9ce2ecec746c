"""Reading ``fixtures/*.yaml``: plain data in, typed records out, with a clear error on bad files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from contract_model import original_name

#: libyaml's parser when PyYAML has it (a tenth of the pure-Python one's time, same results).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(ValueError):
    """A fixture file is missing, not YAML, or not shaped as documented."""


@dataclass
class Admin:
    """An OpenAdmin account: ``admin`` (the Super Admin), ``user`` (an administrator) or ``reseller``."""

    username: str
    password_hash: str
    role: str = "admin"
    #: ``False`` while suspended (``opencli admin suspend``); a 2.x API login does not check it.
    is_active: bool = True

    @property
    def is_reseller(self) -> bool:
        return self.role == "reseller"

    def sees(self, user: User) -> bool:
        """Whether this account may see and change the hosting account ``user``."""
        return not self.is_reseller or user.owner == self.username


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
    #: The reseller that owns the account (``None``: the administrators').
    owner: str | None = None
    #: The quota report's line for this account (KB and inode counts).
    quota: dict[str, int] = field(default_factory=dict)
    services: str | None = "1,2,3,4,5,6,7,8,9,10,11,12"
    user_domains: str | int = ""
    twofa_enabled: int = 0
    otp_secret: str | None = None


@dataclass
class Domain:
    domain_id: int
    domain_url: str
    docroot: str
    owner: str
    php_version: str = "8.2"
    suspended: bool = False


@dataclass
class Service:
    name: str
    type: str
    real_name: str
    #: ``None``: the file's entry has no such key (the stock 2.x file has none).
    on_dashboard: bool | None = False

    def as_json(self) -> dict[str, Any]:
        entry = {"name": self.name, "type": self.type, "real_name": self.real_name}
        return entry if self.on_dashboard is None else {**entry, "on_dashboard": self.on_dashboard}


@dataclass
class Notification:
    date: str
    status: str
    title: str
    message: str


@dataclass
class Fixtures:
    admins: list[Admin]
    plans: list[Plan]
    users: list[User]
    forbidden_usernames: frozenset[str]
    domains: list[Domain] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    stopped_services: frozenset[str] = frozenset()
    notifications: list[Notification] = field(default_factory=list)
    #: ``server.yaml`` as written: system facts, metrics, engine info.
    server: dict[str, Any] = field(default_factory=dict)
    #: Where they were read from: each endpoint group reads its own file from here (``group``).
    directory: Path | None = None

    def group(self, name: str) -> dict[str, Any]:
        """``<name>.yaml`` of an endpoint group, as written (``{}`` when the directory has none); the
        group's state part checks its shape and raises ``FixtureError`` naming the file."""
        return _optional_document(self.directory / f"{name}.yaml") if self.directory else {}


def load_fixtures(directory: Path, overlay: Path | None = None) -> Fixtures:
    """Load and check a fixtures directory.

    admins.yaml, plans.yaml and users.yaml are required; domains.yaml, services.yaml,
    notifications.yaml, server.yaml and forbidden_usernames.txt are optional. A file in ``overlay``
    (a server generation's own set, ``fixtures/v1/``) replaces the one of the same name.
    """
    if overlay is not None:
        directory = _Overlay(overlay, directory)  # type: ignore[assignment]
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
    domains = [_record(Domain, row, "domains.yaml") for row in _optional_rows(directory / "domains.yaml", "domains")]
    owners = {original_name(user.username) for user in users}
    _unique([domain.domain_id for domain in domains], "domains.yaml", "domain_id")
    _unique([domain.domain_url for domain in domains], "domains.yaml", "domain")
    for domain in domains:
        if domain.owner not in owners:
            raise FixtureError(f"domains.yaml: {domain.domain_url} belongs to {domain.owner!r}, which users.yaml lacks")
    services_doc = _optional_document(directory / "services.yaml")
    services = [_record(Service, row, "services.yaml") for row in services_doc.get("services", [])]
    notifications = [
        _record(Notification, row, "notifications.yaml")
        for row in _optional_rows(directory / "notifications.yaml", "notifications")
    ]
    return Fixtures(
        admins,
        plans,
        users,
        forbidden,
        domains=domains,
        services=services,
        stopped_services=frozenset(services_doc.get("stopped", [])),
        notifications=notifications,
        server=_optional_document(directory / "server.yaml"),
        directory=directory,
    )


class _Overlay:
    """Two directories as one: ``overlay / name`` where it exists, else ``base / name``."""

    def __init__(self, overlay: Path, base: Path) -> None:
        self._overlay, self._base = overlay, base

    def __truediv__(self, name: str) -> Path:
        chosen = self._overlay / name
        return chosen if chosen.exists() else self._base / name


def _optional_document(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    except yaml.YAMLError as error:
        raise FixtureError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(document, dict):
        raise FixtureError(f"{path}: expected a mapping at the top level")
    return document


def _optional_rows(path: Path, key: str) -> list[dict[str, Any]]:
    return _rows(path, key) if path.exists() else []


def _rows(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
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
