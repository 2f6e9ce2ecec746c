"""Group B1, the suite's side: its TOTP, the values it fills in for 2FA, passkeys, WAF and firewall
requests, and the clean-up that puts back what a run changed — against real mocks, since the
suite talks HTTP."""

from __future__ import annotations

import pytest

from contract_model import Contract
from contract_tests.run.local_mock import DEMO_PASSWORD
from mock_server.panel.second_factors import totp

CONTRACT = Contract.load()


def test_the_suites_totp_agrees_with_the_mocks():
    from contract_tests.run.resources.second_factors import totp as suite_totp

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert all(suite_totp(secret, t) == totp(secret, t) for t in range(0, 3600 * 24 * 365, 86_413))


def test_the_suite_turns_off_the_2fa_it_turned_on_and_leaves_an_administrators_own_alone():
    from contract_tests.config.settings import Target
    from contract_tests.run.client import ApiClient
    from contract_tests.run.local_mock import DEMO_USERNAME, running_mock
    from contract_tests.run.sandbox import Sandbox, SandboxError

    with running_mock() as url:
        session = ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))
        sandbox = Sandbox(session)
        body = {"secret": sandbox.value("own-totp-secret"), "code": sandbox.value("own-totp-code")}
        assert session.call("enableTwoFactor", json=body).status_code == 200
        assert session.call("getTwoFactorStatus").json() == {"totp_enabled": True}
        assert sandbox.value("own-password") == DEMO_PASSWORD, "2FA the run turned on is the run's to turn off"
        assert sandbox.cleanup() == []
        assert session.call("getTwoFactorStatus").json()["totp_enabled"] is False

        secret = session.call("getTwoFactorStatus").json()["secret"]
        assert session.call("enableTwoFactor", json={"secret": secret, "code": totp(secret)}).status_code == 200
        later = Sandbox(session)
        for kind in ("own-totp-secret", "own-password"):
            with pytest.raises(SandboxError, match="leaves it alone"):
                later.value(kind)
        assert later.value("own-passkey") in {3, 7}
        assert later.cleanup() == [] and session.call("getTwoFactorStatus").json() == {"totp_enabled": True}


def test_the_2fa_scenario_catches_an_enable_that_changes_nothing(app):
    """A panel that answers success to enabling 2FA but keeps it off fails the lifecycle scenario."""
    import threading
    from types import SimpleNamespace

    from werkzeug.serving import make_server
    from werkzeug.wsgi import LimitedStream

    from contract_tests.config.settings import Target
    from contract_tests.judge.findings import Breach
    from contract_tests.judge.kinds import EFFECT_NOT_SHOWN
    from contract_tests.run.client import ApiClient
    from contract_tests.run.local_mock import DEMO_USERNAME
    from contract_tests.run.sandbox import Sandbox
    from contract_tests.run.scenario import Scenario
    from contract_tests.suite.test_lifecycle_security import test_security_two_factor_enrolment_is_shown_and_removed
    from mock_server.answer import Answer

    def pretend(exchange):
        if not str(exchange.body.get("code", "")).isdigit() or exchange.body["code"] != totp(exchange.body["secret"]):
            return Answer({"error": "Invalid authentication code."}, 403)
        return Answer({"success": True, "message": "Two-factor authentication has been enabled."})

    app.extensions["openpanel"].pipeline.replace("handle", pretend, ["enableTwoFactor"])

    def bounded(environ, start_response):
        # The dev server hands over the raw socket: the app must see where the body ends.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"], environ["wsgi.input_terminated"] = LimitedStream(environ["wsgi.input"], length), True
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, bounded, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = Target(
            base_url=f"http://127.0.0.1:{server.server_port}", username=DEMO_USERNAME, password=DEMO_PASSWORD
        )
        session = ApiClient(target, CONTRACT)
        api = Scenario(
            session,
            CONTRACT,
            SimpleNamespace(name="b1-teeth", originalname="b1-teeth", config=SimpleNamespace(stash={})),
        )
        with pytest.raises(Breach) as caught:
            test_security_two_factor_enrolment_is_shown_and_removed(api, Sandbox(session), target, None)
        assert caught.value.kind == EFFECT_NOT_SHOWN
    finally:
        server.shutdown()


def test_the_suite_puts_the_waf_and_firewall_back_at_clean_up(tmp_path):
    from contract_tests.config.settings import Target
    from contract_tests.run.cleanup import find_leftovers
    from contract_tests.run.client import ApiClient
    from contract_tests.run.journal import Journal
    from contract_tests.run.local_mock import DEMO_USERNAME, running_mock
    from contract_tests.run.sandbox import Sandbox

    with running_mock() as url:
        session = ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))
        journal = Journal(tmp_path / "journal.jsonl", url)
        sandbox = Sandbox(session, journal)
        assert session.call("setWafStatus", json={"status": sandbox.value("flipped-waf-status")}).status_code == 200
        rule = {"rule_name": sandbox.value("waf-rule-set"), "action": sandbox.value("flipped-waf-rule-action")}
        assert rule == {"rule_name": "REQUEST-913-SCANNER-DETECTION", "action": "off"}
        assert session.call("toggleWafRule", json=rule).status_code == 200
        again = {"rule_name": sandbox.value("waf-rule-set"), "action": sandbox.value("flipped-waf-rule-action")}
        assert again["action"] == "on", "the next valid request asks for the other state again"
        assert session.call("getWafStatus").json()["status"] == "off"

        # A crashed run: a new one finds what to put back in the journal alone.
        leftovers = find_leftovers(session, Journal(tmp_path / "journal.jsonl", url))
        assert sorted(leftovers.tracked["waf-state"]) == ["module:on", "rule:REQUEST-913-SCANNER-DETECTION:on"]
        assert leftovers.cleanup() == []
        assert session.call("getWafStatus").json() == {
            "status": "on",
            "total_sets": 3,
            "active_sets": 2,
            "inactive_sets": 1,
        }
        assert sandbox.cleanup() == [], "putting back what is already back is a no-op"

        address = sandbox.value("documentation-address")
        assert str(address).startswith("192.0.2.") and sandbox.value("documentation-address") == address
        session.call("runFirewallCommand", json={"action": "qdeny", "ip": address})
        assert f"{address} #" in session.call("runFirewallCommand", json={}).json()["output"]
        assert sandbox.cleanup() == []
        assert str(address) not in session.call("runFirewallCommand", json={}).json()["output"]
