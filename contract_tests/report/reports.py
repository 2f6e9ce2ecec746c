"""Run reports: JSON (to diff runs and write baselines), Markdown and the console (to read), and the
diff of two JSON reports.

A person reads a report top-down in a minute: the verdict, the server generation, then one line per
*cause* — a kind, a check, what was expected and what came — with the operations it happened on.
The evidence (messages, curl lines) follows below.
"""

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


def check_family(check: str) -> str:
    """Probes of one family are one cause: ``auth: alg none`` and ``auth: not a JWT`` → ``auth``."""
    family, separator, _ = check.partition(": ")
    return family if separator and family in ("auth", "negative input") else check


def causes(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings grouped by cause — kind, check (family), expected, received — blocking new ones first."""
    grouped: dict[tuple[str, ...], dict[str, Any]] = {}
    for finding in findings:
        family = check_family(finding["check"])
        key = (finding["kind"], family, finding.get("expected", ""), finding.get("received", ""))
        key += (finding["status"], finding["severity"])
        group = grouped.setdefault(
            key,
            {
                "kind": finding["kind"],
                "check": family,
                "expected": finding.get("expected", ""),
                "received": finding.get("received", ""),
                "status": finding["status"],
                "severity": finding["severity"],
                "checks": [],
                "operations": [],
                "example": finding,
            },
        )
        if finding["check"] not in group["checks"]:
            group["checks"].append(finding["check"])
        if finding["operation"] not in group["operations"]:
            group["operations"].append(finding["operation"])
    order = {"new": 0, "expired": 1, "accepted": 2}
    return sorted(
        grouped.values(),
        key=lambda c: (order[c["status"]], c["severity"] != BLOCKING, c["kind"], c["check"], -len(c["operations"])),
    )


def _cause_line(cause: dict[str, Any]) -> str:
    seen = ""
    if cause["expected"]:
        seen = f" (expected {cause['expected']}, got {cause['received'] or '?'})"
    elif cause["received"]:
        seen = f" (got {cause['received']})"
    count = len(cause["operations"])
    where = cause["operations"][0] if count == 1 else f"{count} operations"
    return f"[{cause['status']}/{cause['severity']}] {cause['kind']}: {cause['check']}{seen} — {where}"


def console_summary(terminal: Any, report: dict[str, Any]) -> None:
    """The verdict and its causes, one line each, at the end of the console output."""
    if "error" in report and report["verdict"] == "ERROR":
        terminal.write_line(f"openpanel-contract: {report['error']}", red=True)
        return
    terminal.section("OpenPanel contract")
    generation = report["generation"]
    terminal.write_line(f"server generation: {generation['name']} ({'; '.join(generation['evidence'])})")
    for cause in report["causes"]:
        terminal.write_line("  " + _cause_line(cause))
    for line in report.get("not_served_evidence", []):
        terminal.write_line(f"  [not served] {line}")
    for effect in report["effects_not_shown"]:
        terminal.write_line(f"  [not shown] {effect['operation']}: {effect['effect']} ({effect['why']})")
    for failure in report["unexplained_failures"]:
        terminal.write_line(f"  [error] {failure}", red=True)
    terminal.write_line(
        f"verdict: {report['verdict']} — {report['summary']} ({report['duration_seconds']:.1f} s)",
        bold=True,
        red=report["verdict"] != "PASS",
        green=report["verdict"] == "PASS",
    )


def markdown(report: dict[str, Any]) -> str:
    """Verdict, generation and causes first; then what was run per operation; then the evidence."""
    generation = report["generation"]
    lines = [
        "# OpenPanel contract report",
        "",
        f"**Verdict: {report['verdict']}** — {report['summary']}",
        "",
        f"* Target: `{report['target']}` — mode: **{report['mode']}**, seed: `{report.get('seed')}`,"
        f" {report['duration_seconds']:.1f} s",
        f"* Server generation: **{generation['name']}** ({'; '.join(generation['evidence'])})",
        *(f"* Not served: {line}" for line in report.get("not_served_evidence", [])),
        "",
        "## Causes",
        "",
    ]
    if report["causes"]:
        lines += [
            "| status | severity | kind | check | expected | received | operations |",
            "|---|---|---|---|---|---|---|",
        ]
        for cause in report["causes"]:
            ops = ", ".join(f"`{op}`" for op in cause["operations"][:6])
            more = f" and {len(cause['operations']) - 6} more" if len(cause["operations"]) > 6 else ""
            cells = [
                cause["status"],
                cause["severity"],
                cause["kind"],
                cause["check"],
                cause["expected"],
                cause["received"],
                ops + more,
            ]
            lines.append("| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |")
    else:
        lines.append("None: the deployment conforms to the contract.")
    for failure in report["unexplained_failures"]:
        lines.append(f"* **Error** (no finding explains it): {failure}")
    if report["effects_not_shown"]:
        lines += ["", "## Effects this panel does not show", ""]
        lines += [f"* `{e['operation']}`: {e['effect']} — {e['why']}" for e in report["effects_not_shown"]]
    lines += _operations_table(report)
    lines += ["", "## Evidence, one example per cause", ""]
    for index, cause in enumerate(report["causes"], start=1):
        example = cause["example"]
        lines += [
            f"### {index}. {cause['kind']}: {cause['check']} — {len(cause['operations'])} operation(s)",
            "",
            f"Severity: **{cause['severity']}**, status: **{cause['status']}**"
            + (f" (baseline: {example['reason']})" if example.get("reason") else ""),
            "",
            "Operations: " + ", ".join(f"`{op}`" for op in cause["operations"]),
            "",
            *([f"Checks: {', '.join(cause['checks'])}", ""] if len(cause["checks"]) > 1 else []),
            f"Example (`{example['operation']}`, {example['check']}):",
            "",
            "```",
            example["message"].strip()[:2000],
            "```",
        ]
        if example.get("reproduce"):
            lines += ["", "Reproduce:", "", "```bash", example["reproduce"], "```"]
        lines.append("")
    return "\n".join(lines) + "\n"


def _operations_table(report: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## Operations",
        "",
        "| operation | tests run | failed | seconds | blocking | warnings | accepted |",
        "|---|---|---|---|---|---|---|",
    ]
    counts: dict[str, Counter] = {}
    for finding in report["findings"]:
        status = "accepted" if finding["status"] == "accepted" else finding["severity"]
        counts.setdefault(finding["operation"], Counter())[status] += 1
    tallies = report.get("per_operation", {})
    scenarios = sorted((set(counts) | set(tallies)) - set(report["operations"]))
    for operation in [*report["operations"], *scenarios]:
        count, tally = counts.get(operation, Counter()), tallies.get(operation)
        ran = (
            [str(tally["passed"] + tally["failed"]), str(tally["failed"] or ""), f"{tally['seconds']:.1f}"]
            if tally
            else []
        )
        cells = [
            f"`{operation}`" if operation in report["operations"] else operation,
            *(ran or ["", "", ""]),
            *(str(count[kind] or "") for kind in (BLOCKING, WARNING, "accepted")),
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """New, fixed and unchanged findings between two runs, by (operation, kind, check)."""

    def keyed(report: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
        return {(f["operation"], f.get("kind", ""), f["check"]): f for f in report["findings"]}

    before, after = keyed(old), keyed(new)
    return {
        "new": [after[key] for key in sorted(after.keys() - before.keys())],
        "fixed": [before[key] for key in sorted(before.keys() - after.keys())],
        "unchanged": [after[key] for key in sorted(after.keys() & before.keys())],
    }
