"""The panel's mutable state: accounts and plans, changed the way the real panel's commands change them.

Every public method takes the lock, so the mock is safe under a threaded WSGI server. Failures are
``StateError`` subclasses; the handlers decide which HTTP status each one is.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from werkzeug.security import generate_password_hash

from mock_server.fixtures import Admin, Fixtures, Plan, User

SUSPENDED_PREFIX = "SUSPENDED_"
_SUSPENDED_NAME = re.compile(r"^SUSPENDED_(\d{14})_(.+)$")


class StateError(Exception):
    """A request the panel refuses; the message is what the client reads."""


class UserNotFound(StateError):
    pass


class PlanNotFound(StateError):
    pass


class UserExists(StateError):
    pass


class UsernameNotAllowed(StateError):
    pass


class AlreadyInState(StateError):
    pass


def original_name(username: str) -> str:
    """The account name without a ``SUSPENDED_<timestamp>_`` prefix."""
    match = _SUSPENDED_NAME.match(username)
    return match.group(2) if match else username


def is_suspended(user: User) -> bool:
    return _SUSPENDED_NAME.match(user.username) is not None


class PanelState:
    """Accounts and plans of one mock panel, seeded from fixtures and resettable to them."""

    def __init__(self, fixtures: Fixtures, clock: Callable[[], float], password_hash_method: str) -> None:
        self._fixtures = fixtures
        self._clock = clock
        self._hash_method = password_hash_method
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget every change: back to the fixtures."""
        with self._lock:
            self._plans = {plan.id: copy.deepcopy(plan) for plan in self._fixtures.plans}
            self._users = {user.id: replace(user) for user in self._fixtures.users}
            self._next_user_id = max(self._users, default=0) + 1

    # -- reads -------------------------------------------------------------------------------

    def admin(self, username: str) -> Admin | None:
        """The OpenAdmin account allowed to log in under ``username`` (fixtures only; never changes)."""
        return next((admin for admin in self._fixtures.admins if admin.username == username), None)

    def users(self) -> list[User]:
        with self._lock:
            return [replace(user) for _, user in sorted(self._users.items())]

    def user(self, name: str) -> User:
        """The account called ``name``, or the suspended account whose original name it is."""
        with self._lock:
            return replace(self._find_user(name))

    def plans(self) -> list[Plan]:
        with self._lock:
            return [copy.deepcopy(plan) for _, plan in sorted(self._plans.items())]

    def plan(self, plan_id: int) -> Plan:
        with self._lock:
            try:
                return copy.deepcopy(self._plans[plan_id])
            except KeyError:
                raise PlanNotFound("Plan not found") from None

    def plan_name(self, plan_id: int | None) -> str | None:
        with self._lock:
            plan = self._plans.get(plan_id) if plan_id is not None else None
            return plan.name if plan else None

    # -- writes ------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, email: str, plan_name: str) -> User:
        # Hash outside the lock: it is the slow part and needs no shared state.
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._lock:
            if username.lower() in self._fixtures.forbidden_usernames or username.upper().startswith(SUSPENDED_PREFIX):
                raise UsernameNotAllowed("Username is not allowed")
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
            )
            self._users[user.id] = user
            self._next_user_id += 1
            return replace(user)

    def suspend(self, name: str) -> User:
        with self._lock:
            user = self._find_user(name)
            if is_suspended(user):
                raise AlreadyInState(f"User {original_name(user.username)} is already suspended")
            user.username = f"{SUSPENDED_PREFIX}{self._now():%Y%m%d%H%M%S}_{user.username}"
            return replace(user)

    def unsuspend(self, name: str) -> User:
        with self._lock:
            user = self._find_user(name)
            if not is_suspended(user):
                raise AlreadyInState(f"User {user.username} is not suspended")
            user.username = original_name(user.username)
            return replace(user)

    def set_password(self, name: str, password: str) -> User:
        password_hash = generate_password_hash(password, method=self._hash_method)
        with self._lock:
            user = self._find_user(name)
            user.password_hash = password_hash
            return replace(user)

    def change_plan(self, name: str, plan_name: str) -> tuple[User, str | None]:
        """Move the account; answers the account and the name of the plan it left."""
        with self._lock:
            user = self._find_user(name)
            plan = self._plan_by_name(plan_name)
            previous = self.plan_name(user.plan_id)
            user.plan_id = plan.id
            return replace(user), previous

    def delete_user(self, name: str) -> User:
        with self._lock:
            user = self._find_user(name)
            del self._users[user.id]
            return user

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

    def _plan_by_name(self, name: str) -> Plan:
        for plan in self._plans.values():
            if plan.name == name:
                return plan
        raise PlanNotFound(f"Plan '{name}' does not exist")
