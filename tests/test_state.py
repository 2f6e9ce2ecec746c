"""Panel state: the real panel's renaming and look-up rules, a model-based property test, thread safety."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from contract_model import original_name
from mock_server.config import DEFAULT_FIXTURES
from mock_server.panel.errors import AlreadyInState, PlanNotFound, UserExists, UsernameNotAllowed, UserNotFound
from mock_server.panel.fixtures import load_fixtures
from mock_server.panel.hosting import Hosting

FIXTURES = load_fixtures(DEFAULT_FIXTURES)
FAST_HASH = "pbkdf2:sha256:1000"


@pytest.fixture
def state(clock) -> Hosting:
    return Hosting(FIXTURES, clock, FAST_HASH)


def test_suspend_renames_with_utc_timestamp_and_unsuspend_restores(state, clock):
    clock.now = datetime(2026, 3, 1, 8, 5, 9, tzinfo=UTC).timestamp()
    assert state.suspend("stefan").username == "SUSPENDED_20260301080509_stefan"
    assert state.user("stefan").username == "SUSPENDED_20260301080509_stefan"
    with pytest.raises(AlreadyInState):
        state.suspend("stefan")
    assert state.unsuspend("stefan").username == "stefan"
    with pytest.raises(AlreadyInState):
        state.unsuspend("stefan")


def test_suspended_fixture_account_is_found_by_either_name(state):
    assert state.user("jasta").id == 12
    assert state.user("SUSPENDED_20240103122300_jasta").id == 12


def test_create_appends_with_next_id_and_now(state, clock):
    user = state.create_user("newbie", "pw", "n@example.com", "Standard plan")
    assert user.id == max(u.id for u in FIXTURES.users) + 1
    assert user.registered_date.timestamp() == int(clock.now)
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")
    assert state.users()[-1].username == "newbie"


@pytest.mark.parametrize(
    ("username", "plan", "error"),
    [
        ("stefan", "Standard plan", UserExists),
        ("jasta", "Standard plan", UserExists),  # taken by a suspended account
        ("ROOT", "Standard plan", UsernameNotAllowed),  # forbidden list, case-insensitive
        ("suspended_x_y", "Standard plan", UsernameNotAllowed),
        ("fresh", "Gold", PlanNotFound),
    ],
)
def test_create_refusals_leave_state_unchanged(state, username, plan, error):
    before = state.users()
    with pytest.raises(error):
        state.create_user(username, "pw", "e@example.com", plan)
    assert state.users() == before


def test_ids_are_never_reused_after_delete(state):
    first = state.create_user("one", "pw", "e@x.io", "Standard plan")
    state.delete_user("one")
    assert state.create_user("two", "pw", "e@x.io", "Standard plan").id == first.id + 1


def test_change_plan_and_password(state):
    user, previous = state.change_plan("maria", "Developer Plus")
    assert (previous, state.plan_name(user.plan_id)) == ("Standard plan", "Developer Plus")
    old_hash = state.user("maria").password_hash
    assert state.set_password("maria", "another").password_hash != old_hash


def test_reset_restores_fixtures(state):
    state.create_user("newbie", "pw", "e@x.io", "Standard plan")
    state.delete_user("stefan")
    state.reset()
    assert [u.username for u in state.users()] == [u.username for u in FIXTURES.users]


def test_reads_are_copies(state):
    state.user("stefan").username = "mallory"
    assert state.user("stefan").username == "stefan"


def test_concurrent_writers_keep_ids_unique_and_lose_nothing(state):
    names = [f"worker{i}" for i in range(64)]
    barrier = threading.Barrier(16)

    def work(chunk: list[str]) -> None:
        barrier.wait()
        for name in chunk:
            state.create_user(name, "pw", f"{name}@x.io", "Standard plan")
            state.suspend(name)
            state.unsuspend(name)

    threads = [threading.Thread(target=work, args=(names[i::16],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    users = state.users()
    ids = [u.id for u in users]
    assert len(ids) == len(set(ids))
    assert set(names) <= {u.username for u in users}


NAMES = st.sampled_from(["alpha", "beta", "gamma", "stefan", "jasta"])
PLANS = st.sampled_from(["Standard plan", "Developer Plus", "Gold"])


class PanelModel(RuleBasedStateMachine):
    """Any sequence of API-level changes keeps the state equal to a plain dictionary model."""

    def __init__(self) -> None:
        super().__init__()
        self.state = Hosting(FIXTURES, lambda: 1_790_000_000.0, FAST_HASH)
        plans = {p.id: p.name for p in FIXTURES.plans}
        self.model = {
            original_name(u.username): {"suspended": u.username != original_name(u.username), "plan": plans[u.plan_id]}
            for u in FIXTURES.users
        }

    @rule(name=NAMES, plan=PLANS)
    def create(self, name, plan):
        try:
            self.state.create_user(name, "pw", "e@x.io", plan)
        except UserExists:
            assert name in self.model
        except PlanNotFound:
            assert plan == "Gold" and name not in self.model
        else:
            assert name not in self.model and plan != "Gold"
            self.model[name] = {"suspended": False, "plan": plan}

    @rule(name=NAMES)
    def suspend(self, name):
        try:
            self.state.suspend(name)
        except UserNotFound:
            assert name not in self.model
        except AlreadyInState:
            assert self.model[name]["suspended"]
        else:
            assert not self.model[name]["suspended"]
            self.model[name]["suspended"] = True

    @rule(name=NAMES)
    def unsuspend(self, name):
        try:
            self.state.unsuspend(name)
        except UserNotFound:
            assert name not in self.model
        except AlreadyInState:
            assert not self.model[name]["suspended"]
        else:
            self.model[name]["suspended"] = False

    @rule(name=NAMES, plan=PLANS)
    def change_plan(self, name, plan):
        try:
            self.state.change_plan(name, plan)
        except UserNotFound:
            assert name not in self.model
        except PlanNotFound:
            assert plan == "Gold"
        else:
            self.model[name]["plan"] = plan

    @precondition(lambda self: self.model)
    @rule(name=NAMES)
    def delete(self, name):
        try:
            self.state.delete_user(name)
        except UserNotFound:
            assert name not in self.model
        else:
            del self.model[name]

    @invariant()
    def matches_model(self):
        actual = {
            original_name(u.username): {
                "suspended": u.username != original_name(u.username),
                "plan": self.state.plan_name(u.plan_id),
            }
            for u in self.state.users()
        }
        assert actual == self.model
        ids = [u.id for u in self.state.users()]
        assert len(ids) == len(set(ids))


TestPanelModel = PanelModel.TestCase
TestPanelModel.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
