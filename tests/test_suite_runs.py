"""The helper that reads the suite's console output back into failures (tests/suite_runs.py)."""

from __future__ import annotations

from tests.suite_runs import failures

OUTPUT = """\
=================================== FAILURES ===================================
______ test_documented_example_is_answered_as_documented[POST /api/users] ______
E   Breach: POST /api/users answered 500
_ test_protected_operation_refuses_bad_credentials[GET /api/ips-no Authorization header] _
E   Breach: expected 401, got 404: {"error":"User not found"}
_________________ ERROR at teardown of test_operation_conforms _________________
could not remove sandbox accounts: octest01 (DELETE answered 500)
=========================== short test summary info ============================
"""


def test_a_long_test_name_centred_in_single_underscores_is_still_a_failure():
    # pytest pads a long name with a single underscore on each side; those failures were dropped, so
    # "the suite reports nothing else" never saw most auth-probe failures.
    found = failures(OUTPUT)
    assert [f.test for f in found][:2] == [
        "test_documented_example_is_answered_as_documented[POST /api/users]",
        "test_protected_operation_refuses_bad_credentials[GET /api/ips-no Authorization header]",
    ]
    assert "got 404" in found[1].text


def test_an_error_without_e_lines_keeps_its_message():
    # A clean-up error prints its message plainly; an empty text matched no deviation's evidence.
    assert "DELETE answered 500" in failures(OUTPUT)[2].text
