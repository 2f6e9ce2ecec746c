"""Hosting accounts, their plans and domains, changed the way the real panel's commands change them.

Every public method reads or writes through the ``Store``, so the state is consistent across the
server's threads and worker processes. Refusals are ``StateError`` subclasses (``panel.errors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from werkzeug.security import generate_password_hash

from contract_model import SUSPENDED_PREFIX, is_suspended, original_name, suspended_name
from mock_server.panel.document import StateDocument
from mock_server.panel.errors import (
    AdminExists,
    AdminNotFound,
    AlreadyInState,
    DomainExists,
    DomainNotFound,
    PlanExists,
    PlanIdNotFound,
    PlanInUse,
    PlanNotFound,
    SuperAdminProtected,
    UserExists,
    UsernameNotAllowed,
    UserNotFound,
)
from mock_server.panel.fixtures import Admin, Domain, Fixtures, Plan, User
from mock_server.panel.store import Store

#: Values ``opencli plan-create`` uses for limits a request leaves out.
PLAN_DEFAULTS: dict[str, object] = {
    "description": "",
    "domains_limit": 0,
    "websites_limit": 0,
    "email_limit": 0,
    "ftp_limit": 0,
    "disk_limit": "0 GB",
    "inodes_limit": 0,
    "db_limit": 0,
    "cpu": "1",
    "ram": "1g",
    "bandwidth": 100,
    "feature_set": "default",
    "max_email_quota": "0",
    "max_hourly_email": 0,
}
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_COUNTS = {key for key, value in PLAN_DEFAULTS.items() if isinstance(value, int)}
#: What a plan request may set; anything else in the body is ignored, as ``opencli plan-create`` only
#: takes these.
PLAN_FIELDS = frozenset({"name", *PLAN_DEFAULTS})


class Hosting(StateDocument):
    """Accounts, plans and domains of one mock panel, seeded from fixtures and resettable to them."""

    DOCUMENT = "accounts"

    def __init__(
        self, fixtures: Fixtures, clock: Callable[[], float], password_hash_method: str, store: Store | None = None
    ) -> None:
        self._clock = clock
        self._hash_method = password_hash_method
        super().__init__(fixtures, store)

    # -- the document ------------------------------------------------------------------------

    def _initial(self) -> dict[str, Any]:
        return {
            "users": [_user_document(replace(user, quota=dict(user.quota))) for user in self._fixtures.users],
            "plans": [asdict(plan) for plan in self._fixtures.plans],
            "domains": [asdict(domain) for domain in self._fixtures.domains],
            "admins": [asdict(admin) for admin in self._fixtures.admins],
            "next_user_id": max((user.id for user in self._fixtures.users), default=0) + 1,
            "next_plan_id": max((plan.id for plan in self._fixtures.plans), default=0) + 1,
            "next_domain_id": max((domain.domain_id for domain in self._fixtures.domains), default=0) + 1,
        }

    def _dump(self) -> dict[str, Any]:
        # Serialised at once by the store, so it may share the replica's objects (``vars``, not
        # ``asdict``: a deep copy of every record on every write was a quarter of a write's cost).
        return {
            "users": [_user_document(user) for user in self._users.values()],
            "plans": [vars(plan) for plan in self._plans.values()],
            "domains": [vars(domain) for domain in self._domains.values()],
            "admins": [vars(admin) for admin in self._admins.values()],
            "next_user_id": self._next_user_id,
            "next_plan_id": self._next_plan_id,
            "next_domain_id": self._next_domain_id,
        }

    def _load(self, document: dict[str, Any]) -> None:
        self._users = {item["id"]: _user_from_document(item) for item in document["users"]}
        self._plans = {item["id"]: Plan(**item) for item in document["plans"]}
        self._domains = {item["domain_id"]: Domain(**item) for item in document["domains"]}
        admins = document.get("admins", [asdict(admin) for admin in self._fixtures.admins])
        self._admins = {item["username"]: Admin(**item) for item in admins}
        self._next_user_id = document["next_user_id"]
        self._next_plan_id = document["next_plan_id"]
        self._next_domain_id = document["next_domain_id"]

    # -- reads -------------------------------------------------------------------------------

    @property
    def fixtures(self) -> Fixtures:
        """What the panel started from (a flavor seeds its own state from it too)."""
        return self._fixtures

    def admins(self) -> list[Admin]:
        """The OpenAdmin accounts allowed to log in: the fixtures' and those created since."""
        with self._reading():
            return [replace(admin) for admin in self._admins.values()]

    def admin(self, username: str) -> Admin | None:
        """The OpenAdmin account allowed to log in under ``username``."""
        with self._reading():
            admin = self._admins.get(username)
            return replace(admin) if admin else None

    def users(self) -> list[User]:
        with self._reading():
            return [replace(user) for _, user in sorted(self._users.items())]

    def user(self, name: str) -> User:
        """The account called ``name``, or the suspended account whose original name it is."""
        with self._reading():
            return replace(self._find_user(name))

    def plans(self) -> list[Plan]:
        with self._reading():
            return [_copy_plan(plan) for _, plan in sorted(self._plans.items())]

    def plan(self, plan_id: int) -> Plan:
        with self._reading():
            return _copy_plan(self._plan(plan_id))

    def plan_name(self, plan_id: int | None) -> str | None:
        with self._reading():
            plan = self._plans.get(plan_id) if plan_id is not None else None
            return plan.name if plan else None

    # -- writes ------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, email: str, plan_name: str, owner: str | None = None) -> User:
        # Hash outside the lock: it is the slow part and needs no shared state.
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._writing():
            if username.lower() in self._fixtures.forbidden_usernames or username.upper().startswith(SUSPENDED_PREFIX):
                raise UsernameNotAllowed(f"Username {username} is not allowed")
            if self._lookup(username) is not None:
                raise UserExists(f"User {username} already exists")
            plan = self._plan_by_name(plan_name)
            user = User(
                id=self._next_user_id,
                username=username,
                email=email,
                password_hash=password_hash,
                plan_id=plan.id,
                registered_date=self._now(),
                owner=owner,
            )
            self._users[user.id] = user
            self._next_user_id += 1
            return replace(user)

    def suspend(self, name: str) -> User:
        with self._writing():
            user = self._find_user(name)
            if is_suspended(user.username):
                raise AlreadyInState(f"User {original_name(user.username)} is already suspended")
            user.username = suspended_name(user.username, self._now())
            return replace(user)

    def unsuspend(self, name: str) -> User:
        with self._writing():
            user = self._find_user(name)
            if not is_suspended(user.username):
                raise AlreadyInState(f"User {user.username} is not suspended")
            user.username = original_name(user.username)
            return replace(user)

    def set_password(self, name: str, password: str) -> User:
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._writing():
            user = self._find_user(name)
            user.password_hash = password_hash
            return replace(user)

    def change_plan(self, name: str, plan_name: str) -> tuple[User, str | None]:
        """Move the account; answers the account and the name of the plan it left."""
        with self._writing():
            user = self._find_user(name)
            plan = self._plan_by_name(plan_name)
            previous = self.plan_name(user.plan_id)
            user.plan_id = plan.id
            return replace(user), previous

    def delete_user(self, name: str) -> User:
        """Delete the account and, as ``opencli user-delete`` does, its domains."""
        with self._writing():
            user = self._find_user(name)
            del self._users[user.id]
            owner = original_name(user.username)
            self._domains = {key: d for key, d in self._domains.items() if d.owner != owner}
            return user

    # -- OpenAdmin accounts (opencli admin …) -------------------------------------------------

    def admin_or_refuse(self, username: str) -> Admin:
        """The OpenAdmin account ``username``, or ``AdminNotFound``."""
        with self._reading():
            return replace(self._find_admin(username))

    def create_admin(self, username: str, password: str, role: str) -> Admin:
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._writing():
            if username in self._admins:
                raise AdminExists(f"User '{username}' already exists.")
            admin = self._admins[username] = Admin(username, password_hash, role)
            return replace(admin)

    def set_admin_password(self, username: str, password: str) -> Admin:
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._writing():
            admin = self._find_admin(username)
            admin.password_hash = password_hash
            return replace(admin)

    def rename_admin(self, username: str, new_username: str) -> Admin:
        """Rename the account; a reseller's hosting accounts follow it."""
        with self._writing():
            admin = self._find_admin(username)
            if new_username in self._admins:
                raise AdminExists(f"Username '{new_username}' already taken.")
            del self._admins[username]
            admin.username = new_username
            self._admins[new_username] = admin
            for user in self._users.values():
                if user.owner == username:
                    user.owner = new_username
            return replace(admin)

    def set_admin_active(self, username: str, active: bool) -> Admin:
        with self._writing():
            admin = self._find_admin(username)
            if admin.role == "admin" and not active:
                raise SuperAdminProtected(f"Cannot suspend user '{username}' with 'admin' role.")
            admin.is_active = active
            return replace(admin)

    def delete_admin(self, username: str) -> Admin:
        with self._writing():
            admin = self._find_admin(username)
            if admin.role == "admin":
                raise SuperAdminProtected(f"Cannot delete user '{username}' with 'admin' role.")
            return self._admins.pop(username)

    # -- plans -------------------------------------------------------------------------------

    def create_plan(self, fields: dict[str, object]) -> Plan:
        fields = _known(fields)
        with self._writing():
            self._check_plan_name(str(fields["name"]), None)
            plan = Plan(self._next_plan_id, str(fields["name"]), _plan_columns({**PLAN_DEFAULTS, **fields}))
            self._plans[plan.id] = plan
            self._next_plan_id += 1
            return _copy_plan(plan)

    def update_plan(self, plan_id: int, fields: dict[str, object], *, partial: bool, unique_name: bool = True) -> Plan:
        """Replace every field (``partial=False``; the rest back to defaults) or only those given.

        ``unique_name=False`` lets the name collide with another plan's, as the 2.x ``plan-edit`` does.
        """
        fields = _known(fields)
        with self._writing():
            plan = self._plan(plan_id)
            if "name" in fields and unique_name:
                self._check_plan_name(str(fields["name"]), plan_id)
            base = {**plan.columns, "name": plan.name} if partial else dict(PLAN_DEFAULTS)
            merged = {**base, **fields}
            plan.name = str(merged.pop("name", plan.name))
            plan.columns = _plan_columns(merged)
            return _copy_plan(plan)

    def delete_plan(self, plan_id: int) -> Plan:
        with self._writing():
            plan = self._plan(plan_id)
            users = sum(1 for user in self._users.values() if user.plan_id == plan_id)
            if users:
                raise PlanInUse(f"Plan '{plan.name}' is used by {users} account(s); move them to another plan first")
            return self._plans.pop(plan_id)

    # -- domains -----------------------------------------------------------------------------

    def domains(self) -> list[tuple[Domain, str]]:
        """Every domain with its owner's current (possibly suspended) account name."""
        with self._reading():
            names = {original_name(user.username): user.username for user in self._users.values()}
            return [(replace(d), names.get(d.owner, d.owner)) for _, d in sorted(self._domains.items())]

    def add_domain(self, username: str, url: str, docroot: str | None) -> Domain:
        with self._writing():
            owner = original_name(self._find_user(username).username)
            if any(domain.domain_url.lower() == url.lower() for domain in self._domains.values()):
                raise DomainExists(f"Domain {url} already exists")
            domain = Domain(self._next_domain_id, url, docroot or f"/var/www/html/{url}", owner)
            self._domains[domain.domain_id] = domain
            self._next_domain_id += 1
            return replace(domain)

    def set_domain_suspended(self, url: str, suspended: bool) -> bool:
        """Answer whether anything changed (suspending a suspended domain is not an error)."""
        with self._writing():
            domain = self._find_domain(url)
            changed = domain.suspended != suspended
            domain.suspended = suspended
            return changed

    def set_domain_docroot(self, url: str, docroot: str) -> Domain:
        """Serve ``url`` from ``docroot`` (group A's ``updateDomainDocroot``)."""
        with self._writing():
            domain = self._find_domain(url)
            domain.docroot = docroot
            return replace(domain)

    def delete_domain(self, url: str) -> Domain:
        with self._writing():
            return self._domains.pop(self._find_domain(url).domain_id)

    # -- internals ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC).replace(microsecond=0)

    def _lookup(self, name: str) -> User | None:
        for user in self._users.values():
            if user.username == name or original_name(user.username) == name:
                return user
        return None

    def _find_user(self, name: str) -> User:
        user = self._lookup(name)
        if user is None:
            raise UserNotFound("User not found")
        return user

    def _find_admin(self, username: str) -> Admin:
        admin = self._admins.get(username)
        if admin is None:
            raise AdminNotFound(f"User '{username}' does not exist.")
        return admin

    def _plan(self, plan_id: int) -> Plan:
        try:
            return self._plans[plan_id]
        except KeyError:
            raise PlanIdNotFound("Plan not found") from None

    def _check_plan_name(self, name: str, plan_id: int | None) -> None:
        if any(plan.name == name and plan.id != plan_id for plan in self._plans.values()):
            raise PlanExists(f"Plan {name} already exists")

    def _find_domain(self, url: str) -> Domain:
        for domain in self._domains.values():
            if domain.domain_url.lower() == url.lower():
                return domain
        raise DomainNotFound("Domain not found")

    def _plan_by_name(self, name: str) -> Plan:
        for plan in self._plans.values():
            if plan.name == name:
                return plan
        raise PlanNotFound(f"Plan '{name}' does not exist")


def _copy_plan(plan: Plan) -> Plan:
    return replace(plan, columns=dict(plan.columns))  # columns are flat scalars


def _user_document(user: User) -> dict[str, Any]:
    """The user's fields as they are (shared, not copied), the date as ISO text."""
    return {**vars(user), "registered_date": user.registered_date.isoformat()}


def _user_from_document(document: dict[str, Any]) -> User:
    return User(**{**document, "registered_date": datetime.fromisoformat(document["registered_date"])})


def _known(fields: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in fields.items() if key in PLAN_FIELDS}


#: How ``opencli plan-create`` stores the sizes it is given as numbers (disk in GB, RAM in GB, cores).
_SIZES = {"disk_limit": "{} GB", "ram": "{}g", "cpu": "{}"}


def _plan_columns(fields: dict[str, object]) -> dict[str, object]:
    """Plan columns as the panel stores them: counts as integers (clients may send digit strings),
    sizes sent as numbers as the panel's text (``20`` → ``"20 GB"``); stored text stays as it is."""
    columns = {key: value for key, value in fields.items() if key != "name"}
    for key in _COUNTS & columns.keys():
        columns[key] = int(columns[key])  # type: ignore[call-overload]
    for key, form in _SIZES.items():
        value = columns.get(key)
        if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
            columns[key] = form.format(_plain(value))
    return columns


def _plain(value: object) -> str:
    """``8`` for 8, 8.0 and "8"; ``1.5`` for 1.5."""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else str(number)
