"""JSON Schema checks, shared by tool arguments and structured answers (jsonschema, imported
only when first needed: it takes a noticeable time to import)."""

from __future__ import annotations

import functools
import json
from typing import Any

MAX_PROBLEMS = 5


class SchemaInvalid(ValueError):
    """The schema itself is not valid JSON Schema; the message says where and why."""


def check_schema(schema: Any) -> None:
    from jsonschema import exceptions, validators

    if not isinstance(schema, dict):
        raise SchemaInvalid(f"a JSON Schema must be an object, got {_kind(schema)}")
    validator = validators.validator_for(schema, default=validators.Draft202012Validator)
    try:
        validator.check_schema(schema)
    except exceptions.SchemaError as exc:
        raise SchemaInvalid(f"{_where(exc.absolute_path)}: {exc.message}") from None


def problems(schema: dict[str, Any], value: Any, limit: int = MAX_PROBLEMS) -> list[str]:
    """Where `value` does not fit `schema`, one short line each (at most `limit`)."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    found = []
    for error in sorted(validator.iter_errors(value), key=lambda error: list(error.path)):
        found.append(f"{_where(error.absolute_path)}: {error.message}")
        if len(found) >= limit:
            break
    return found


@functools.lru_cache(maxsize=64)
def _validator(schema_text: str) -> Any:
    from jsonschema import validators

    schema = json.loads(schema_text)
    cls = validators.validator_for(schema, default=validators.Draft202012Validator)
    return cls(schema)


def _where(path: Any) -> str:
    where = "$"
    for step in path:
        where += f"[{step}]" if isinstance(step, int) else f".{step}"
    return where


def _kind(value: Any) -> str:
    return {
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), type(value).__name__)
