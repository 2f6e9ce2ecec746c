"""An account's container, as the suite names one: the run's own account comes with a compose
project, so the "container" the container operations act on is one of its services, discovered, never
made. Removing the account removes it; nothing is left to clean up on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contract_tests.run.resources import Resource, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox


@resource
class AccountContainer(Resource):
    # Removed before the account (removal_order 20), which takes its containers with it.
    noun, journal_kind, removal_order = "container", "container", 15
    # What "makes" one: a panel that does not serve it has none of ours.
    create_operation = "listUserContainers"

    def create(self, sandbox: Sandbox, name: str) -> str:
        from contract_tests.run.sandbox import SandboxError  # the sandbox imports this package

        owner = str(sandbox.value("user"))
        services = _services(sandbox.client, owner)
        if not services:
            raise SandboxError(f"the run's account {owner} lists no containers to act on")
        return sorted(services)[0]

    def exists(self, client: ApiClient, value: object) -> bool:
        return True  # one of the run's account's services: it lasts as long as the account

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        return None  # the journaled name was never sent; the account's removal takes the service


def _services(client: ApiClient, username: str) -> dict[str, Any]:
    try:
        services = client.call("listUserContainers", username=username).json().get("services")
    except (ValueError, AttributeError):
        return {}
    return services if isinstance(services, dict) else {}
