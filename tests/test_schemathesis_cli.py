"""Plain ``schemathesis run`` with every check and a real token finds nothing on the mock.

This is the independent cross-check of the contract and the mock: schemathesis' own CLI, its own
phases (examples, coverage, fuzzing, stateful over the spec's links) and no code of ours between.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import requests

from contract_model import DEFAULT_SPEC, Contract
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock

#: Two settings of schemathesis' own: the stateful phase follows the spec's links only (its inferred
#: links pair fields by name, e.g. a transfer's log path as an account name), and a 413 for a body over
#: the panel's limit is a refusal like any 4xx.
CONFIG = """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

[phases.stateful.inference]
algorithms = []
"""


def test_schemathesis_cli_with_all_checks_finds_no_failure(tmp_path: Path):
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    with running_mock() as url:
        token = requests.post(
            f"{url}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=10
        ).json()["access_token"]
        result = subprocess.run(
            [
                executable,
                "--config-file",
                str(config),
                "run",
                str(DEFAULT_SPEC),
                "--url",
                url,
                "-H",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--max-examples",
                "15",
                "--seed",
                "1",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    assert result.returncode == 0, result.stdout[-4000:]
    operations = len(Contract.load().expressible)
    assert f"Selected: {operations}/{operations}" in result.stdout and "Stateful" in result.stdout
