"""Calls of a state scenario, judged as they go: each departure is a ``Breach`` of a stated kind.

A scenario names itself after its test (``scenario: <test>``), so its findings stay apart from the
per-operation ones; what a call got wrong decides the kind unless the scenario says what it means
(a read that should answer 404 after a delete and answers 200 is lost state, not a status drift).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from contract_model import Contract
from contract_tests.judge.findings import BLOCKING, Breach, curl
from contract_tests.judge.kinds import (
    ACCEPTED_INVALID_INPUT,
    CONTENT_TYPE,
    LOST_STATE,
    REJECTED_VALID_INPUT,
    SCHEMA_BREAK,
    SERVER_ERROR,
    STATUS_DRIFT,
)
from contract_tests.run.client import ApiClient
from contract_tests.run.served import SERVING, Serving


class Scenario:
    """An ``ApiClient`` for one scenario test."""

    def __init__(self, client: ApiClient, contract: Contract, item: pytest.Item) -> None:
        self.client, self.contract = client, contract
        self.label = f"scenario: {item.name}"
        self.check = getattr(item, "originalname", item.name)
        self._serving = item.config.stash.get(SERVING, Serving())

    def call(
        self,
        operation_id: str,
        json: Any = None,
        *,
        expect: int | None = None,
        kind: str | None = None,
        label: str | None = None,
        **params: Any,
    ) -> requests.Response:
        """Call and check: ``expect=None`` means "succeeds" (any 2xx: exact success codes are the other
        phases' business, so a 201 does not hide the state a scenario is about); ``kind`` is what a
        wrong status would mean here. An operation the panel predates skips the scenario."""
        self._serving.skip_unserved(self.contract.operation(operation_id))
        response = self.client.call(operation_id, json=json, **params)
        said = label or f"{self.contract.operation(operation_id).method} {response.request.path_url}"
        status = response.status_code
        ok = 200 <= status < 300 if expect is None else status == expect
        if not ok:
            self._breach(
                f"{said} answered {status}, expected {expect or '2xx'}: {response.text[:300]}",
                kind=_status_kind(status, expect, kind),
                expected=expect or "2xx",
                received=status,
                reproduce=curl(response.request.method or "GET", response.request.url or "", json),
            )
        schema = self.contract.response_schema(operation_id, status)
        if schema is not None:
            errors = self.contract.schema_errors(self.body(response, said), schema)
            if errors:
                self._breach(f"{said} {status} body breaks the contract: {errors}", kind=SCHEMA_BREAK)
        return response

    def body(self, response: requests.Response, said: str = "") -> Any:
        """The answer's JSON body; one that is not JSON is a finding, not a crash."""
        try:
            return response.json()
        except ValueError:
            content_type = response.headers.get("Content-Type", "")
            kind = SCHEMA_BREAK if "json" in content_type else CONTENT_TYPE
            where = said or f"{response.request.method} {response.request.path_url}"
            self._breach(
                f"{where} answered {response.status_code} with a body that is not JSON "
                f"({content_type or 'no Content-Type'}): {response.text[:200]!r}",
                kind=kind,
                received=content_type or "none",
            )

    def expect(self, condition: bool, message: str, *, kind: str = LOST_STATE) -> None:
        """A state check: what the panel shows after a change."""
        if not condition:
            self._breach(message, kind=kind)

    def _breach(self, message: str, *, kind: str, **details: Any) -> None:
        raise Breach(message, operation=self.label, check=self.check, kind=kind, severity=BLOCKING, **details)


def _status_kind(status: int, expect: int | None, meant: str | None) -> str:
    if status >= 500:
        return SERVER_ERROR
    if meant is not None:
        return meant
    if expect is None and 400 <= status < 500:
        return REJECTED_VALID_INPUT
    if expect is not None and expect >= 400 and 200 <= status < 300:
        return ACCEPTED_INVALID_INPUT
    return STATUS_DRIFT
