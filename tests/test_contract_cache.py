"""The parsed contract's per-user cache: same data as parsing, and never an error of its own."""

from __future__ import annotations

from pathlib import Path

import yaml

from contract_model.contract import DEFAULT_SPEC, parse


def test_a_cached_parse_is_the_parse_and_a_broken_cache_is_rewritten(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    document = DEFAULT_SPEC.read_bytes()
    expected = yaml.safe_load(document)
    assert parse(document) == expected  # parsed, then written
    [cached] = (tmp_path / "openpanel-contract").iterdir()
    assert parse(document) == expected  # read back
    cached.write_bytes(b"not a pickle")
    assert parse(document) == expected
    assert cached.read_bytes() != b"not a pickle", "a broken cache file is replaced"
    assert parse(b"a: 1\n") == {"a": 1}, "another document has a file of its own"
    assert len(list((tmp_path / "openpanel-contract").iterdir())) == 2


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert parse(b"openapi: 3.1.0\n") == {"openapi": "3.1.0"}
