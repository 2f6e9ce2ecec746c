"""Group A over the Flask test client, part 1: every operation's documented example, the refusals all
of them share, and email — what a write changes the next read shows, refusals are the documented ones."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.group_a_support import GROUP_A, call, path_examples, request_example, reseller_headers


@pytest.fixture
def reseller(client) -> dict[str, str]:
    return reseller_headers(client)


def test_the_group_is_in_the_contract():
    assert len(GROUP_A) >= 17
    assert all(op.since == "2.x" for op in GROUP_A)


@pytest.mark.parametrize("operation", GROUP_A, ids=[op.operation_id for op in GROUP_A])
def test_documented_example_is_answered_2xx(client, auth, operation):
    response = call(
        client,
        auth,
        operation.operation_id,
        request_example(operation.operation_id),
        **path_examples(operation.operation_id),
    )
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("operation", GROUP_A, ids=[op.operation_id for op in GROUP_A])
def test_a_reseller_is_refused(client, reseller, operation):
    response = call(
        client,
        reseller,
        operation.operation_id,
        request_example(operation.operation_id),
        **path_examples(operation.operation_id),
    )
    assert response.status_code == 403


@pytest.mark.parametrize("operation", [op for op in GROUP_A if op.request_body], ids=lambda op: op.operation_id)
def test_malformed_json_is_a_400(client, auth, operation):
    path = operation.path.format(**path_examples(operation.operation_id))
    response = client.open(path, method=operation.method, data="{", content_type="application/json", headers=auth)
    assert response.status_code == 400


# -- email -------------------------------------------------------------------------------------------


def test_switches_show_in_the_settings(client, auth):
    before = call(client, auth, "getEmailSettings").json
    assert before["config_data"]["ENABLE_CLAMAV"] == "0" and before["emails"] == 3
    answer = call(client, auth, "updateEmailSettings", {"ENABLE_CLAMAV": 1, "ENABLE_POSTFWD": "0"}).json
    assert "ClamAV require Mailserver to be recreated" in answer["message"]
    after = call(client, auth, "getEmailSettings").json["config_data"]
    assert (after["ENABLE_CLAMAV"], after["ENABLE_POSTFWD"]) == ("1", "0")


def test_storage_cannot_move_while_mailboxes_exist(client, auth):
    move = {"storage_type": "custom", "email_storage_location": "/srv/mail"}
    assert call(client, auth, "updateEmailSettings", move).status_code == 409
    emails = [row["email"] for row in call(client, auth, "listEmailAccounts").json["emails"]]
    assert call(client, auth, "deleteEmailAccounts", {"emails": emails}).json == {"message": "Deleted 3 account(s)."}
    assert call(client, auth, "updateEmailSettings", move).status_code == 200
    assert call(client, auth, "getEmailSettings").json["email_storage_location"] == "/srv/mail"
    relative = {"storage_type": "custom", "email_storage_location": "srv/mail"}
    assert call(client, auth, "updateEmailSettings", relative).status_code == 400


def test_webmail_domain_of_a_hosted_domain_is_a_conflict(client, auth):
    assert (
        call(client, auth, "updateEmailSettings", {"webmail_domain": "https://stefan.example.com/"}).status_code == 409
    )
    assert call(client, auth, "updateEmailSettings", {"webmail_domain": "http://mail.example.net/"}).status_code == 200
    assert call(client, auth, "getEmailSettings").json["webmail-domain"] == "mail.example.net"
    assert call(client, auth, "updateEmailSettings", {"webmail_domain": "mail.example.net"}).status_code == 409


def test_settings_without_a_known_key_are_refused(client, auth):
    assert call(client, auth, "updateEmailSettings", {"ENABLE_NOTHING": "1"}).status_code == 400
    assert call(client, auth, "updateEmailSettings", {"webmail_software": "sogo"}).status_code == 400


def test_quota_changes_show_in_the_list(client, auth):
    change = {"action": "quota-set", "email": "sales@shop.stefan.example.com", "quota": "100M"}
    assert call(client, auth, "updateEmailAccount", change).json == {"message": "Quota updated."}
    rows = {r["email"]: r["quota"] for r in call(client, auth, "listEmailAccounts").json["emails"]}
    assert rows["sales@shop.stefan.example.com"] == "( 0 / 100M ) [0%]"
    assert rows["info@stefan.example.com"] == "( 2.5M / 500M ) [0%]"
    call(client, auth, "updateEmailAccount", {"action": "quota-del", "email": "info@stefan.example.com"})
    rows = {r["email"]: r["quota"] for r in call(client, auth, "listEmailAccounts").json["emails"]}
    assert rows["info@stefan.example.com"] == "( 2.5M / ~ ) [0%]"


def test_unknown_mailbox_is_a_404_and_deletes_nothing(client, auth):
    password = {"action": "password", "email": "nobody@example.com", "password": "x"}
    assert call(client, auth, "updateEmailAccount", password).status_code == 404
    both = {"emails": ["info@stefan.example.com", "nobody@example.com"]}
    assert call(client, auth, "deleteEmailAccounts", both).status_code == 404
    assert len(call(client, auth, "listEmailAccounts").json["emails"]) == 3


def test_account_change_needs_the_fields_of_its_action(client, auth):
    for body in (
        {"action": "password", "email": "info@stefan.example.com"},
        {"action": "restrict", "email": "info@stefan.example.com", "restrict_action": "add"},
        {"action": "rename", "email": "info@stefan.example.com"},
        {"emails": []},
    ):
        operation = "deleteEmailAccounts" if "emails" in body else "updateEmailAccount"
        assert call(client, auth, operation, body).status_code == 400, body


def test_queue_delete_and_retry(client, auth):
    queue = call(client, auth, "getEmailQueue").json["queue"]
    assert [m["queue_name"] for m in queue] == ["deferred", "active"]
    call(client, auth, "manageEmailQueue", {"action": "retry", "scope": "all"})
    assert {m["queue_name"] for m in call(client, auth, "getEmailQueue").json["queue"]} == {"active"}
    selected = {"action": "delete", "scope": "selected", "queue_ids": [queue[0]["queue_id"], "GONE1"]}
    assert call(client, auth, "manageEmailQueue", selected).json == {"success": True}
    assert [m["queue_id"] for m in call(client, auth, "getEmailQueue").json["queue"]] == [queue[1]["queue_id"]]


def test_domain_limits_lifecycle(client, auth):
    rules = call(client, auth, "getEmailDomainLimits").json["rules"]
    assert {(r["username"], r["limit"], r["current"]) for r in rules} == {("stefan", 100, 3), ("devshop", 250, None)}
    set_limit = {"action": "update-domain", "domain": "maria.example.org", "username": "maria", "limit": "40"}
    assert (
        call(client, auth, "updateEmailDomainLimits", set_limit).json["msg"]
        == "OK: maria limit=40/hr domain=maria.example.org"
    )
    view = call(client, auth, "getEmailDomainLimits").json
    assert view["usernames"] == ["devshop", "maria", "stefan"] and "ratelimit/40/3600" in view["raw_content"]
    gone = call(client, auth, "updateEmailDomainLimits", {"action": "delete-user", "username": "maria"}).json
    assert gone["msg"].endswith("Removed all rules for user 'maria'.")
    again = call(client, auth, "updateEmailDomainLimits", {"action": "delete-user", "username": "maria"}).json
    assert again["msg"].endswith("Nothing changed.")
    call(client, auth, "updateEmailDomainLimits", {"action": "delete-all"})
    assert call(client, auth, "getEmailDomainLimits").json["rules"] is None


def test_a_raw_rules_file_is_read_back(client, auth):
    raw = call(client, auth, "getEmailDomainLimits").json["raw_content"]
    edited = raw.replace("ratelimit/100/3600", "ratelimit/7/3600")
    assert call(client, auth, "updateEmailDomainLimits", {"raw_content": edited}).json["success"] is True
    view = call(client, auth, "getEmailDomainLimits").json
    assert view["raw_content"] == edited and {r["limit"] for r in view["rules"]} == {7, 250}


def test_limit_hits_of_one_domain(client, auth):
    hits = call(client, auth, "getEmailDomainLimits", query={"hits": "stefan.example.com"}).json
    assert hits["ok"] is True and len(hits["lines"]) == 1
    assert call(client, auth, "getEmailDomainLimits", query={"hits": "maria.example.org"}).json["lines"] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(min_value=1, max_value=10**6))
def test_any_positive_limit_is_stored_as_sent(client, auth, limit):
    body = {"action": "update-domain", "domain": "devshop.example", "username": "devshop", "limit": limit}
    call(client, auth, "updateEmailDomainLimits", body)
    rules = call(client, auth, "getEmailDomainLimits").json["rules"]
    assert [r["limit"] for r in rules if r["username"] == "devshop"] == [limit]


def test_a_zero_limit_is_refused(client, auth):
    for limit in (0, "0", "00", -3):
        body = {"action": "update-domain", "domain": "devshop.example", "username": "devshop", "limit": limit}
        assert call(client, auth, "updateEmailDomainLimits", body).status_code == 400
