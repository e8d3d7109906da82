"""Every key config.toml can hold, declared once: its name, type and default (the field of
`Config`), the kind of value it takes (which checks it and words its problems), and one line
of help. The file's reader, the commented template, `rill config show`, the settings screen
and the README's table (its test) are all derived from these declarations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Generic, TypeVar

from rillchat.chat.tools.configs import (
    BUILTIN_TOOLS,
    DEFAULT_MAX_OUTPUT,
    DEFAULT_TIMEOUT,
    CommandToolConfig,
    McpServerConfig,
)
from rillchat.config.kinds import (
    Choice,
    Columns,
    CommandTools,
    Flag,
    KeyMap,
    Kind,
    McpServers,
    ModelId,
    Names,
    Presets,
    Problems,
    Schemas,
    Text,
    Texts,
    WholeNumber,
)
from rillchat.config.values import DEFAULT_BASE_URL, DEFAULT_MODEL
from rillchat.config.variables import API_KEY_ENV, BASE_URL_ENV
from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.presets import Preset, SchemaPreset

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Key(Generic[T]):
    """One key of config.toml, as `setting` declares it on a field of `Config`."""

    kind: Kind[T]
    help: str
    """One line (Markdown) saying what it does: the README's table and the template."""
    example: str | None = None
    """TOML for the template where the default is not worth showing: a value, or the body
    of a table."""
    unset: str | None = None
    """What having none means, where the default is None or a table (the README's words)."""
    in_file: str | None = None
    """The name in the file, where it is not the field's."""
    env: str | None = None
    """The environment variable that wins over the file."""
    flag: str | None = None
    """The command-line flag that wins over both, for one run."""
    secret: bool = False
    label: str = ""
    """The settings screen's name for it."""
    hint: str = ""
    """What the settings screen says under it."""
    name: str = ""
    """The field's name (filled in from `Config`)."""
    default: Any = None
    """The field's default (filled in from `Config`)."""

    @property
    def file_name(self) -> str:
        return self.in_file or self.name

    @property
    def heading(self) -> str:
        """The key as the file spells it where it starts: `model`, `[keys]`, `[[tools]]`."""
        return self.kind.heading(self.file_name)

    def read(self, document: Mapping[str, Any], problems: Problems) -> T:
        return self.kind.read(document, self.file_name, self.default, problems)

    @property
    def plain_default(self) -> bool:
        """Whether the default is a value to write down (not none, not a table)."""
        return self.default is not None and not self.kind.table

    @property
    def documented_default(self) -> str:
        """The default as the README's table gives it (Markdown)."""
        if self.unset is not None:
            return self.unset
        return f"`{toml_value(self.default)}`" if self.plain_default else "none"


def toml_value(value: object) -> str:
    """A plain default as TOML writes it: true, 8, "text", ["a", "b"]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_value(each) for each in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def setting(
    default: T,
    kind: Kind[T],
    help: str,
    *,
    example: str | None = None,
    unset: str | None = None,
    in_file: str | None = None,
    env: str | None = None,
    flag: str | None = None,
    secret: bool = False,
    label: str = "",
    hint: str = "",
) -> T:
    """A field of `Config` that is a key of the file (the default is the field's)."""
    key = Key(kind, help, example, unset, in_file, env, flag, secret, label, hint)
    return field(default=default, metadata={"key": key})


def _either(words: tuple[str, ...]) -> str:
    quoted = [f'`"{word}"`' for word in words]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


NARROWEST_READING_WIDTH = 40
REASONING_SHOWS = {
    "folded": "open while it thinks, folded once it answers",
    "open": "always open",
    "hidden": "folded, even while it thinks",
}
TOOL_SWITCHES = {
    "datetime": "Date and time",
    "calculator": "Calculator (arithmetic, never code)",
    "files": "Read files and list folders, only under the allowed folders",
}
"""The built-in tools as the settings screen offers them."""
assert tuple(TOOL_SWITCHES) == tuple(BUILTIN_TOOLS)


@dataclass(frozen=True, slots=True)
class Config:
    """What config.toml says: each field is a key of the file, with its default."""

    model: str = setting(
        DEFAULT_MODEL,
        ModelId(),
        "the model new conversations start with (`-m/--model` for one run)",
        flag="-m/--model",
        label="Default model",
        hint="New conversations start with it; F4 in the chat changes the current one.",
    )
    base_url: str = setting(
        DEFAULT_BASE_URL,
        Text(),
        f"the API's base URL; `{BASE_URL_ENV}` or `--base-url` win over it",
        env=BASE_URL_ENV,
        flag="--base-url",
        label="Base URL",
    )
    api_key: str | None = setting(
        None,
        Text(),
        f"the key, if not in `{API_KEY_ENV}` (which wins); Rill keeps the file 0600 and warns "
        "if it is not",
        example='"sk-or-v1-..."',
        env=API_KEY_ENV,
        secret=True,
        label="API key",
    )
    reasoning_effort: str | None = setting(
        None,
        Choice({effort: effort for effort in REASONING_EFFORTS}),
        f"{_either(REASONING_EFFORTS)} for new conversations",
        example='"medium"',
        unset="none (the model's own default)",
        label="Reasoning effort",
        hint="For new conversations with reasoning models; F5 in the chat changes the "
        "current one.",
    )
    reasoning_display: str = setting(
        "folded",
        Choice(REASONING_SHOWS),
        '`"folded"` (open while the model thinks, folded once it answers), `"open"` or `"hidden"`',
        label="Reasoning shows",
    )
    reading_width: int = setting(
        100,
        Columns(NARROWEST_READING_WIDTH),
        "the widest the conversation's messages are drawn, in columns "
        f"({NARROWEST_READING_WIDTH} or more), centred "
        'in a wider terminal; `0` or `"full"` uses the whole width',
        label="Reading width",
        hint="The widest replies and prompts are drawn, centred in a wider terminal.",
    )
    cursor_blink: bool = setting(
        True,
        Flag("Blink the text cursor"),
        "blink the cursor where you type; `false` holds it still (and saves the two "
        "redraws a second it costs while nothing else moves)",
    )
    theme: str | None = setting(
        None,
        Text(),
        '`"rill-dark"`, `"rill-dusk"`, `"rill-high-contrast"`, `"rill-light"`, one of '
        "Textual's, or your own",
        example='"textual-dark"',
        unset="Textual's `textual-dark`",
        label="Theme",
    )
    generate_titles: bool = setting(
        False,
        Flag("Name new conversations with their model"),
        "ask the model to name each new conversation (a small paid request each)",
        label="Titles",
        hint="A small paid request for each new conversation; off, a conversation is named "
        "after its first prompt.",
    )
    favourite_models: tuple[str, ...] = setting(
        (),
        Texts(),
        "model ids shown first in the picker, marked ★ (Ctrl+T there)",
    )
    builtin_tools: tuple[str, ...] = setting(
        (),
        Names(TOOL_SWITCHES, what="the built-in tools"),
        "built-in tools that are on: " + ", ".join(f'`"{name}"`' for name in BUILTIN_TOOLS),
        example=toml_value(tuple(BUILTIN_TOOLS)),
        label="Built-in tools",
    )
    allowed_folders: tuple[str, ...] = setting(
        (),
        Texts(),
        "the only folders the `files` tool may read",
        example='["~/notes"]',
        label="Allowed folders",
    )
    max_tool_rounds: int = setting(
        8,
        WholeNumber(least=1),
        "rounds of tool calls one prompt may take before Rill stops and says so",
        label="Max tool rounds",
        hint="Rounds of calls one prompt may take before Rill stops and says so.",
    )
    keys: tuple[tuple[str, str], ...] = setting(
        (),
        KeyMap(),
        'the chat\'s keys re-mapped by binding id, e.g. `"rill.history" = "f3,ctrl+g"` '
        "(every id: [Re-mapping keys](#the-chat-and-its-keys))",
        example='"rill.history" = "f3,ctrl+g"',
    )
    """Textual keymap: (binding id, keys) pairs, e.g. ("rill.history", "f3,ctrl+g")."""
    presets: tuple[Preset, ...] = setting(
        (),
        Presets(REASONING_EFFORTS),
        "system prompts to pick by name: `name`, `prompt`, and optionally `model` and "
        "`reasoning_effort`",
        example='name = "Terse"\nprompt = "Answer in as few words as will do."\n'
        'model = "openai/gpt-4o-mini"\nreasoning_effort = "low"',
    )
    command_tools: tuple[CommandToolConfig, ...] = setting(
        (),
        CommandTools(),
        "command tools: `name`, `command` (an argument list, run without a shell), "
        "`description`, `parameters` (JSON Schema, default an empty object), `timeout` "
        f"(default `{DEFAULT_TIMEOUT:g}` s), `max_output` (default `{DEFAULT_MAX_OUTPUT}` "
        "bytes)",
        example='name = "git_log"\ndescription = "The last commits of the current '
        'repository"\ncommand = ["git", "log", "--oneline", "-n", "20"]\ntimeout = 10\n'
        'parameters = { type = "object", properties = {} }',
        in_file="tools",
    )
    mcp_servers: tuple[McpServerConfig, ...] = setting(
        (),
        McpServers(),
        "MCP servers over stdio: `name`, `command`, `args` (default `[]`), `env` (default `{}`)",
        example='name = "notes"\ncommand = "uvx"\nargs = ["my-notes-mcp-server"]\n'
        'env = { NOTES_DIR = "/home/me/notes" }',
    )
    schemas: tuple[SchemaPreset, ...] = setting(
        (),
        Schemas(),
        "JSON Schemas for structured answers: `name`, and `schema` (inline) or `file` (read "
        "when picked)",
        example='name = "recipe"\nfile = "~/schemas/recipe.json"',
    )


def _declared() -> dict[str, Key[Any]]:
    return {
        each.name: replace(each.metadata["key"], name=each.name, default=each.default)
        for each in fields(Config)
    }


KEYS: Mapping[str, Key[Any]] = _declared()
"""Every key, by its field's name, in the order the file and the README give them."""
DEFAULTS = Config()
