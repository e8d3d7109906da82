"""Structured answers: a JSON Schema for the next reply, the JSON growing as it streams, and
the check at the end."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rillchat.chat.json_schema import SchemaInvalid, check_schema, problems

_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    schema: dict[str, Any]

    def response_format(self) -> dict[str, Any]:
        return {
            "type": "json_schema",
            "json_schema": {"name": api_name(self.name), "strict": True, "schema": self.schema},
        }


def api_name(name: str) -> str:
    """The name as the API accepts it: letters, digits, _ and -, at most 64."""
    return _NAME_CHARACTERS.sub("_", name).strip("_")[:64] or "answer"


def load_schema_file(path: Path) -> Schema:
    """A schema from a file, or SchemaInvalid naming the file and what is wrong, before any
    request is made."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaInvalid(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise SchemaInvalid(f"{path}: is not UTF-8 text") from None
    try:
        schema = json.loads(text)
    except ValueError as exc:
        raise SchemaInvalid(f"{path}: not JSON ({exc})") from None
    try:
        check_schema(schema)
    except SchemaInvalid as exc:
        raise SchemaInvalid(f"{path}: not a valid JSON Schema: {exc}") from None
    return Schema(str(schema.get("title") or path.stem), schema)


def check_answer(schema: dict[str, Any], text: str) -> list[str]:
    """Why the answer does not fit the schema; empty when it does."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        return (
            [f"the answer is not valid JSON ({exc})"] if text.strip() else ["the answer is empty"]
        )
    return problems(schema, value)


class PartialJson:
    """JSON text arriving in pieces, readable at any moment as far as it goes.

    jiter parses the partial text; a small scanner of the text that arrived keeps track of
    which containers are still open and whether the value being written is finished, so a
    view can show array items only once they are complete."""

    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._text = ""
        self._stack: list[str] = []
        self._in_string = False
        self._escaped = False
        self._value_done = True
        """No string or scalar is half written at the end of the text."""

    def feed(self, fragment: str) -> None:
        self._pieces.append(fragment)
        stack = self._stack
        in_string, escaped, done = self._in_string, self._escaped, self._value_done
        for character in fragment:
            if in_string:
                if escaped:
                    escaped = False
                elif character == "\\":
                    escaped = True
                elif character == '"':
                    in_string = False
                    done = True
                continue
            if character == '"':
                in_string = True
                done = False
            elif character in "[{":
                stack.append(character)
                done = True
            elif character in "]}":
                if stack:
                    stack.pop()
                done = True
            elif character in ",:" or character.isspace():
                done = True
            else:
                done = False  # a number, true, false or null being written
        self._in_string, self._escaped, self._value_done = in_string, escaped, done

    @property
    def text(self) -> str:
        if len(self._pieces) > 1:
            self._pieces[:] = ["".join(self._pieces)]
        return self._pieces[0] if self._pieces else ""

    @property
    def open_depth(self) -> int:
        """How many containers are still open."""
        return len(self._stack)

    @property
    def last_value_complete(self) -> bool:
        """Whether the last value in the innermost open container is finished."""
        return self._value_done

    def value(self) -> Any:
        """The JSON so far (incomplete strings included as far as they go), or None when
        nothing parseable has arrived yet."""
        import jiter

        text = self.text
        if not text.strip():
            return None
        try:
            return jiter.from_json(text.encode(), partial_mode="trailing-strings")
        except ValueError:
            return None
