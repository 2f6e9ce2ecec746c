"""The kinds of thing the suite creates on a panel, each with how it is made, found and removed.

A resource type answers three ``x-sandbox`` kinds: ``new-<noun>`` (a fresh name the request is about
to create), ``<noun>`` (one long-lived instance the run shares) and ``disposable-<noun>`` (one made
for a single request that deletes it). Each group of endpoints registers its own types here with
``@resource``; the sandbox, the journal and the clean-up know nothing of them beyond this interface.
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from contract_tests.config.settings import SANDBOX_PREFIX

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox


class Resource:
    """One kind of thing the suite creates. Subclasses say how; names always carry the sandbox prefix."""

    #: As in ``x-sandbox`` kinds (``user`` → ``new-user``, ``user``, ``disposable-user``).
    noun = ""
    #: As the journal records it (``account``, ``plan``, ``domain`` …).
    journal_kind = ""
    #: Clean-up order: lower first (a domain before the account it belongs to, the account before its plan).
    removal_order = 50
    #: The ``operationId`` that creates one: a panel that does not serve it (``run.served``) has none
    #: of ours to remove, whatever names the run reserved.
    create_operation = ""

    def fresh_name(self) -> str:
        return f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:12]}"

    def create(self, sandbox: Sandbox, name: str) -> object:
        """Create ``name`` (already journaled); answer what requests then name it by (name or id)."""
        raise NotImplementedError

    def exists(self, client: ApiClient, value: object) -> bool:
        raise NotImplementedError

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        """Remove it and confirm by reading; raise ``RemovalFailed`` when it may still be there."""
        raise NotImplementedError

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        """The prefixed ones the panel lists (what an interrupted run may have left), name → details."""
        return {}

    def absent(self, sandbox: Sandbox) -> object:
        """A value that names no such thing on the panel (for probes that must change nothing)."""
        return sandbox.fresh(self.noun)


RESOURCES: dict[str, Resource] = {}


def resource(cls: type[Resource]) -> type[Resource]:
    """Class decorator: register a resource type by its noun."""
    instance = cls()
    if instance.noun in RESOURCES:
        raise RuntimeError(f"two resource types for {instance.noun!r}")
    RESOURCES[instance.noun] = instance
    return cls


#: ``x-sandbox`` kinds a group adds that name no resource of ours but a value the run must look up
#: (one of the caller's own passkeys, the caller's password, a current TOTP code): kind → how a sandbox
#: finds it. Like ``existing-plan``, they are filled in valid requests only.
REFERENCE_KINDS: dict[str, Callable[[Sandbox], object]] = {}


def reference(kind: str) -> Callable[[Callable[[Sandbox], object]], Callable[[Sandbox], object]]:
    """Decorator: register how a sandbox finds the value of the reference kind ``kind``."""

    def register(find: Callable[[Sandbox], object]) -> Callable[[Sandbox], object]:
        if kind in REFERENCE_KINDS:
            raise RuntimeError(f"two reference kinds {kind!r}")
        REFERENCE_KINDS[kind] = find
        return find

    return register


def by_journal_kind(kind: str) -> Resource | None:
    return next((r for r in RESOURCES.values() if r.journal_kind == kind), None)


def _load_all() -> None:
    """Import every module of this package: each registers its group's types (a group adds a module)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_load_all()
