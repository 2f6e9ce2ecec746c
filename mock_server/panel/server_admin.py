"""The machine OpenAdmin 2.x manages (endpoint group B2): its cron file, SSH, time zone, cluster node,
processes, power and migration. Nothing here touches the real machine: a reboot or a migration is a
record with a start time, a killed process leaves a list.

The files are kept as the server has them (the crontab and ``sshd_config`` as lines of text) and read
the way the 2.x server reads them, so a change made through one route shows through the others.
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part
from mock_server.panel.server_files import SSH_SETTINGS, cron_line, parse_cron_line, ssh_settings

FIXTURE = "server_admin"
#: A fixtures directory without ``server_admin.yaml`` (one written before this group) gets a bare machine.
BARE = {
    "crontab": [],
    "ssh": {"status": "active", "config": "", "authorized_keys": []},
    "timezone": {"current": "UTC", "available": ["UTC"]},
    "cluster": {"default_node": "", "default_ssh_key_path": ""},
    "processes": [],
}
#: Sort key → (field, descending), as the 2.x process manager sorts.
PROCESS_SORTS = {
    **{key: (field, True) for key, field in [("cpu", "cpu_percent"), ("memory", "memory_percent")]},
    **{key: (key, True) for key in ("priority", "name", "owner", "command")},
    "pid": ("pid", False),
}


class CronJobNotFound(StateError):
    pass


class SshKeyNotFound(StateError):
    pass


class UnknownTimezone(StateError):
    pass


class NodeUnreachable(StateError):
    pass


class ProcessNotFound(StateError):
    pass


class MigrationRunning(StateError):
    pass


def _process(row: Any) -> dict[str, Any]:
    fields = ("pid", "name", "cpu_percent", "memory_percent", "priority", "owner", "command")
    if not isinstance(row, dict) or set(fields) - set(row):
        raise FixtureError(f"{FIXTURE}.yaml: a process needs {', '.join(fields)}: {row!r}")
    return {field: row[field] for field in fields}


@part
class ServerAdmin(StateDocument):
    """The machine's own state, one document: what each change route writes, its read route shows."""

    DOCUMENT = "server_admin"

    def _initial(self) -> dict[str, Any]:
        data = self._fixtures.group(FIXTURE) or BARE
        try:
            ssh, zones, cluster = data["ssh"], data["timezone"], data["cluster"]
            return {
                "crontab": [str(line) for line in data["crontab"]],
                "ssh": {"status": ssh["status"], "config": ssh["config"], "keys": list(ssh["authorized_keys"])},
                "timezone": zones["current"],
                "zones": sorted(zones["available"]),
                "node": {key: str(cluster[key]) for key in ("default_node", "default_ssh_key_path")},
                "reachable": dict(cluster.get("reachable", {})),
                "processes": [_process(row) for row in data["processes"]],
                "reboot_delay": dict(data.get("reboot_delay", {"graceful": 15, "hard": 10})),
                "migration_seconds": float(data.get("migration_seconds", 60)),
                "root_password_changes": 0,
                "caches_dropped": 0,
                "swap_cycles": 0,
                "reboot": None,
                "migration": None,
            }
        except (KeyError, TypeError) as error:
            raise FixtureError(f"{FIXTURE}.yaml: missing or malformed {error}") from None

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    # -- cron ---------------------------------------------------------------------------------

    def cron_jobs(self) -> list[dict[str, Any]]:
        with self._reading():
            lines = self._state["crontab"]
        return [
            {"line_number": number, **job}
            for number, line in enumerate(lines, start=1)
            if (job := parse_cron_line(line)) is not None
        ]

    def update_cron_jobs(self, changes: list[dict[str, Any]]) -> None:
        """Rewrite each named job line's schedule and logging; all or nothing."""
        with self._writing():
            lines = list(self._state["crontab"])
            for change in changes:
                number = change["line_number"]
                job = parse_cron_line(lines[number - 1]) if 1 <= number <= len(lines) else None
                if job is None:
                    raise CronJobNotFound(f"No cron job on line {number}")
                lines[number - 1] = cron_line(change["schedule"], job["command"], bool(change.get("logging")))
            self._state["crontab"] = lines

    # -- SSH ----------------------------------------------------------------------------------

    def ssh(self) -> dict[str, Any]:
        with self._reading():
            ssh = copy.deepcopy(self._state["ssh"])
        return {"status": ssh["status"], "config": ssh["config"], "keys": ssh["keys"], **ssh_settings(ssh["config"])}

    def ssh_action(self, action: str) -> None:
        with self._writing():
            self._state["ssh"]["status"] = "inactive" if action == "stop" else "active"

    def replace_ssh_config(self, config: str) -> None:
        with self._writing():
            self._state["ssh"]["config"] = config
            self._state["ssh"]["status"] = "active"

    def change_ssh_settings(self, changes: dict[str, str]) -> None:
        """Rewrite each named directive's lines (commented ones too); add the directive when absent."""
        by_key = {key: directive for directive, (key, _, _) in SSH_SETTINGS.items()}
        with self._writing():
            lines = self._state["ssh"]["config"].splitlines()
            for key, value in changes.items():
                directive = by_key[key]
                named = [i for i, line in enumerate(lines) if line.strip().lstrip("#").startswith(directive)]
                for index in named:
                    lines[index] = f"{directive} {value}"
                if not named:
                    lines.append(f"{directive} {value}")
            self._state["ssh"]["config"] = "\n".join(lines) + "\n"

    def add_ssh_key(self, key: str) -> None:
        with self._writing():
            self._state["ssh"]["keys"].append({"comment": "", "key": key.strip()})

    def remove_ssh_key(self, key: str) -> None:
        with self._writing():
            keys = self._state["ssh"]["keys"]
            kept = [entry for entry in keys if entry["key"] != key.strip()]
            if len(kept) == len(keys):
                raise SshKeyNotFound("SSH key not found")
            self._state["ssh"]["keys"] = kept

    # -- time zone, memory, cluster node -----------------------------------------------------

    def timezone(self) -> tuple[str, list[str]]:
        with self._reading():
            return self._state["timezone"], list(self._state["zones"])

    def set_timezone(self, zone: str) -> None:
        with self._writing():
            if zone not in self._state["zones"]:
                raise UnknownTimezone(f"Invalid timezone: {zone}")
            self._state["timezone"] = zone

    def drop(self, what: str) -> None:
        """``caches`` or ``swap``: counted, nothing else (the mock has no memory to free)."""
        with self._writing():
            self._state["caches_dropped" if what == "caches" else "swap_cycles"] += 1

    def node(self) -> dict[str, Any]:
        with self._reading():
            node, reachable = dict(self._state["node"]), self._state["reachable"]
        valid, error = None, ""
        if node["default_node"] and node["default_ssh_key_path"]:
            valid, error = self._reaches(reachable, node["default_node"], node["default_ssh_key_path"])
        return {**node, "ssh_valid": valid, "ssh_error": error}

    def set_node(self, changes: dict[str, str]) -> None:
        with self._writing():
            node, key = changes.get("default_node"), changes.get("default_ssh_key_path")
            if node and key:
                valid, error = self._reaches(self._state["reachable"], node, key)
                if not valid:
                    raise NodeUnreachable(f"SSH validation failed: {error}")
            self._state["node"].update(changes)

    @staticmethod
    def _reaches(reachable: dict[str, str], node: str, key: str) -> tuple[bool, str]:
        if node not in reachable:
            return False, f"ssh: connect to host {node} port 22: No route to host"
        if reachable[node] != key:
            return False, f"root@{node}: Permission denied (publickey)"
        return True, ""

    # -- processes ----------------------------------------------------------------------------

    def processes(self, sort: str = "cpu") -> list[dict[str, Any]]:
        field, descending = PROCESS_SORTS[sort.lstrip("-")]
        with self._reading():
            listed = copy.deepcopy(self._state["processes"])
        return sorted(listed, key=lambda p: p[field], reverse=descending != sort.startswith("-"))

    def kill(self, pid: int) -> None:
        with self._writing():
            processes = self._state["processes"]
            kept = [process for process in processes if process["pid"] != pid]
            if len(kept) == len(processes):
                raise ProcessNotFound(f"No process with PID {pid}")
            self._state["processes"] = kept

    # -- power and migration -----------------------------------------------------------------

    def change_root_password(self) -> None:
        with self._writing():
            self._state["root_password_changes"] += 1

    def reboot(self, kind: str, now: float) -> None:
        with self._writing():
            self._state["reboot"] = {"type": kind, "down_at": now + float(self._state["reboot_delay"][kind])}

    def reboot_status(self, now: float) -> str:
        """``rebooting`` from the request until the reboot's wait is over; then the mock is back ``up``."""
        with self._reading():
            reboot = self._state["reboot"]
        return "rebooting" if reboot and now < reboot["down_at"] else "up"

    def start_migration(self, host: str, account: str, now: float) -> None:
        with self._writing():
            if self._migration_status(now) == "running":
                raise MigrationRunning("A migration is already running.")
            self._state["migration"] = {"host": host, "account": account, "started": now}

    def migration(self, now: float) -> dict[str, str]:
        with self._reading():
            status = self._migration_status(now)
            started = self._state["migration"]
        if started is None:
            return {"status": status, "output": ""}
        lines = [f"Connecting to {started['host']} as {started['account']}...", "Copying /etc/openpanel..."]
        if status == "finished":
            lines.append("Migration completed.")
        return {"status": status, "output": "\n".join(lines) + "\n"}

    def _migration_status(self, now: float) -> str:
        started = self._state["migration"]
        if started is None:
            return "unknown"
        return "running" if now < started["started"] + self._state["migration_seconds"] else "finished"
