"""Named choices a user keeps in config.toml: system prompts ([[presets]]) and JSON Schemas
for structured answers ([[schemas]])."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Preset:
    """A system prompt to pick by name, with the model and effort it suits, if any."""

    name: str
    prompt: str
    model: str | None = None
    reasoning_effort: str | None = None

    def to_dict(self) -> dict[str, str]:
        """As a [[presets]] table: the keys that are set, in the order people read them."""
        return {
            key: value
            for key, value in (
                ("name", self.name),
                ("model", self.model),
                ("reasoning_effort", self.reasoning_effort),
                ("prompt", self.prompt),
            )
            if value is not None
        }


@dataclass(frozen=True, slots=True)
class SchemaPreset:
    """A JSON Schema to pick by name for a structured answer: inline, or in a file read when
    it is picked (so the file can change)."""

    name: str
    schema: dict[str, Any] | None = None
    file: str | None = None

    def load(self) -> Any:
        """The checked `Schema`; raises SchemaInvalid naming what is wrong."""
        from rillchat.chat.json_schema import SchemaInvalid, check_schema
        from rillchat.chat.structured import Schema, load_schema_file

        if self.file is not None:
            return Schema(self.name, load_schema_file(Path(self.file)).schema)
        try:
            check_schema(self.schema)
        except SchemaInvalid as exc:
            raise SchemaInvalid(
                f"the schema {self.name!r} is not valid JSON Schema: {exc}"
            ) from None
        return Schema(self.name, self.schema or {})
