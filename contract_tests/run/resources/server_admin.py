"""What the suite may own on the machine of endpoint group B2: an authorized SSH key of root (only in
``--server-control`` runs), and — never — a process.

A key is one ``authorized_keys`` line shaped like an ed25519 key whose comment is the run's prefix, so
the leftovers command can tell it from the administrator's own keys; its random bytes are no key
anyone holds. The ``process`` kind exists only for requests that must be refused: the suite starts
no process on a panel, so it cannot make one, and any pid it named might be the panel itself.
"""

from __future__ import annotations

import base64
import os
import uuid
from typing import TYPE_CHECKING, Any

from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.removal import RemovalFailed, status_of
from contract_tests.run.resources import Resource, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox

#: Linux's highest possible ``pid_max`` (2^22): pids are below it, so this one names no process.
ABSENT_PID = 4194304
#: The wire header of an ed25519 public key (``\0\0\0\x0bssh-ed25519\0\0\0 ``), then 32 key bytes.
_ED25519_HEADER = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"


class KeysUnreadable(RemovalFailed):
    pass


def authorized_keys(client: ApiClient) -> list[str]:
    """The key lines the SSH overview lists; ``KeysUnreadable`` when its answer gives none."""
    response = client.call("getSshOverview")
    try:
        return [str(entry["key"]) for entry in response.json()["keys"]]
    except (ValueError, KeyError, TypeError):
        raise KeysUnreadable(f"GET /api/server/ssh answered {response.status_code} without a key list") from None


def _is_ours(line: str) -> bool:
    return line.rsplit(" ", 1)[-1].startswith(SANDBOX_PREFIX)


@resource
class SshKey(Resource):
    noun, journal_kind, removal_order = "ssh-key", "ssh-key", 10

    def fresh_name(self) -> str:
        blob = base64.b64encode(_ED25519_HEADER + os.urandom(32)).decode()
        return f"ssh-ed25519 {blob} {SANDBOX_PREFIX}-{uuid.uuid4().hex[:12]}"

    def create(self, sandbox: Sandbox, name: str) -> str:
        sandbox.expect_2xx(sandbox.client.call("changeSsh", json={"new_key": name}), "adding an SSH key")
        return name

    def exists(self, client: ApiClient, value: object) -> bool:
        try:
            return value in authorized_keys(client)
        except KeysUnreadable:
            return False

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if name not in authorized_keys(client):
            return
        status = status_of(client, "changeSsh", json={"key_to_remove": name})
        if name in authorized_keys(client):
            raise RemovalFailed(f"still authorized after the removal answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        try:
            return {line: {} for line in authorized_keys(client) if _is_ours(line)}
        except KeysUnreadable:
            return {}


@resource
class Process(Resource):
    noun, journal_kind, removal_order = "process", "process", 90

    def create(self, sandbox: Sandbox, name: str) -> object:
        from contract_tests.run.sandbox import SandboxError

        sandbox.forget(name)
        raise SandboxError("the suite starts no process on a panel: a kill is only sent to be refused")

    def exists(self, client: ApiClient, value: object) -> bool:
        return False

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        return None

    def absent(self, sandbox: Sandbox) -> object:
        return ABSENT_PID
