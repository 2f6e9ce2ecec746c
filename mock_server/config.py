"""Configuration object for the mock, in the spirit of Flask's config classes."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = PROJECT_ROOT / "spec" / "openapi.yaml"
DEFAULT_FIXTURES = PROJECT_ROOT / "fixtures"

#: The password of the built-in demo administrator. Fixtures only hold its hash; the CLI prints it
#: when an administrator's hash matches, so newcomers can log in without reading YAML.
DEMO_PASSWORD = "openpanel-mock"


@dataclass
class MockConfig:
    """Everything ``create_app`` needs; defaults give the documented demo panel."""

    spec_path: Path = DEFAULT_SPEC
    fixtures_dir: Path = DEFAULT_FIXTURES
    #: HS256 key. Random per start unless configured, so tokens of another instance are refused.
    jwt_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    #: Access-token lifetime in seconds (15 minutes on every real server generation).
    token_lifetime: int = 900
    #: Werkzeug method for passwords the API sets. Same format as the panel's, but 1,000 rounds instead
    #: of its 260,000 (~150 ms each): fuzzing creates hundreds of accounts (decision 33).
    password_hash_method: str = "pbkdf2:sha256:1000"
    #: Raise instead of answering 500 when a response breaks the contract (tests set this).
    raise_on_contract_violation: bool = False
    #: Largest request body accepted, in bytes (413 beyond).
    max_body_bytes: int = 1024 * 1024
    #: Let CPU and memory figures drift around the fixture values instead of repeating them.
    live_metrics: bool = False
    #: Which server to answer as: "contract" (the spec), "v1" (the 2024 Python/Flask server) or "v2"
    #: (OpenAdmin 2.x, Go); see ``mock_server.variants``.
    flavor: str = "contract"
    #: Names of deliberate contract breaks to switch on (see ``mock_server.variants.faults``).
    faults: tuple[str, ...] = ()
    #: Seconds since the epoch; injectable so tests control expiry and timestamps.
    clock: Callable[[], float] = time.time
    #: SQLite file holding the state, shared by worker processes and kept across restarts; ``None``
    #: keeps it in this process's memory (see ``mock_server.store``).
    state_path: Path | None = None
    #: Browser origins allowed to call the mock (``"*"``: any; empty: CORS off).
    cors_origins: tuple[str, ...] = ("*",)
    #: Artificial latency per API request, drawn uniformly from ``(low, high)`` milliseconds.
    latency_ms: tuple[float, float] = (0.0, 0.0)
    #: Share of API requests answered with one of the operation's documented errors (0 to 1).
    error_rate: float = 0.0
    #: The panel's API switched off (*Settings > API*): every ``/api`` route answers the generation's
    #: gate answer before authentication (``--api-disabled``).
    api_disabled: bool = False
    #: Login attempts per client address and minute after a burst of 5 (the 2.x server's
    #: ``login_ratelimit`` in admin.ini; 0: the burst only, for the process's lifetime).
    login_rate: int = 5
    #: Send a read's validated answer again while request, state and token are the same
    #: (``mock_server.answer_cache``); off to measure or debug the pipeline itself.
    answer_cache: bool = True
