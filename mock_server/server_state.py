"""Server-wide state that is not about accounts: services, the notification log, and metrics."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any

from mock_server.fixtures import Fixtures, Notification
from mock_server.state import StateError
from mock_server.store import Replica, Store


class ServiceNotFound(StateError):
    pass


class NotificationNotFound(StateError):
    pass


class ServicesState:
    """The monitored-services file (kept verbatim, extra keys included, as the panel writes it) and
    which dashboard services run."""

    _PAST = {"start": "started", "stop": "stopped", "restart": "restarted"}
    DOCUMENT = "services"

    def __init__(self, fixtures: Fixtures, store: Store | None = None) -> None:
        self._fixtures = fixtures
        self._store = store or Store()
        self._store.attach(self.DOCUMENT, Replica(self._dump, self._load, self._initial))

    def reset(self) -> None:
        with self._store.writing(self.DOCUMENT):
            self._load(self._initial())

    def _initial(self) -> dict[str, Any]:
        return {
            "entries": [service.as_json() for service in self._fixtures.services],
            "stopped": sorted(self._fixtures.stopped_services),
        }

    def _dump(self) -> dict[str, Any]:
        return {"entries": self._entries, "stopped": sorted(self._stopped)}

    def _load(self, document: dict[str, Any]) -> None:
        self._entries = document["entries"]
        self._stopped = set(document["stopped"])

    def entries(self) -> list[dict[str, Any]]:
        with self._store.reading():
            return copy.deepcopy(self._entries)

    def replace_all(self, entries: list[dict[str, Any]]) -> None:
        with self._store.writing(self.DOCUMENT):
            self._entries = copy.deepcopy(entries)

    def statuses(self) -> list[dict[str, Any]]:
        with self._store.reading():
            return [
                {**copy.deepcopy(entry), "status": "Inactive" if entry["real_name"] in self._stopped else "Active"}
                for entry in self._entries
                if entry.get("on_dashboard") is True
            ]

    def control(self, action: str, real_name: str) -> str:
        """Start, stop or restart a dashboard service; answer the panel's sentence."""
        with self._store.writing(self.DOCUMENT):
            dashboard = (e for e in self._entries if e.get("on_dashboard") is True)
            entry = next((e for e in dashboard if e["real_name"] == real_name), None)
            if entry is None:
                raise ServiceNotFound(f"Invalid service: {real_name}")
            if action == "stop":
                self._stopped.add(real_name)
            else:
                self._stopped.discard(real_name)
            name = str(entry["name"])
            return f"{name[:1].upper()}{name[1:]} {self._PAST[action]} successfully"


class NotificationLog:
    """The administrator's notification log; positions count from the newest, starting at 1."""

    DOCUMENT = "notifications"

    def __init__(self, fixtures: Fixtures, store: Store | None = None) -> None:
        self._fixtures = fixtures
        self._store = store or Store()
        self._store.attach(self.DOCUMENT, Replica(self._dump, self._load, self._initial))

    def reset(self) -> None:
        with self._store.writing(self.DOCUMENT):
            self._load(self._initial())

    def _initial(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self._fixtures.notifications]

    def _dump(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self._lines]

    def _load(self, document: list[dict[str, Any]]) -> None:
        self._lines = [Notification(**line) for line in document]

    def newest_first(self) -> list[tuple[int, Notification]]:
        with self._store.reading():
            return [(position, replace(line)) for position, line in enumerate(reversed(self._lines), start=1)]

    def mark_read(self, position: int, every: bool = False) -> None:
        with self._store.writing(self.DOCUMENT):
            for line in self._lines if every else [self._at(position)]:
                line.status = "READ"

    def delete(self, position: int, every: bool = False) -> None:
        with self._store.writing(self.DOCUMENT):
            if every:
                self._lines.clear()
            else:
                self._lines.remove(self._at(position))

    def _at(self, position: int) -> Notification:
        if not 1 <= position <= len(self._lines):
            raise NotificationNotFound("Invalid line number")
        return self._lines[len(self._lines) - position]


class Metrics:
    """CPU, memory, disks and system facts from ``server.yaml``; ``live`` makes CPU and memory drift."""

    def __init__(self, server: dict[str, Any], clock: Callable[[], float], live: bool = False) -> None:
        self._server = server
        self._clock = clock
        self._random = random.Random() if live else None

    def cpu(self) -> dict[str, float]:
        values = self._server.get("cpu_percent", [0.0])
        return {f"core_{index}": self._drift(float(value), 0, 100) for index, value in enumerate(values)}

    def memory(self) -> dict[str, Any]:
        memory = self._server.get("memory", {"total": 1, "available": 1})
        total = int(memory["total"])
        available = int(self._drift(float(memory["available"]), 0, total))
        used = total - available
        percent = round(used / total * 100, 1) if total else 0.0
        return {
            "human_readable_info": {
                "available": _gib(available),
                "percent": f"{percent}%",
                "total": _gib(total),
                "used": _gib(used),
            },
            "ram_info": {"available": available, "percent": percent, "total": total, "used": used},
        }

    def partitions(self) -> list[dict[str, Any]]:
        result = []
        for partition in self._server.get("partitions", []):
            used, free = int(partition["used"]), int(partition["free"])
            percent = round(used / (used + free) * 100, 1) if used + free else 0.0
            result.append({**partition, "percent": percent})
        return result

    def system(self) -> dict[str, Any]:
        facts = dict(self._server.get("system", {}))
        now = self._clock()
        boot = facts.pop("boot_time", None)
        boot_seconds = boot.timestamp() if isinstance(boot, datetime) else now
        return {
            "hostname": facts.get("hostname", ""),
            "os": facts.get("os", ""),
            "time": datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "kernel": facts.get("kernel", ""),
            "cpu": facts.get("cpu", ""),
            "openpanel_version": str(facts.get("openpanel_version", "")),
            "uptime": str(max(0, int(now - boot_seconds))),
            "running_processes": int(facts.get("running_processes", 0)),
            "package_updates": int(facts.get("package_updates", 0)),
        }

    def usage_stats(self) -> list[dict[str, Any]]:
        return list(self._server.get("usage_stats", []))

    def engine_info(self) -> dict[str, Any]:
        return dict(self._server.get("docker_info", {"ServerVersion": "unknown"}))

    def engine_contexts(self) -> list[dict[str, Any]]:
        return list(self._server.get("docker_contexts", []))

    def _drift(self, value: float, low: float, high: float) -> float:
        if self._random is None:
            return value
        spread = max(1.0, abs(value) * 0.2)
        return round(min(high, max(low, value + self._random.uniform(-spread, spread))), 1)


def _gib(value: int) -> str:
    return f"{value / 1024**3:.2f} GB"
