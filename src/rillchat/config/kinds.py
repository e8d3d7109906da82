"""The kinds of value a config.toml key can hold. Each kind reads a value the file gives and
checks it; what cannot be used is a problem that names the key, what was wrong and what is
used instead, never a crash. `keys` declares which key is of which kind."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from rillchat.chat.tools.configs import (
    DEFAULT_MAX_OUTPUT,
    DEFAULT_TIMEOUT,
    TOOL_NAME,
    CommandToolConfig,
    McpServerConfig,
)
from rillchat.config.values import KEY_GOES_IN_FILE, model_id_problem
from rillchat.presets import Preset, SchemaPreset
from rillchat.redaction import mask_secrets

T = TypeVar("T")
E = TypeVar("E")

_TYPE_NAMES = {
    str: "text in quotes",
    bool: "true or false",
    dict: "a table",
    list: "a list",
    int: "a whole number",
    float: "a number",
}


def _kind(value: object) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


class Problems:
    """What is wrong in one file, each problem starting with the file's path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[str] = []

    def add(self, text: str) -> None:
        self.found.append(f"{self.path}: {text}")

    def typed(self, table: Mapping[str, Any], key: str, expected: type, where: str = "") -> Any:
        """table[key] when it is of the `expected` type; None when it is missing, and when it
        is of another type (a problem)."""
        if key not in table:
            return None
        value = table[key]
        if type(value) is not expected:
            self.add(
                f"{where}{key} should be {_TYPE_NAMES[expected]}, but it is "
                f"{_kind(value)} ({mask_secrets(repr(value))}); using the default."
            )
            return None
        return value


class Kind(Generic[T]):
    """How a key's value is read from the file."""

    table = False
    """A TOML table (or a list of them) rather than a plain value."""

    def heading(self, name: str) -> str:
        """The key as the file spells it where it starts."""
        return name

    def read(self, document: Mapping[str, Any], name: str, default: T, problems: Problems) -> T:
        """The value of `name` in `document`, or `default` when it is missing or unusable."""
        raise NotImplementedError


class Text(Kind[T]):
    """Text in quotes, stripped; empty is as good as missing."""

    def read(self, document: Mapping[str, Any], name: str, default: T, problems: Problems) -> T:
        value = problems.typed(document, name, str)
        return value.strip() or default if value is not None else default


class ModelId(Text[T]):
    """A model id; one that cannot be (a key pasted in the wrong place) is a problem."""

    def __init__(self, instead: str = "using the default model instead") -> None:
        self.instead = instead

    def read(
        self,
        document: Mapping[str, Any],
        name: str,
        default: T,
        problems: Problems,
        where: str = "",
    ) -> T:
        value = problems.typed(document, name, str, where)
        value = value.strip() if value is not None else None
        if not value:
            return default
        problem = model_id_problem(value, KEY_GOES_IN_FILE)
        if problem is not None:
            problems.add(f"{where}{name}: {problem}; {self.instead}.")
            return default
        return value


class Choice(Text[T]):
    """One of a few words, each with what it means (as the settings screen says it)."""

    def __init__(self, choices: Mapping[str, str]) -> None:
        self.choices = dict(choices)

    def read(self, document: Mapping[str, Any], name: str, default: T, problems: Problems) -> T:
        value = super().read(document, name, default, problems)
        if value is not default and value not in self.choices:
            problems.add(
                f"{name} = {value!r} is not one of {', '.join(self.choices)}; using the default."
            )
            return default
        return value


class Flag(Kind[bool]):
    """true or false; `says`: what it does when on, as the settings screen puts it."""

    def __init__(self, says: str) -> None:
        self.says = says

    def read(
        self, document: Mapping[str, Any], name: str, default: bool, problems: Problems
    ) -> bool:
        value = problems.typed(document, name, bool)
        return default if value is None else bool(value)


class Texts(Kind[tuple[str, ...]]):
    """A list of text in quotes."""

    def read(
        self,
        document: Mapping[str, Any],
        name: str,
        default: tuple[str, ...],
        problems: Problems,
    ) -> tuple[str, ...]:
        values = problems.typed(document, name, list)
        if values is None:
            return default
        if not all(isinstance(value, str) for value in values):
            problems.add(f"{name} should be a list of text in quotes; ignored.")
            return default
        return tuple(values)


class Names(Texts):
    """A list of names from a few known ones, each with what it is (as the settings screen
    says it); an unknown name is left out."""

    def __init__(self, choices: Mapping[str, str], what: str) -> None:
        self.choices = dict(choices)
        self.what = what

    def read(
        self,
        document: Mapping[str, Any],
        name: str,
        default: tuple[str, ...],
        problems: Problems,
    ) -> tuple[str, ...]:
        names = super().read(document, name, default, problems)
        unknown = [each for each in names if each not in self.choices]
        if unknown:
            problems.add(
                f"{name}: {', '.join(map(repr, unknown))} unknown; {self.what} are "
                f"{', '.join(self.choices)}."
            )
        return tuple(each for each in names if each in self.choices)


class WholeNumber(Kind[int]):
    """A whole number, `least` or more."""

    def __init__(self, least: int) -> None:
        self.least = least

    def read(
        self, document: Mapping[str, Any], name: str, default: int, problems: Problems
    ) -> int:
        value = problems.typed(document, name, int)
        if value is None:
            return default
        if value < self.least:
            problems.add(
                f"{name} should be {self.least} or more (got {value}); using the default "
                f"({default})."
            )
            return default
        return int(value)


class Columns(Kind[int]):
    """A width in columns, `narrowest` or more; 0 or "full" for all there is."""

    def __init__(self, narrowest: int) -> None:
        self.narrowest = narrowest

    def read(
        self, document: Mapping[str, Any], name: str, default: int, problems: Problems
    ) -> int:
        value = document.get(name)
        if value is None:
            return default
        if value == "full":
            return 0
        if type(value) is int and (value == 0 or value >= self.narrowest):
            return value
        problems.add(
            f"{name} should be a number of columns ({self.narrowest} or more), or 0 or "
            f'"full" for the whole width, but it is {_kind(value)} ({value!r}); using the '
            f"default ({default})."
        )
        return default


class KeyMap(Kind[tuple[tuple[str, str], ...]]):
    """[name]: binding id = keys."""

    table = True

    def heading(self, name: str) -> str:
        return f"[{name}]"

    def read(
        self,
        document: Mapping[str, Any],
        name: str,
        default: tuple[tuple[str, str], ...],
        problems: Problems,
    ) -> tuple[tuple[str, str], ...]:
        table = problems.typed(document, name, dict)
        if not table:
            return default
        keys = []
        for binding_id, value in table.items():
            if isinstance(value, str) and value.strip():
                keys.append((binding_id, value.strip()))
            else:
                problems.add(
                    f'[{name}] {binding_id} should be keys in quotes, like "ctrl+g" or '
                    '"f3,ctrl+g"; ignored.'
                )
        return tuple(keys)


class Tables(Kind[tuple[E, ...]]):
    """[[name]]: a list of tables, each read into one entry; a table that cannot be used is
    named by its number and left out."""

    table = True

    def heading(self, name: str) -> str:
        return f"[[{name}]]"

    def read(
        self,
        document: Mapping[str, Any],
        name: str,
        default: tuple[E, ...],
        problems: Problems,
    ) -> tuple[E, ...]:
        entries = document.get(name)
        if entries is None:
            return default
        if not isinstance(entries, list):
            problems.add(f"{name} should be a list of [[{name}]] tables; ignored.")
            return default
        read = []
        for number, table in enumerate(entries, start=1):
            where = f"[[{name}]] number {number}: "
            if not isinstance(table, dict):
                problems.add(f"{where}should be a table; ignored.")
                continue
            entry = self.entry(table, where, problems)
            if entry is not None:
                read.append(entry)
        return tuple(read)

    def entry(self, table: dict[str, Any], where: str, problems: Problems) -> E | None:
        raise NotImplementedError


class Presets(Tables[Preset]):
    def __init__(self, efforts: tuple[str, ...]) -> None:
        self.efforts = efforts
        self.model: ModelId[str | None] = ModelId("the preset is kept without a model")

    def entry(self, table: dict[str, Any], where: str, problems: Problems) -> Preset | None:
        name = problems.typed(table, "name", str, where)
        prompt = problems.typed(table, "prompt", str, where)
        if not name or prompt is None:
            problems.add(f"{where}needs a name and a prompt; ignored.")
            return None
        effort = problems.typed(table, "reasoning_effort", str, where)
        if effort is not None and effort not in self.efforts:
            problems.add(
                f"{where}reasoning_effort {effort!r} is not one of "
                f"{', '.join(self.efforts)}; ignored."
            )
            effort = None
        model = self.model.read(table, "model", None, problems, where)
        return Preset(name, prompt, model, effort)


def _positive(
    table: dict[str, Any], key: str, where: str, default: float, problems: Problems
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.add(f"{where}{key} should be a positive number; using {default:g}.")
        return default
    return value


class CommandTools(Tables[CommandToolConfig]):
    def entry(
        self, table: dict[str, Any], where: str, problems: Problems
    ) -> CommandToolConfig | None:
        name = problems.typed(table, "name", str, where)
        command = table.get("command")
        if not name or not TOOL_NAME.fullmatch(name):
            problems.add(f"{where}needs a name of letters, digits, _ or - (at most 64); ignored.")
            return None
        if (
            not isinstance(command, list)
            or not command
            or not all(isinstance(word, str) and word for word in command)
        ):
            problems.add(
                f"{where}{name}: command should be a list of words, like "
                '["python3", "tool.py"] (it runs without a shell); ignored.'
            )
            return None
        parameters = table.get("parameters", {"type": "object", "properties": {}})
        if not isinstance(parameters, dict):
            problems.add(f"{where}{name}: parameters should be a JSON Schema table; ignored.")
            return None
        return CommandToolConfig(
            name=name,
            description=problems.typed(table, "description", str, where) or f"Runs {command[0]}.",
            command=tuple(command),
            parameters=parameters,
            timeout=_positive(table, "timeout", where, DEFAULT_TIMEOUT, problems),
            max_output=int(_positive(table, "max_output", where, DEFAULT_MAX_OUTPUT, problems)),
        )


class McpServers(Tables[McpServerConfig]):
    def entry(
        self, table: dict[str, Any], where: str, problems: Problems
    ) -> McpServerConfig | None:
        name = problems.typed(table, "name", str, where)
        command = problems.typed(table, "command", str, where)
        if not name or not command:
            problems.add(f"{where}needs a name and a command; ignored.")
            return None
        args = table.get("args", [])
        env = table.get("env", {})
        if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
            problems.add(f"{where}{name}: args should be a list of text; ignored.")
            return None
        if not isinstance(env, dict) or not all(isinstance(value, str) for value in env.values()):
            problems.add(f"{where}{name}: env should be a table of text values; ignored.")
            return None
        return McpServerConfig(name, command, tuple(args), dict(env))


class Schemas(Tables[SchemaPreset]):
    def entry(self, table: dict[str, Any], where: str, problems: Problems) -> SchemaPreset | None:
        name = problems.typed(table, "name", str, where)
        schema = table.get("schema")
        file = table.get("file")
        if not name or (schema is None) == (file is None):
            problems.add(
                f"{where}needs a name and either schema (a table) or file (a path); ignored."
            )
            return None
        if schema is not None and not isinstance(schema, dict):
            problems.add(f"{where}{name}: schema should be a table; ignored.")
            return None
        if file is not None and not isinstance(file, str):
            problems.add(f"{where}{name}: file should be a path in quotes; ignored.")
            return None
        return SchemaPreset(name, schema, file)
