"""pytest plugin: one run of the suite (``Suite``), its fixtures, and the order of its phases.

The ``openpanel-contract`` command builds the target once, logs in once and hands the ``Suite`` to
pytest as a plugin object; credentials never travel through argv. Run as a plain pytest plugin
(``pytest contract_tests --openpanel-url …``), the same ``Suite`` is built from pytest's options.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from contract_model import DEFAULT_SPEC, Contract, Operation
from contract_tests.config.settings import RunSettings, Target, UsageError
from contract_tests.run import interrupts
from contract_tests.run.client import ApiClient
from contract_tests.run.generation import Generation, detect_generation
from contract_tests.run.journal import Journal
from contract_tests.run.sandbox import Sandbox, SandboxError, documented_request
from contract_tests.run.scenario import Scenario
from contract_tests.run.served import SERVING, Serving, survey

#: The plugin modules of a run; the command registers them, ``contract_tests/conftest.py`` too.
SUITE_PLUGINS = (
    "contract_tests.plugin",
    "contract_tests.run.fuzzing",
    "contract_tests.judge.gate",
    "contract_tests.report.progress",
)
#: The run, its clock.
SUITE = pytest.StashKey["Suite"]()
STARTED = pytest.StashKey[float]()

#: The option a safety class needs.
NEEDS = {"write": "mutating", "destructive": "destructive", "server-control": "server-control"}

#: Run order: plain documented calls, state scenarios and auth probes before fuzzing, which is the
#: most disruptive step (with --destructive it may, for example, delete every notification).
_PHASES = (
    "test_examples",
    "test_lifecycle",
    "test_auth",
    "test_roles",
    "test_negative",
    "test_stateful",
    "test_conformance",
)


class Suite:
    """One run: what is tested, how far the run may go, and the one logged-in client."""

    def __init__(self, target: Target, settings: RunSettings, client: ApiClient | None = None) -> None:
        self.target = target
        self.settings = settings
        self.contract = Contract.load(settings.spec_path)
        self.client = client or ApiClient(target, self.contract)
        #: Set by the gate at the end of the session.
        self.report: dict[str, Any] | None = None
        self.exit_code = 2
        #: Why the run stopped before it could judge (one line for the user), if it did.
        self.usage_error: str | None = None
        #: What the sandbox could not remove at the end (each confirmed still there, or not confirmable).
        self.leftovers: list[str] = []
        #: Asked once, after the first login (``survey``).
        self.generation: Generation | None = None
        self.serving = Serving()

    def survey(self) -> Serving:
        """Which generation the panel speaks, and which operations it predates (``run.served``)."""
        if self.generation is None:
            self.generation = detect_generation(self.client)
            self.serving = survey(self.client, self.contract, self.generation.name)
        return self.serving

    def stop(self, error: UsageError) -> None:
        """End the run at once: a usage or connection error, exit code 2."""
        self.usage_error = str(error)
        pytest.exit(f"openpanel-contract: {error}", returncode=2)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[SUITE] = self

    @classmethod
    def from_options(cls, config: pytest.Config) -> Suite:
        option = config.getoption
        target = Target.resolve(
            option("--openpanel-url"),
            option("--openpanel-username"),
            option("--openpanel-password"),
            mutating=option("--mutating"),
            destructive=option("--destructive"),
            verify_tls=False if option("--insecure") else (option("--ca-bundle") or True),
            rate=option("--rate"),
            server_control=option("--server-control"),
            reseller_username=option("--openpanel-reseller-username"),
            reseller_password=option("--openpanel-reseller-password"),
        )
        settings = RunSettings(
            spec_path=option("--openpanel-spec"),
            max_examples=option("--max-examples"),
            max_time=option("--max-time"),
            baseline=option("--baseline"),
            report_json=option("--report-json"),
            report_md=option("--report-md"),
            strict=option("--openpanel-strict"),
            mock_clock=option("--mock-clock"),
            expired_token=option("--expired-token"),
            journal=option("--openpanel-journal"),
        )
        return cls(target, settings)


def suite_of(config: pytest.Config) -> Suite:
    """The run's ``Suite``: the one the command registered, or one built from pytest's options."""
    if SUITE not in config.stash:
        try:
            config.stash[SUITE] = Suite.from_options(config)
        except UsageError as error:
            pytest.exit(f"openpanel-contract: {error}", returncode=2)
    return config.stash[SUITE]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openpanel", "OpenPanel contract suite (when run as a plain pytest plugin)")
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
    group.addoption(
        "--server-control", action="store_true", help="also call what changes the machine itself (never implied)"
    )
    group.addoption("--openpanel-reseller-username", help="a reseller, for the access checks")
    group.addoption("--openpanel-reseller-password", help="the reseller's password")
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
    group.addoption("--report-json", type=Path, help="write a JSON report (to diff runs and write baselines)")
    group.addoption("--report-md", type=Path, help="write a Markdown report")
    group.addoption("--baseline", type=Path, help="YAML file of accepted deviations")
    group.addoption("--openpanel-strict", action="store_true", help="undocumented status codes and headers block too")
    group.addoption("--openpanel-journal", type=Path, help="where to note what the run creates (default: per user)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[STARTED] = time.monotonic()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``secured_operation`` with every operation of the contract that needs a token."""
    if "secured_operation" in metafunc.fixturenames:
        secured = [op for op in contract_of(metafunc.config).operations if op.secured]  # CONNECT included
        metafunc.parametrize("secured_operation", secured, ids=[op.label for op in secured])


def contract_of(config: pytest.Config) -> Contract:
    """The contract, before any fixture runs (collection parametrizes from it)."""
    suite = config.stash.get(SUITE, None)
    return suite.contract if suite else Contract.load(config.getoption("--openpanel-spec"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    interrupts.checkpoint()  # before each test


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        # A group's module joins its phase by prefix: test_lifecycle_email runs with test_lifecycle.
        name = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        ranks = (i for i, phase in enumerate(_PHASES) if name == phase or name.startswith(f"{phase}_"))
        return next(ranks, len(_PHASES))

    items.sort(key=rank)  # stable: keeps the order within each module


@pytest.fixture(scope="session")
def suite(request: pytest.FixtureRequest) -> Suite:
    return suite_of(request.config)


@pytest.fixture(scope="session")
def target(suite: Suite) -> Target:
    return suite.target


@pytest.fixture(scope="session")
def run_settings(suite: Suite) -> RunSettings:
    return suite.settings


@pytest.fixture(scope="session")
def contract(suite: Suite) -> Contract:
    return suite.contract


@pytest.fixture(scope="session")
def client(suite: Suite) -> ApiClient:
    """The logged-in client; a panel that cannot be reached or refuses the login ends the run (exit 2)."""
    try:
        suite.client.token()
    except UsageError as error:
        suite.stop(error)
    return suite.client


@pytest.fixture(scope="session", autouse=True)
def serving(suite: Suite, client: ApiClient, request: pytest.FixtureRequest) -> Serving:
    """What the panel serves at all; scenarios read it from the config's stash."""
    request.config.stash[SERVING] = suite.survey()
    return request.config.stash[SERVING]


@pytest.fixture(scope="session")
def reseller(suite: Suite) -> ApiClient:
    """A client logged in as the reseller (``--reseller-username``); skips without one."""
    target = suite.target.as_reseller()
    if target is None:
        pytest.skip("no reseller credentials: pass --reseller-username and --reseller-password")
    client = ApiClient(target, suite.contract)
    try:
        client.token()
    except UsageError as error:
        suite.stop(UsageError(f"the reseller: {error}"))
    return client


@pytest.fixture(scope="session")
def sandbox(client: ApiClient, suite: Suite) -> Iterator[Sandbox]:
    """The run's own accounts; removed at the end of the session whatever happened."""
    box = Sandbox(client, Journal(suite.settings.journal, client.target.base_url))
    box.serving = suite.survey()
    yield box
    with interrupts.shielded():
        suite.leftovers = box.cleanup()


@pytest.fixture
def api(client: ApiClient, contract: Contract, request: pytest.FixtureRequest) -> Scenario:
    """The logged-in client for one state scenario, judging each call as it goes (``run.scenario``)."""
    return Scenario(client, contract, request.node)


@pytest.fixture
def prepared(target: Target, request: pytest.FixtureRequest):
    """``prepared(operation, absent=False, refused=False)``: the operation's documented request (path,
    body), every ``x-sandbox`` input pointed at the run's own resources — or at none, with ``absent``.
    ``refused`` says the request must be refused (a reseller's token), so it may go to ``x-ends-run``
    operations too.

    An operation this run's mode does not allow is skipped; so is one whose resources the suite cannot
    make on this panel (the create that failed is a finding of its own phase)."""

    def prepare(operation: Operation, *, absent: bool = False, refused: bool = False) -> tuple[str, Any]:
        if operation.safety not in target.allowed_safety:
            pytest.skip(f"{operation.safety} operation: needs --{NEEDS[operation.safety]}")
        if operation.ends_run and not refused:
            pytest.skip("x-ends-run: only requests that must be refused are sent to it")
        request.getfixturevalue("serving").skip_unserved(operation)
        sandbox = request.getfixturevalue("sandbox") if operation.safety != "read" else None
        try:
            return documented_request(operation, sandbox, absent=absent)
        except SandboxError as error:
            pytest.skip(f"cannot set up what {operation.label} needs: {error}")

    return prepare
