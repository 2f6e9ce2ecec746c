"""pytest plugin: the schemathesis side of a run — the schema narrowed to what this mode may call,
cases confined to the sandbox, the last answer kept for judging, and the ``--max-time`` budget."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from contract_model import Contract
from contract_tests.config.settings import RunSettings, Target
from contract_tests.plugin import STARTED
from contract_tests.run import interrupts
from contract_tests.run.client import ApiClient
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.served import Serving

#: Operations marked ``x-rate-limited`` share the panel's login limit (5 a minute on Go 2.x, shared
#: with the HTML login): a few cases prove the contract without locking administrators out.
RATE_LIMITED_EXAMPLES = 5
#: The statuses schemathesis takes as a refusal of invalid data by default, and 413: a body over the
#: panel's limit (a field far longer than its maxLength) is refused before it is read, as documented.
_REJECTIONS = [*SchemathesisConfig().projects.default.checks.negative_data_rejection.expected_statuses, "413"]


@pytest.fixture(scope="session")
def contract_schema(target: Target, run_settings: RunSettings, client: ApiClient, contract: Contract, serving: Serving):
    """The schemathesis schema, narrowed to the operations this run may call on this panel."""
    forbidden = [
        op.operation_id
        for op in contract.expressible
        if op.safety not in target.allowed_safety or op.ends_run or not serving.serves(op)
    ]
    rate_limited = [op.operation_id for op in contract.expressible if op.rate_limited]
    operations = [{"include-operation-id": rate_limited, "generation": {"max-examples": RATE_LIMITED_EXAMPLES}}]
    for op in contract.expressible:
        # A documented redirect (POST /api → 308) is the operation's outcome, not an accepted
        # invalid request (spec/DECISIONS.md #72).
        redirects = [status for status in op.responses if status.startswith("3")]
        if redirects:
            expected = [*_REJECTIONS, *redirects]
            operations.append(
                {
                    "include-operation-id": [op.operation_id],
                    "checks": {"negative_data_rejection": {"expected-statuses": expected}},
                }
            )
    if forbidden:
        operations.append({"include-operation-id": forbidden, "enabled": False})
    config = SchemathesisConfig.from_dict(
        {
            "base-url": target.base_url,
            "tls-verify": target.verify_tls,
            "request-timeout": 30,
            **({"rate-limit": target.rate} if target.rate else {}),
            # No example database: a gate's run must not depend on what earlier runs in the same
            # directory happened to fail (and must not leave a .hypothesis folder behind).
            "generation": {"mode": "all", "max-examples": run_settings.max_examples, "database": "none"},
            "checks": {"negative_data_rejection": {"expected-statuses": _REJECTIONS}},
            "operations": operations,
        }
    )
    # The document as the contract model parsed it (schemathesis' own parse is slower).
    schema = schemathesis.openapi.from_dict(copy.deepcopy(contract.raw), config=config)

    class PanelToken:
        """Bearer token of the logged-in client; the client renews it before it expires."""

        def get(self, case: Case, context: object) -> str:
            return client.token()

        def set(self, case: Case, data: str, context: object) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    schema.auth.auth(refresh_interval=None, retry_on=[])(PanelToken)
    return schema


@pytest.fixture
def within_budget(request: pytest.FixtureRequest, run_settings: RunSettings):
    """A callable that skips the current case once ``--max-time`` is spent; what already ran still counts.

    A callable, not a check at fixture set-up: schemathesis runs every operation inside one test item.
    """
    budget = run_settings.max_time

    def check() -> None:
        interrupts.checkpoint()  # before each generated case
        if budget is not None and time.monotonic() - request.config.stash[STARTED] > budget:
            pytest.skip(f"time budget of {budget:g} s spent")

    check()
    return check


class Recorded:
    """A session that keeps the last answer it got, so a finding can be judged by what came back
    (schemathesis' checks may send more requests of their own, e.g. without credentials)."""

    def __init__(self, verify: bool | str) -> None:
        self.session = requests.Session()
        self.session.verify = verify
        self._last: requests.Response | None = None
        self.session.hooks["response"].append(self._keep)

    def _keep(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self._last = response
        interrupts.checkpoint()  # between schemathesis' own requests

    def last(self) -> requests.Response | None:
        return self._last


@pytest.fixture
def recorded(target: Target) -> Iterator[Recorded]:
    recorder = Recorded(target.verify_tls)
    yield recorder
    recorder.session.close()


class Confinement:
    """Schemathesis cases pointed at the sandbox before they are sent, and refused names forgotten."""

    def __init__(self, sandbox: Sandbox, contract: Contract) -> None:
        self.sandbox, self.contract = sandbox, contract

    def before(self, case: Case) -> None:
        path = case.path_parameters or {}
        try:
            confined, body = self.sandbox.confine(
                self._rules(case),
                path,
                case.body,
                negative_path=_negative_at(case, "PATH"),
                negative_body=_negative_at(case, "BODY"),
            )
        except SandboxError as error:
            pytest.skip(f"cannot set up what {case.operation.label} needs: {error}")
        if confined is not path:
            case.path_parameters = confined
        if body is not case.body:
            case.body = body

    def refused(self, case: Case) -> None:
        self.sandbox.forget_refused(self._rules(case), case.path_parameters, case.body)

    def _rules(self, case: Case):
        return self.contract.operation(case.operation.definition.raw["operationId"]).sandbox


@pytest.fixture
def confined(sandbox: Sandbox, contract: Contract) -> Confinement:
    return Confinement(sandbox, contract)


def _negative_at(case: Case, location: str) -> bool:
    from schemathesis.core.parameters import ParameterLocation

    return case.meta is not None and case.meta.is_negative_at(ParameterLocation[location])
