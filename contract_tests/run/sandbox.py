"""What the suite creates on a panel: prefixed names, journaled before they are sent, and removed
again even after failures.

Operations that change things name, in the spec's ``x-sandbox`` extension, which of their inputs must
point at the suite's own resources (``path.username: user``, ``body.name: new-plan`` …); the contract
model parses them into ``SandboxRule`` s and the resource types (``run.resources``) say how to make
and remove each kind of thing. This module applies the rules to requests and keeps the books.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from contract_model import Operation, SandboxRule
from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.client import ApiClient
from contract_tests.run.journal import Journal
from contract_tests.run.removal import RemovalFailed
from contract_tests.run.resources import REFERENCE_KINDS, RESOURCES, Resource, by_journal_kind
from contract_tests.run.resources.hosting import plan_ids
from contract_tests.run.served import Serving

#: Kinds that name something the panel already has, rather than something of ours.
REFERENCES = frozenset({"existing-plan", "other-plan", *REFERENCE_KINDS})


class SandboxError(Exception):
    """The suite could not set up or remove its own test resources."""


class Sandbox:
    """Everything the suite owns on the panel under test, by resource type."""

    def __init__(self, client: ApiClient, journal: Journal | None = None) -> None:
        self.client = client
        #: Every name is written here before the request that may create it is sent.
        self.journal = journal or Journal(None, client.target.base_url)
        #: noun → name → what is known of it (a plan's ``id``).
        self.tracked: dict[str, dict[str, dict[str, Any]]] = {noun: {} for noun in RESOURCES}
        self._shared: dict[str, object] = {}
        self._plan_names: list[str] = []
        self._lock = threading.RLock()
        #: What the panel serves at all (set by the run once it has asked).
        self.serving = Serving()
        # The panel's own plans, discovered: an example's plan name exists on one era's panels only.
        self._references: dict[str, Callable[[], object]] = {
            "existing-plan": self.plan_name,
            "other-plan": lambda: self.plan_name(second=True),
            **{kind: functools.partial(find, self) for kind, find in REFERENCE_KINDS.items()},
        }

    # -- x-sandbox kinds ---------------------------------------------------------------------

    def value(self, kind: str) -> object:
        """A sandbox value of ``kind`` (as named in ``x-sandbox``)."""
        if kind in self._references:
            return self._references[kind]()
        how, _, noun = kind.partition("-") if kind.startswith(("new-", "disposable-")) else ("", "", kind)
        if noun not in RESOURCES:
            raise SandboxError(f"the spec names an unknown x-sandbox kind {kind!r}")
        if how == "new":
            return self.fresh(noun)
        if how == "disposable":
            return self.create(noun)
        return self._shared_value(noun)

    def absent(self, kind: str) -> object:
        """A value of ``kind`` that names nothing on the panel (tracked, in case it gets created anyway);
        a reference to the panel's own things stays real."""
        if kind in REFERENCES:
            return self.value(kind)
        noun = kind.split("-", 1)[1] if kind.startswith(("new-", "disposable-")) else kind
        if noun not in RESOURCES:
            raise SandboxError(f"the spec names an unknown x-sandbox kind {kind!r}")
        return RESOURCES[noun].absent(self)

    # -- applying the rules --------------------------------------------------------------------

    def confine(
        self,
        rules: Iterable[SandboxRule],
        path: dict[str, Any],
        body: Any,
        *,
        negative_path: bool = False,
        negative_body: bool = False,
    ) -> tuple[dict[str, Any], Any]:
        """A generated request's inputs, pointed at our own resources before it is sent.

        Deliberately invalid values are left alone: they must be refused, and no real resource can
        carry them. Names the sandbox handed out before (carried over a link) are kept. References
        to the panel's own things (``existing-plan``) are filled in valid requests only: in a
        deliberately invalid one they would turn it valid.
        """
        for rule in rules:
            if rule.location == "path" and rule.name in path and not negative_path:
                if not _ours(path[rule.name]):
                    path = {**path, rule.name: self.value(rule.kind)}
            elif (
                rule.location == "body"
                and isinstance(body, dict)
                and _sendable(body.get(rule.name))
                and not (rule.kind in REFERENCES and negative_body)
                and (rule.fresh or not _ours(body[rule.name]))
            ):
                body = {**body, rule.name: self.value(rule.kind)}
        return path, body

    def forget_refused(self, rules: Iterable[SandboxRule], path: dict[str, Any] | None, body: Any) -> None:
        """The panel refused a request: the fresh names it carried were never created."""
        for rule in rules:
            values = body if rule.location == "body" else path
            if rule.fresh and isinstance(values, dict):
                self.forget(values.get(rule.name))

    # -- the books -----------------------------------------------------------------------------

    def fresh(self, noun: str) -> str:
        """A fresh, recognisable name of that kind, journaled before it is ever sent."""
        resource = RESOURCES[noun]
        name = resource.fresh_name()
        self.journal.record(resource.journal_kind, name)
        with self._lock:
            self.tracked[noun][name] = {}
        return name

    def create(self, noun: str) -> object:
        """One of our own, made now; what requests name it by."""
        return RESOURCES[noun].create(self, self.fresh(noun))

    def track(self, noun: str, name: str, **details: Any) -> None:
        """Something known of one of ours from now on (a plan's id: a panel may rename it)."""
        self.journal.record(RESOURCES[noun].journal_kind, name, **details)
        with self._lock:
            self.tracked[noun].setdefault(name, {}).update(details)

    def forget(self, value: object) -> None:
        """A name the panel refused to create: nothing to clean up (unless something is known of it)."""
        if not isinstance(value, str):
            return
        with self._lock:
            for noun, names in self.tracked.items():
                if value in names and not names[value]:
                    del names[value]
                    self.journal.forget(RESOURCES[noun].journal_kind, value)

    def adopt(self, kind: str, name: str, entry: dict[str, Any]) -> None:
        """Take over a leftover of an earlier run (journal ``kind``), for clean-up."""
        resource = by_journal_kind(kind)
        if resource is not None:
            self.tracked[resource.noun].setdefault(name, {}).update({k: v for k, v in entry.items() if k == "id"})

    # -- the panel's own things ----------------------------------------------------------------

    def plan_name(self, *, second: bool = False) -> str:
        """A plan of the panel's own (not one the suite made) to create accounts on, or to move one to."""
        if not self._plan_names:
            response = self.client.call("listPlans")
            try:
                plans = [plan["name"] for plan in response.json()["plans"]]
            except (ValueError, KeyError, TypeError):
                plans = []
            self._plan_names = [name for name in plans if isinstance(name, str) and not _ours(name)]
            if not self._plan_names:
                raise SandboxError(f"GET /api/plans answered {response.status_code}: no plan to use")
        return self._plan_names[1 if second and len(self._plan_names) > 1 else 0]

    def find_plan_id(self, name: str, response: Any) -> int:
        """The id of a plan just created: from its answer, or (servers that do not answer it) the list."""
        try:
            return int(response.json()["plan"]["id"])
        except (ValueError, KeyError, TypeError):
            plan_id = plan_ids(self.client).get(name)
            if plan_id is None:
                raise SandboxError(f"created plan {name} is not in GET /api/plans") from None
            return plan_id

    # -- names the hosting scenarios use -------------------------------------------------------

    def new_name(self) -> str:
        return self.fresh("user")

    def new_plan_name(self) -> str:
        return self.fresh("plan")

    def new_domain(self) -> str:
        return self.fresh("domain")

    # -- clean-up ------------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Remove everything this run created, each confirmed by a read; answer what could not be removed."""
        leftovers = []
        for resource in sorted(RESOURCES.values(), key=lambda r: r.removal_order):
            unserved = resource.create_operation in self.serving.unserved
            for name, entry in sorted(self.tracked[resource.noun].items()):
                if unserved:  # the panel cannot have made it
                    self.journal.forget(resource.journal_kind, name)
                    continue
                try:
                    resource.remove(self.client, name, entry)
                except RemovalFailed as problem:
                    leftovers.append(f"{resource.journal_kind} {name} ({problem})")
                    continue
                self.journal.forget(resource.journal_kind, name)
            self.tracked[resource.noun].clear()
        self._shared.clear()
        self.journal.compact()
        return leftovers

    # -- internals -----------------------------------------------------------------------------

    def _shared_value(self, noun: str) -> object:
        """One long-lived resource per kind for operations that change but do not delete it."""
        resource: Resource = RESOURCES[noun]
        with self._lock:
            value = self._shared.get(noun)
            if value is None or not resource.exists(self.client, value):
                value = self._shared[noun] = self.create(noun)
            return value

    @staticmethod
    def expect_2xx(response: Any, what: str) -> None:
        if not 200 <= response.status_code < 300:
            raise SandboxError(f"{what} answered {response.status_code}: {response.text[:200]}")


def documented_request(operation: Operation, sandbox: Sandbox | None, *, absent: bool = False) -> tuple[str, Any]:
    """Path and body from the spec's examples, every ``x-sandbox`` input pointed at our own resources
    (or, with ``absent``, at resources that do not exist). Operations without rules need no sandbox."""
    params: dict[str, object] = {}
    body = operation.example_body()
    for rule in operation.sandbox:
        if sandbox is None:
            raise SandboxError(f"{operation.operation_id} writes: it needs the sandbox")
        value = sandbox.absent(rule.kind) if absent else sandbox.value(rule.kind)
        if rule.location == "path":
            params[rule.name] = value
        elif isinstance(body, dict):
            body[rule.name] = value
    return operation.path_with(**params), body


def _ours(value: object) -> bool:
    """A name the sandbox handed out (e.g. carried over a link from an earlier create): keep it."""
    return isinstance(value, str) and value.startswith(SANDBOX_PREFIX)


def _sendable(value: object) -> bool:
    # Only replace values of the documented kind; a wrong type is negative data and must stay.
    return isinstance(value, str | int) and not isinstance(value, bool)
