"""Fixture files: the built-in ones load and hold only hashes; broken ones fail with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mock_server.config import DEFAULT_FIXTURES
from mock_server.panel.fixtures import FixtureError, load_fixtures


def test_builtin_fixtures_load_with_the_plans_clients_name():
    fixtures = load_fixtures(DEFAULT_FIXTURES)
    names = {plan.name for plan in fixtures.plans}
    assert {"default_plan_nginx", "default_plan_apache", "Standard plan", "Developer Plus"} <= names
    users = {user.username for user in fixtures.users}
    assert {"SUSPENDED_20240103122300_jasta", "example_user", "stefan"} <= users


def test_fixture_passwords_are_werkzeug_hashes_never_plain_text():
    fixtures = load_fixtures(DEFAULT_FIXTURES)
    for record in [*fixtures.admins, *fixtures.users]:
        method, salt, digest = record.password_hash.split("$")
        assert method.startswith("pbkdf2:sha256:") and len(salt) == 16 and len(digest) == 64


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, target)
    return target


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("users.yaml", "users: [", "not valid YAML"),
        ("plans.yaml", "plans: {}", "expected a top-level 'plans:' list"),
        ("admins.yaml", "admins: []", "at least one administrator"),
        (
            "users.yaml",
            "users:\n  - {id: 1, username: a, email: e, password_hash: h, plan_id: 99,"
            " registered_date: 2024-01-01T00:00:00Z}",
            "plan_id 99",
        ),
        ("users.yaml", "users:\n  - {id: 1, username: a}", "users.yaml"),
        ("plans.yaml", "plans:\n  - {id: 1, name: a}\n  - {id: 1, name: b}", "duplicate plan id 1"),
        (
            "users.yaml",
            "users:\n  - {id: 1, username: a, email: e, password_hash: h, plan_id: null, registered_date: yesterday}",
            "not ISO 8601",
        ),
    ],
)
def test_broken_fixture_files_are_named_in_the_error(fixture_copy: Path, file: str, content: str, message: str):
    (fixture_copy / file).write_text(content, encoding="utf-8")
    with pytest.raises(FixtureError, match=message):
        load_fixtures(fixture_copy)


def test_missing_fixture_file(fixture_copy: Path):
    (fixture_copy / "plans.yaml").unlink()
    with pytest.raises(FixtureError, match="file not found"):
        load_fixtures(fixture_copy)
