"""Server facts and resource figures, from ``server.yaml``."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any


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
