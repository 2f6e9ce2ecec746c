"""The contract, read once: operations by ``operationId`` with everything both halves need to know.

The mock and the conformance suite both read ``spec/openapi.yaml`` through this package. It only
parses and resolves — operations, safety classes, security, sandbox rules, examples, schema
pointers, the ``x-connect`` entry — and holds no behaviour of either half, so the suite still tests
the mock blind: they share the reading of the spec, never what the mock does with it.
"""

from contract_model.contract import DEFAULT_SPEC, Contract
from contract_model.naming import SUSPENDED_PREFIX, is_suspended, original_name, suspended_name
from contract_model.operation import Operation, SandboxRule

__all__ = [
    "DEFAULT_SPEC",
    "SUSPENDED_PREFIX",
    "Contract",
    "Operation",
    "SandboxRule",
    "is_suspended",
    "original_name",
    "suspended_name",
]
