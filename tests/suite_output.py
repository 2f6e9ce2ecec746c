"""Read the conformance suite's pytest output back into individual failures (for the project's tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK = re.compile(r"^_{3,} (.+?) _{3,}$", re.MULTILINE)
_SCHEMATHESIS_ITEM = re.compile(r"^\s*\| - (ST\d+ .+)$", re.MULTILINE)


@dataclass(frozen=True)
class Failure:
    test: str
    text: str


def failures(output: str) -> list[Failure]:
    """One entry per failure: each schemathesis finding (STxxx) separately, else a test's E-lines."""
    body = output.split("short test summary info")[0]
    parts = _BLOCK.split(body)
    found = []
    for test, block in zip(parts[1::2], parts[2::2], strict=True):
        items = list(_SCHEMATHESIS_ITEM.finditer(block))
        if items:
            for index, item in enumerate(items):
                end = items[index + 1].start() if index + 1 < len(items) else len(block)
                found.append(Failure(test, block[item.start() : min(end, item.start() + 1500)]))
        else:
            found.append(Failure(test, "\n".join(line for line in block.splitlines() if line.startswith("E "))))
    return found
