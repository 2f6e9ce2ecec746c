"""Run reports: JSON (to diff runs), Markdown (to read), and the diff of two JSON reports."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from contract_tests.config.settings import UsageError
from contract_tests.judge.findings import BLOCKING, WARNING


def write_json(report: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_json(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read report {path}: {error.strerror}") from None
    except ValueError:
        raise UsageError(f"{path} is not a JSON report of openpanel-contract") from None
    if not isinstance(report, dict) or not isinstance(report.get("findings"), list):
        raise UsageError(f"{path} is not a JSON report of openpanel-contract")
    return report


def markdown(report: dict[str, Any]) -> str:
    """A report a person reads: verdict, per-operation table, then each finding with its evidence."""
    findings = report["findings"]
    lines = [
        "# OpenPanel contract report",
        "",
        f"* Target: `{report['target']}` — mode: **{report['mode']}**, seed: `{report.get('seed')}`",
        f"* Server generation: **{report['generation']['name']}** ({'; '.join(report['generation']['evidence'])})",
        f"* Verdict: **{report['verdict']}** — {report['summary']}",
        f"* Duration: {report['duration_seconds']:.1f} s",
        "",
        "## Operations",
        "",
        "| operation | tests run | failed | seconds | blocking | warnings | accepted |",
        "|---|---|---|---|---|---|---|",
    ]
    counts: dict[str, Counter] = {}
    for finding in findings:
        status = "accepted" if finding["status"] in ("accepted",) else finding["severity"]
        counts.setdefault(finding["operation"], Counter())[status] += 1
    tallies = report.get("per_operation", {})
    scenarios = sorted((set(counts) | set(tallies)) - set(report["operations"]))
    for operation in [*report["operations"], *scenarios]:
        count, tally = counts.get(operation, Counter()), tallies.get(operation)
        ran = [str(tally["passed"] + tally["failed"]), str(tally["failed"] or ""), f"{tally['seconds']:.1f}"]
        cells = [
            f"`{operation}`" if operation in report["operations"] else operation,
            *(ran if tally else ["", "", ""]),
            *(str(count[kind] or "") for kind in (BLOCKING, WARNING, "accepted")),
        ]
        lines.append(f"| {' | '.join(cells)} |")
    lines += ["", "## Findings", ""]
    if not findings:
        lines.append("None: the deployment conforms to the contract.")
    for index, finding in enumerate(findings, start=1):
        lines += [
            f"### {index}. `{finding['operation']}` — {finding['check']}",
            "",
            f"Severity: **{finding['severity']}**, status: **{finding['status']}**"
            + (f" (baseline: {finding['reason']})" if finding.get("reason") else ""),
            "",
            "```",
            finding["message"].strip()[:4000],
            "```",
        ]
        if finding.get("reproduce"):
            lines += ["", "Reproduce:", "", "```bash", finding["reproduce"], "```"]
        lines.append("")
    return "\n".join(lines) + "\n"


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """New, fixed and unchanged findings between two runs, by (operation, check)."""

    def keyed(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(f["operation"], f["check"]): f for f in report["findings"]}

    before, after = keyed(old), keyed(new)
    return {
        "new": [after[key] for key in sorted(after.keys() - before.keys())],
        "fixed": [before[key] for key in sorted(before.keys() - after.keys())],
        "unchanged": [after[key] for key in sorted(after.keys() & before.keys())],
    }
