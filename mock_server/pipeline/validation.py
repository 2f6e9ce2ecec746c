"""Request and response validation against the contract, through openapi-core.

Request violations become a 400 (415 for a non-JSON body) whose body names the field and the rule;
response violations are the mock's own bugs and become ``ContractViolation``.

openapi-core re-finds the path, re-deserialises and re-walks the schema on every call, which costs
milliseconds. A verdict depends only on the operation and the bytes judged, so ``Validator``
remembers verdicts by exactly those bytes: a read answered with the same body as before is not
validated twice, while every new input still goes through openapi-core.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Request
from openapi_core import OpenAPI
from openapi_core.contrib.flask import FlaskOpenAPIRequest
from openapi_core.deserializing.media_types.exceptions import MediaTypeDeserializeError
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.validation.request.exceptions import (
    MissingRequiredParameter,
    MissingRequiredRequestBody,
    ParameterValidationError,
    RequestBodyValidationError,
    SecurityValidationError,
)
from werkzeug.datastructures import Headers

from contract_model import Contract, Operation
from mock_server.answer import Answer
from mock_server.errors import ApiError, ContractViolation
from mock_server.memo import BoundedMemo
from mock_server.pipeline.schema_cache import caching_config

#: Any URL the spec's ``servers`` template matches (its defaults).
_CANONICAL_SERVER = "https://panel.example.com:2087"
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
#: Inputs larger than this are validated every time rather than remembered (bounds the memo's memory).
MEMO_MAX_BYTES = 16 * 1024
_UNJUDGED: Any = object()


class OperationRequest(FlaskOpenAPIRequest):
    """A Flask request as openapi-core sees it, matched to the operation the router chose.

    For CONNECT, which the spec can only describe through ``x-connect``, the request is checked as
    the documented operation it mirrors (``rules``: same path parameters, same responses).
    """

    def __init__(
        self, request: Request, rules: Operation, path_params: dict[str, Any], *, with_body: bool = True
    ) -> None:
        super().__init__(request)
        self.parameters.path = path_params
        self._method, self._pattern = rules.method.lower(), rules.path
        self._concrete_path = _fill(self._pattern, path_params)
        self._with_body = with_body

    @property
    def body(self) -> bytes | None:
        # An answer's validity never depends on the request body; for responses it is not read at all
        # (it may have been refused unread, 413, or never have arrived from a stalled client).
        return super().body if self._with_body else None

    @property
    def host_url(self) -> str:
        # The router already chose the operation; where the mock is reached must not matter.
        return _CANONICAL_SERVER

    @property
    def method(self) -> str:
        return self._method

    @property
    def path(self) -> str:
        return self._concrete_path

    @property
    def path_pattern(self) -> str:
        return self._pattern


class AnswerResponse:
    """An ``Answer`` as openapi-core reads a response (``openapi_core.protocols.Response``)."""

    def __init__(self, answer: Answer) -> None:
        self.status_code = answer.status
        self.content_type = answer.content_type.lower()
        self.headers = Headers({**answer.headers, "Content-Type": answer.content_type})
        self.data = answer.body


class Validator:
    """openapi-core validation of one contract, remembering verdicts by the exact bytes they judged.

    Security requirements are not checked here: tokens were verified before validation.
    """

    def __init__(self, contract: Contract, memo_size: int = 4096, *, check_spec: bool = True) -> None:
        self.contract = contract
        # Checking the document itself is most of the mock's start-up (~0.6 s); the built-in contract is
        # checked by tests/test_spec.py on every run, so only a user's own --spec needs it here.
        self.openapi = OpenAPI.from_dict(contract.raw, config=caching_config(check_spec=check_spec))
        self._requests: BoundedMemo[tuple[Any, ...], ApiError | None] = BoundedMemo(memo_size)
        self._responses: BoundedMemo[tuple[Any, ...], bool] = BoundedMemo(memo_size)

    def check_request(self, operation: Operation, params: dict[str, Any], request: Request) -> None:
        """Raise ``ApiError`` (400/415) when the request breaks the contract."""
        body = request.get_data(cache=True)
        key = (operation.operation_id, tuple(params.items()), request.query_string, request.content_type, body)
        remembered = len(body) <= MEMO_MAX_BYTES
        verdict = self._requests.get(key, _UNJUDGED) if remembered else _UNJUDGED
        if verdict is _UNJUDGED:
            verdict = self._judge_request(OperationRequest(request, self._rules(operation), params))
            if remembered:
                self._requests.put(key, verdict)
        if verdict is not None:
            raise ApiError(verdict.status, dict(verdict.body), dict(verdict.headers))

    def check_response(self, operation: Operation, params: dict[str, Any], request: Request, answer: Answer) -> None:
        """Raise ``ContractViolation`` when the mock's own answer breaks the contract."""
        body = answer.body
        key = (operation.operation_id, answer.status, answer.content_type, tuple(answer.headers.items()), body)
        remembered = len(body) <= MEMO_MAX_BYTES
        if remembered and self._responses.get(key):
            return
        rules = self._rules(operation)
        self._judge_response(OperationRequest(request, rules, params, with_body=False), AnswerResponse(answer))
        if remembered:
            self._responses.put(key, True)  # only passes are remembered: a violation is raised every time

    def _rules(self, operation: Operation) -> Operation:
        """The operation whose request and response rules apply (CONNECT borrows its twin's)."""
        return self.contract.by_id[operation.same_as] if operation.same_as else operation

    def _judge_request(self, request: OperationRequest) -> ApiError | None:
        try:
            self.openapi.validate_request(request)
        except SecurityValidationError:
            return None
        except RequestBodyValidationError as error:
            return _body_error(error)
        except ParameterValidationError as error:
            return _parameter_error(error)
        return None

    def _judge_response(self, request: OperationRequest, response: AnswerResponse) -> None:
        try:
            self.openapi.validate_response(request, response)
        except Exception as error:  # openapi-core raises a family of unrelated classes here
            detail = "; ".join(_schema_messages(error)) or str(error)
            raise ContractViolation(
                f"{request.method.upper()} {request.path_pattern} answered {response.status_code}, "
                f"which the contract does not allow: {detail}"
            ) from error


def _body_error(error: RequestBodyValidationError) -> ApiError:
    cause = error.__cause__
    if isinstance(cause, MediaTypeNotFound):
        return ApiError.app(
            415,
            "Invalid JSON format: send Content-Type: application/json",
            field="header.Content-Type",
            rule="content-type",
        )
    if isinstance(cause, MediaTypeDeserializeError):
        return ApiError.app(400, "Invalid JSON format: the body is not valid JSON", field="body", rule="json")
    if isinstance(error, MissingRequiredRequestBody):
        return ApiError.app(400, "Invalid JSON format: a JSON body is required", field="body", rule="required")
    schema_errors = list(getattr(cause, "schema_errors", None) or [])
    if not schema_errors:
        return ApiError.app(400, f"Invalid request body: {error}", field="body", rule="schema")
    first = min(schema_errors, key=lambda item: (len(item.path), str(item.path)))
    return ApiError.app(400, first.message, field=_field(first), rule=str(first.validator))


def _parameter_error(error: ParameterValidationError) -> ApiError:
    name = getattr(error, "name", "parameter")
    location = getattr(error, "location", "path")
    if isinstance(error, MissingRequiredParameter):
        return ApiError.app(
            400, f"Missing required {location} parameter '{name}'", field=f"{location}.{name}", rule="required"
        )
    cause = error.__cause__
    schema_errors = list(getattr(cause, "schema_errors", None) or [])
    if schema_errors:
        message, rule = schema_errors[0].message, str(schema_errors[0].validator)
    else:
        message, rule = str(cause or error), "type"
    return ApiError.app(400, f"Invalid {location} parameter '{name}': {message}", field=f"{location}.{name}", rule=rule)


def _field(schema_error: Any) -> str:
    path = [str(part) for part in schema_error.path]
    if schema_error.validator == "required":
        match = _REQUIRED.match(schema_error.message)
        if match:
            path.append(match.group(1))
    return ".".join(path) or "body"


def _schema_messages(error: BaseException) -> list[str]:
    while error is not None:
        schema_errors = getattr(error, "schema_errors", None)
        if schema_errors:
            return [f"{'/'.join(map(str, item.path)) or '<root>'}: {item.message}" for item in schema_errors]
        error = error.__cause__
    return []


def _fill(pattern: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        pattern = pattern.replace("{" + name + "}", str(value))
    return pattern
