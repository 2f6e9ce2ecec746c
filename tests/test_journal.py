"""The journal: what a run may create is on disk before it is created, and clean-up finds it later."""

from __future__ import annotations

from pathlib import Path

from contract_tests.run.journal import Journal


def test_entries_fold_records_and_forgettings_per_target(tmp_path: Path):
    path = tmp_path / "j.jsonl"
    one, other = Journal(path, "http://one"), Journal(path, "http://other")
    one.record("account", "octesta")
    one.record("plan", "octest-plan-x")
    one.record("plan", "octest-plan-x", id=7)
    other.record("account", "octestb")
    one.forget("account", "octesta")
    assert set(one.entries()) == {("plan", "octest-plan-x")} and one.entries()[("plan", "octest-plan-x")]["id"] == 7
    assert set(other.entries()) == {("account", "octestb")}
    one.compact()
    assert path.read_text().count("\n") == 2, "compaction keeps only what may still exist, for every target"
    assert set(Journal(path, "http://other").entries()) == {("account", "octestb")}


def test_a_line_cut_short_by_a_crash_does_not_lose_the_rest(tmp_path: Path):
    path = tmp_path / "j.jsonl"
    journal = Journal(path, "http://one")
    journal.record("account", "octesta")
    with path.open("a") as stream:
        stream.write('{"base_url": "http://one", "kind": "acc')
    journal.record("account", "octestb")
    assert set(journal.entries()) == {("account", "octesta"), ("account", "octestb")}
