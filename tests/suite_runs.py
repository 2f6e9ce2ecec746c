"""Run the conformance suite as a user would, and read its output back into individual failures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass

from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_RESELLER, DEMO_USERNAME

#: pytest centres a failure's name in underscores, down to one on each side for a long name.
_BLOCK = re.compile(r"^_+ (.+?) _+$", re.MULTILINE)
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
            lines = [line for line in block.splitlines() if line.startswith("E ")]
            # An error outside a test's body (a fixture's clean-up) has no E-lines, only its message.
            found.append(Failure(test, "\n".join(lines or block.strip().splitlines()[:3])))
    return found


def run_suite(url: str, *extra: str, max_examples: int = 8) -> subprocess.CompletedProcess[str]:
    """``openpanel-contract run`` against ``url`` as the demo administrator, seeded for repeatability."""
    env = {
        **os.environ,
        "OPENPANEL_USERNAME": DEMO_USERNAME,
        "OPENPANEL_PASSWORD": DEMO_PASSWORD,
        "OPENPANEL_RESELLER_USERNAME": DEMO_RESELLER[0],
        "OPENPANEL_RESELLER_PASSWORD": DEMO_RESELLER[1],
    }
    command = [
        sys.executable,
        "-m",
        "contract_tests.cli",
        "--base-url",
        url,
        "--max-examples",
        str(max_examples),
        "--seed",
        "1",
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
