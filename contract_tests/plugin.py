"""pytest plugin: options, the target panel, its session, the sandbox and the schemathesis schema.

Load it with ``-p contract_tests.plugin`` (the ``openpanel-contract`` command does).
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from contract_tests.document import ContractDocument, DocumentedOperation
from contract_tests.sandbox import Sandbox, SandboxError
from contract_tests.session import PanelSession
from contract_tests.settings import DEFAULT_SPEC, SANDBOX_PREFIX, Target, UsageError

#: When the run started: for the time budget and the report's duration.
STARTED = pytest.StashKey[float]()

#: Where the logged-in session is kept for end-of-run work (generation detection).
PANEL = pytest.StashKey[PanelSession]()

#: Operations marked ``x-rate-limited`` share the panel's login limit (5 a minute on Go 2.x, shared
#: with the HTML login): a few cases prove the contract without locking administrators out.
RATE_LIMITED_EXAMPLES = 5


def pytest_configure(config: pytest.Config) -> None:
    config.stash[STARTED] = time.monotonic()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openpanel", "OpenPanel contract suite")
    group.addoption("--openpanel-url", help="base URL of the panel, e.g. https://panel:2087 (or OPENPANEL_URL)")
    group.addoption("--openpanel-username", help="OpenAdmin username (or OPENPANEL_USERNAME)")
    group.addoption("--openpanel-password", help="OpenAdmin password (or OPENPANEL_PASSWORD)")
    group.addoption(
        "--mutating",
        action="store_true",
        default=os.environ.get("OPENPANEL_MUTATING") == "1",
        help="also call write operations, only ever on accounts the suite creates (or OPENPANEL_MUTATING=1)",
    )
    group.addoption(
        "--destructive",
        action="store_true",
        default=os.environ.get("OPENPANEL_DESTRUCTIVE") == "1",
        help="also call operations that can change what the suite did not create (implies --mutating)",
    )
    group.addoption("--openpanel-spec", type=Path, default=DEFAULT_SPEC, help="contract to test against")
    group.addoption("--max-examples", type=int, default=25, help="generated cases per operation (default 25)")
    group.addoption("--insecure", action="store_true", help="do not verify the panel's TLS certificate")
    group.addoption(
        "--expired-token",
        default=os.environ.get("OPENPANEL_EXPIRED_TOKEN"),
        help="an expired access token of this panel, for the expired-token probes (or OPENPANEL_EXPIRED_TOKEN)",
    )
    group.addoption(
        "--mock-clock", action="store_true", help="the target is openpanel-mock: move its clock to expire a token"
    )
    group.addoption("--max-time", type=float, help="seconds after which no further operation is fuzzed")
    group.addoption("--ca-bundle", help="verify the panel's TLS certificate against this CA bundle")
    group.addoption("--rate", help="request budget, e.g. 10/s or 300/m")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``secured_operation`` with every operation of the contract that needs a token."""
    if "secured_operation" in metafunc.fixturenames:
        document = ContractDocument.load(metafunc.config.getoption("--openpanel-spec"))
        secured = [op for op in document.operations if op.secured]
        metafunc.parametrize("secured_operation", secured, ids=[f"{op.method} {op.path}" for op in secured])


#: Run order: plain documented calls, state scenarios and auth probes before fuzzing, which is the
#: most disruptive step (with --destructive it may, for example, delete every notification).
_MODULE_ORDER = ("test_examples", "test_lifecycle", "test_auth", "test_negative", "test_stateful", "test_conformance")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        return _MODULE_ORDER.index(name) if name in _MODULE_ORDER else len(_MODULE_ORDER)

    items.sort(key=rank)  # stable: keeps the order within each module


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    option = request.config.getoption
    try:
        return Target.resolve(
            option("--openpanel-url"),
            option("--openpanel-username"),
            option("--openpanel-password"),
            mutating=option("--mutating") or option("--destructive"),
            destructive=option("--destructive"),
            spec_path=option("--openpanel-spec"),
            verify_tls=False if option("--insecure") else (option("--ca-bundle") or True),
            rate=option("--rate"),
            max_examples=option("--max-examples"),
        )
    except UsageError as error:
        pytest.exit(f"openpanel-contract: {error}", returncode=2)


@pytest.fixture(scope="session")
def contract(target: Target) -> ContractDocument:
    return ContractDocument.load(target.spec_path)


@pytest.fixture(scope="session")
def panel(target: Target, request: pytest.FixtureRequest) -> PanelSession:
    """A logged-in session; a panel that cannot be reached or refuses the login ends the run (exit 2)."""
    session = PanelSession(target)
    try:
        session.token()
    except UsageError as error:
        pytest.exit(f"openpanel-contract: {error}", returncode=2)
    request.config.stash[PANEL] = session
    return session


@pytest.fixture(scope="session")
def sandbox(panel: PanelSession, target: Target) -> Iterator[Sandbox]:
    """The run's own accounts; removed at the end of the session whatever happened."""
    box = Sandbox(panel)
    yield box
    leftovers = box.cleanup()
    if leftovers:
        pytest.fail(f"could not remove sandbox accounts: {', '.join(leftovers)}", pytrace=False)


@pytest.fixture(scope="session")
def contract_schema(target: Target, panel: PanelSession, contract: ContractDocument):
    """The schemathesis schema, narrowed to the operations this run may call."""
    forbidden = [op.operation_id for op in contract.operations if op.safety not in target.allowed_safety]
    rate_limited = [op.operation_id for op in contract.operations if op.definition.get("x-rate-limited")]
    operations = [{"include-operation-id": rate_limited, "generation": {"max-examples": RATE_LIMITED_EXAMPLES}}]
    if forbidden:
        operations.append({"include-operation-id": forbidden, "enabled": False})
    config = SchemathesisConfig.from_dict(
        {
            "base-url": target.base_url,
            "tls-verify": target.verify_tls,
            "request-timeout": 30,
            **({"rate-limit": target.rate} if target.rate else {}),
            "generation": {"mode": "all", "max-examples": target.max_examples},
            "operations": operations,
        }
    )
    # The document parsed once for the whole run (libyaml); schemathesis' own parse took 0.4 s more.
    schema = schemathesis.openapi.from_dict(copy.deepcopy(contract.raw), config=config)

    class PanelToken:
        """Bearer token of the logged-in session; the session renews it before it expires."""

        def get(self, case: Case, context: object) -> str:
            return panel.token()

        def set(self, case: Case, data: str, context: object) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    schema.auth.auth(refresh_interval=None, retry_on=[])(PanelToken)
    return schema


@pytest.fixture
def within_budget(request: pytest.FixtureRequest):
    """A callable that skips the current case once ``--max-time`` is spent; what already ran still counts.

    A callable, not a check at fixture set-up: schemathesis runs every operation inside one test item.
    """
    budget = request.config.getoption("--max-time")

    def check() -> None:
        if budget is not None and time.monotonic() - request.config.stash[STARTED] > budget:
            pytest.skip(f"time budget of {budget:g} s spent")

    check()
    return check


def sandbox_if_allowed(
    operation: DocumentedOperation, target: Target, request: pytest.FixtureRequest
) -> Sandbox | None:
    """Skip an operation this run's mode does not allow; the sandbox when it writes, else ``None``."""
    if operation.safety not in target.allowed_safety:
        needed = "--mutating" if operation.safety == "write" else "--destructive"
        pytest.skip(f"{operation.safety} operation: needs {needed}")
    return request.getfixturevalue("sandbox") if operation.safety != "read" else None


def confine_to_sandbox(case: Case, sandbox: Sandbox) -> None:
    """Point a write operation at the suite's own resources before it is sent.

    The operation's ``x-sandbox`` extension says which inputs to replace (``path.username: user``,
    ``body.name: new-plan`` …). Deliberately invalid values are left alone: they must be refused, and
    no real resource can carry them.
    """
    rules = case.operation.definition.raw.get("x-sandbox") or {}
    for target, kind in rules.items():
        location, name = target.split(".", 1)
        try:
            if location == "path" and name in (case.path_parameters or {}) and not _negative_in_path(case):
                if not _ours(case.path_parameters[name]):
                    case.path_parameters = {**case.path_parameters, name: sandbox.value(kind)}
            elif location == "body" and isinstance(case.body, dict) and _sendable(case.body.get(name)):
                keep = not kind.startswith("new-") and _ours(case.body[name])
                if not keep:
                    case.body = {**case.body, name: sandbox.value(kind)}
        except SandboxError as error:
            pytest.fail(str(error), pytrace=False)


def forget_refused_names(case: Case, sandbox: Sandbox) -> None:
    """The panel refused this request: the fresh names it carried were never created."""
    for target, kind in (case.operation.definition.raw.get("x-sandbox") or {}).items():
        location, name = target.split(".", 1)
        values = case.body if location == "body" else case.path_parameters
        if kind.startswith("new-") and isinstance(values, dict):
            sandbox.forget(values.get(name))


def _ours(value: object) -> bool:
    """A name the sandbox handed out (e.g. carried over a link from an earlier create): keep it."""
    return isinstance(value, str) and value.startswith(SANDBOX_PREFIX)


def _sendable(value: object) -> bool:
    # Only replace values of the documented kind; a wrong type is negative data and must stay.
    return isinstance(value, str | int) and not isinstance(value, bool)


def _negative_in_path(case: Case) -> bool:
    from schemathesis.core.parameters import ParameterLocation

    return case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
