"""Group C1 as a state machine: any sequence of administrator actions leaves the list exactly as a
plain model of the accounts says, and every account the model has can log in with its last password."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from contract_model import Contract
from mock_server import create_app

DOCUMENT = Contract.load()
NAMES = st.sampled_from(["octest_a", "octest_b", "octest_c"])
PASSWORDS = st.sampled_from(["Pass-one1", "Pass-two2"])


class AdministratorAccounts(RuleBasedStateMachine):
    """The mock against a dictionary: name → (password, active)."""

    def __init__(self) -> None:
        super().__init__()
        app = create_app(raise_on_contract_violation=True, password_hash_method="pbkdf2:sha256:1000")
        self.client = app.test_client()
        token = self.client.post("/api/", json={"username": "admin", "password": "openpanel-mock"}).json
        self.auth = {"Authorization": f"Bearer {token['access_token']}"}
        self.model: dict[str, tuple[str, bool]] = {}

    def _act(self, **body: str) -> int:
        operation = DOCUMENT.operation("manageAdministrator")
        response = self.client.open(operation.path, method=operation.method, headers=self.auth, json=body)
        schema = DOCUMENT.response_schema(operation.operation_id, response.status_code)
        assert schema is not None and not DOCUMENT.schema_errors(response.json, schema)
        return response.status_code

    @rule(name=NAMES, password=PASSWORDS)
    def create(self, name: str, password: str) -> None:
        status = self._act(action="create", username=name, password=password)
        assert status == (409 if name in self.model else 200)
        self.model.setdefault(name, (password, True))

    @rule(name=NAMES, password=PASSWORDS)
    def reset_password(self, name: str, password: str) -> None:
        status = self._act(action="reset_password", username=name, new_password=password)
        assert status == (200 if name in self.model else 404)
        if name in self.model:
            self.model[name] = (password, self.model[name][1])

    @rule(name=NAMES, suspend=st.booleans())
    def suspend_or_unsuspend(self, name: str, suspend: bool) -> None:
        status = self._act(action="suspend" if suspend else "unsuspend", username=name)
        assert status == (200 if name in self.model else 404)
        if name in self.model:
            self.model[name] = (self.model[name][0], not suspend)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), new=NAMES)
    def rename(self, data: st.DataObject, new: str) -> None:
        old = data.draw(st.sampled_from(sorted(self.model)))
        status = self._act(action="rename_user", username=old, new_username=new)
        assert status == (409 if new in self.model else 200)
        if new not in self.model:
            self.model[new] = self.model.pop(old)

    @rule(name=NAMES)
    def delete(self, name: str) -> None:
        assert self._act(action="delete", username=name) == (200 if name in self.model else 404)
        self.model.pop(name, None)

    @invariant()
    def listed_as_modelled(self) -> None:
        rows = self.client.get(DOCUMENT.operation("listAdministrators").path, headers=self.auth).json
        ours = {row["username"]: row["is_active"] for row in rows if row["username"].startswith("octest")}
        assert ours == {name: active for name, (_, active) in self.model.items()}
        assert {"admin", "opsupport"} <= {row["username"] for row in rows}, "the fixtures' accounts stay"

    @invariant()
    def each_logs_in_with_its_last_password(self) -> None:
        for name, (password, _) in self.model.items():
            response = self.client.post("/api/", json={"username": name, "password": password})
            assert response.status_code == 200, name


AdministratorAccounts.TestCase.settings = settings(max_examples=15, stateful_step_count=12, deadline=None)
test_administrator_actions_follow_the_model = AdministratorAccounts.TestCase


def test_listed_second_factors_are_the_accounts_own_and_the_super_admin_clears_them():
    """The rows show group B1's per-administrator passkeys; `disable_passkeys` removes them."""
    client = create_app(raise_on_contract_violation=True, password_hash_method="pbkdf2:sha256:1000").test_client()
    token = client.post("/api/", json={"username": "admin", "password": "openpanel-mock"}).json["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    listing, manage = DOCUMENT.operation("listAdministrators"), DOCUMENT.operation("manageAdministrator")

    def passkeys() -> dict[str, bool]:
        return {row["username"]: row["passkeys_enabled"] for row in client.get(listing.path, headers=auth).json}

    assert passkeys()["admin"] is True and passkeys()["opsupport"] is False
    done = client.post(manage.path, headers=auth, json={"action": "disable_passkeys", "username": "admin"})
    assert done.json == {"success": True, "message": "Passkeys disabled for admin user: admin"}
    assert passkeys()["admin"] is False
