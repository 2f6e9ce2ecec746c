"""openapi-core configured to build each JSON Schema validator of the contract once, then reuse it.

openapi-core builds a fresh jsonschema validator whenever it checks a value: it resolves the schema
again and deep-copies its format checker every time, for the body, every parameter and every value
it casts — most of what validation cost (spec/DECISIONS.md). A schema at one place of the contract
never changes, so the validator built for that place, with the same options, is kept. Checking
still goes through openapi-core and jsonschema: only the building is not repeated.
"""

from __future__ import annotations

import threading
from typing import Any

from jsonschema_path import SchemaPath
from openapi_core import Config
from openapi_core.casting.schemas import oas31_types_caster
from openapi_core.casting.schemas.factories import SchemaCastersFactory
from openapi_core.validation.schemas import oas31_schema_validators_factory
from openapi_core.validation.schemas.factories import DialectSchemaValidatorsFactory
from openapi_core.validation.schemas.validators import SchemaValidator


class CachingSchemaValidators(DialectSchemaValidatorsFactory):
    """openapi-core's OAS 3.1 schema validator factory, remembering what it built by schema location."""

    def __init__(self, base: DialectSchemaValidatorsFactory = oas31_schema_validators_factory) -> None:
        super().__init__(base.schema_validator_cls, base.default_jsonschema_dialect_id, base.format_checker)
        self._built: dict[tuple[Any, ...], SchemaValidator] = {}
        self._lock = threading.Lock()

    def create(
        self,
        spec: SchemaPath,
        schema: SchemaPath,
        format_validators: Any = None,
        extra_format_validators: Any = None,
        forbid_unspecified_additional_properties: bool = False,
        enforce_properties_required: bool = False,
    ) -> SchemaValidator:
        options = (forbid_unspecified_additional_properties, enforce_properties_required)
        if format_validators is not None or extra_format_validators is not None:
            return super().create(spec, schema, format_validators, extra_format_validators, *options)
        key = (schema.parts, *options)
        validator = self._built.get(key)
        if validator is None:
            with self._lock:
                validator = self._built.get(key) or super().create(spec, schema, None, None, *options)
                self._built[key] = validator
        return validator


def caching_config(*, check_spec: bool = True) -> Config:
    """An openapi-core ``Config`` whose validation and casting share one ``CachingSchemaValidators``;
    without ``check_spec`` openapi-core trusts the document instead of validating it first."""
    validators = CachingSchemaValidators()
    options = {} if check_spec else {"spec_validator_cls": None}
    return Config(
        schema_validators_factory=validators,
        schema_casters_factory=SchemaCastersFactory(validators, oas31_types_caster),
        **options,
    )
