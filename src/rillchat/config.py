"""`config.toml`: what the user set, read with tomllib and written back with tomli-w only when
they change something in Rill. Keys Rill does not know are kept as they were."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rillchat.chat.tools.configs import (
    BUILTIN_TOOLS,
    DEFAULT_MAX_OUTPUT,
    DEFAULT_MAX_ROUNDS,
    DEFAULT_TIMEOUT,
    TOOL_NAME,
    CommandToolConfig,
    McpServerConfig,
)
from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.paths import config_dir
from rillchat.presets import Preset, SchemaPreset
from rillchat.redaction import mask_secrets
from rillchat.settings import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_MODEL,
    DEFAULT_READING_WIDTH,
    KEY_GOES_IN_FILE,
    NARROWEST_READING_WIDTH,
    Settings,
    key_in_file,
    model_id_problem,
)

CONFIG_NAME = "config.toml"
REASONING_DISPLAYS = ("folded", "open", "hidden")
"""How a reply's reasoning shows once the answer starts."""


@dataclass(frozen=True, slots=True)
class Config:
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    reasoning_effort: str | None = None
    reasoning_display: str = "folded"
    reading_width: int = DEFAULT_READING_WIDTH
    theme: str | None = None
    generate_titles: bool = False
    favourite_models: tuple[str, ...] = ()
    presets: tuple[Preset, ...] = ()
    keys: dict[str, str] = field(default_factory=dict)
    """Textual keymap: binding id to keys, e.g. {"rill.history": "f3,ctrl+g"}."""
    builtin_tools: tuple[str, ...] = ()
    allowed_folders: tuple[str, ...] = ()
    max_tool_rounds: int = DEFAULT_MAX_ROUNDS
    command_tools: tuple[CommandToolConfig, ...] = ()
    mcp_servers: tuple[McpServerConfig, ...] = ()
    schemas: tuple[SchemaPreset, ...] = ()


class ConfigError(Exception):
    """The file cannot be used (or written back): the message names the file, the place and
    what to do."""


_TEMPLATE = """\
# Rill's settings. Every key is optional; a missing key takes the default shown.
# Rill writes to this file only when you change something in the app (F8 in the chat
# opens the settings). It keeps every setting here and these comments, but comments of
# your own go when it writes the file; the settings Rill writes go at the end.

# model = "{model}"
# base_url = "{base_url}"       # any OpenAI-compatible endpoint
# api_key = "sk-or-v1-..."      # {api_key_env} wins when it is set; the file is then 0600
# reasoning_effort = "medium"   # none, minimal, low, medium, high, xhigh
# reasoning_display = "folded"  # folded once it answers; open; hidden (folded throughout)
# reading_width = 100          # widest the messages are drawn, centred; 0 or "full": all of it
# theme = "textual-dark"
# generate_titles = false       # name new conversations with their model (a paid call)
# builtin_tools = ["datetime", "calculator", "files"]   # each is off until listed
# allowed_folders = ["~/notes"]  # the only folders the files tool may read
# max_tool_rounds = 8            # rounds of tool calls one prompt may take

# [[presets]]
# name = "Terse"
# prompt = "Answer in as few words as will do."
# model = "openai/gpt-4o-mini"   # optional
# reasoning_effort = "low"       # optional

# [[tools]]                      # a command tool: no shell, arguments as JSON on stdin
# name = "git_log"
# description = "The last commits of the current repository"
# command = ["git", "log", "--oneline", "-n", "20"]
# timeout = 10                   # seconds (default 30); then it is killed
# parameters = {{ type = "object", properties = {{}} }}

# [[mcp_servers]]                # an MCP server over stdio
# name = "notes"
# command = "uvx"
# args = ["my-notes-mcp-server"]
# env = {{ NOTES_DIR = "/home/me/notes" }}

# [[schemas]]                    # JSON Schemas for structured answers (palette: Answer as JSON)
# name = "recipe"
# file = "~/schemas/recipe.json" # or: schema = {{ type = "object", ... }}

# [keys]                         # re-map keys: binding id = "key,other key"
# "rill.history" = "f3,ctrl+g"   # every id: the README, "Re-mapping keys"
"""


def commented_template() -> str:
    """What a new config.toml starts as: every setting, commented out, with its default."""
    return _TEMPLATE.format(
        model=DEFAULT_MODEL, base_url=DEFAULT_BASE_URL, api_key_env=API_KEY_ENV
    )


def write_template(path: Path) -> None:
    """Make `path` the commented template (for `rill config edit` on a missing file)."""
    save_config({}, path)


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def read_document(path: Path) -> dict[str, Any]:
    """The file as TOML, or {} when there is none. Raises ConfigError for a file that is not
    TOML, with the line and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}).") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}. Rill uses its defaults and leaves "
            "the file as it is until it is fixed (rill config edit)."
        ) from exc


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """The configuration, and the problems found in it: each problem names the key and what
    was expected, and the key falls back to its default. Never raises."""
    path = path or config_path()
    try:
        document = read_document(path)
    except ConfigError as exc:
        return Config(), [str(exc)]
    problems: list[str] = []
    reader = _Reader(path, document, problems)
    config = Config(
        model=reader.model(),
        base_url=reader.text("base_url"),
        api_key=reader.text("api_key"),
        reasoning_effort=reader.choice("reasoning_effort", REASONING_EFFORTS),
        reasoning_display=reader.choice("reasoning_display", REASONING_DISPLAYS) or "folded",
        reading_width=reader.reading_width(),
        theme=reader.text("theme"),
        generate_titles=reader.flag("generate_titles"),
        favourite_models=reader.texts("favourite_models"),
        presets=reader.presets(),
        keys=reader.keys(),
        builtin_tools=reader.builtin_tools(),
        allowed_folders=reader.texts("allowed_folders"),
        max_tool_rounds=reader.positive_int("max_tool_rounds") or DEFAULT_MAX_ROUNDS,
        command_tools=reader.command_tools(),
        mcp_servers=reader.mcp_servers(),
        schemas=reader.schemas(),
    )
    if config.api_key and path.stat().st_mode & 0o077:
        problems.append(
            f"{path} holds an API key and other users can read it: run chmod 600 {path}"
        )
    return config, problems


def save_config(changes: dict[str, Any], path: Path | None = None) -> Path:
    """Write `changes` (top-level keys; None removes one) into the file, keeping everything
    else in it. A new file starts as the commented template, and a file that still starts
    with it keeps it; other comments are lost (tomllib keeps none). Written whole to a new
    file then renamed, so a crash never leaves half a file; 0600 when it holds an API key.
    Raises ConfigError when the file there is broken, rather than replace what the user
    wrote."""
    import tomli_w

    path = path or config_path()
    document = read_document(path)
    template = commented_template()
    try:
        keeps_template = path.read_text(encoding="utf-8").startswith(template)
    except FileNotFoundError:
        keeps_template = True
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = "api_key" in document
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        if secret:
            os.fchmod(descriptor, 0o600)
        settings = tomli_w.dumps(document, multiline_strings=True)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"{template}\n{settings}" if keeps_template else settings)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


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


class _Reader:
    """Reads each key with its expected type; a wrong one is a problem, not a crash."""

    def __init__(self, path: Path, document: dict[str, Any], problems: list[str]) -> None:
        self._path = path
        self._document = document
        self._problems = problems

    def _get(
        self, key: str, expected: type, table: dict[str, Any] | None = None, where: str = ""
    ) -> Any:
        source = self._document if table is None else table
        if key not in source:
            return None
        value = source[key]
        if type(value) is not expected:
            self._problems.append(
                f"{self._path}: {where}{key} should be {_TYPE_NAMES[expected]}, but it is "
                f"{_kind(value)} ({mask_secrets(repr(value))}); using the default."
            )
            return None
        return value

    def text(self, key: str) -> str | None:
        value = self._get(key, str)
        return value.strip() or None if value is not None else None

    def model(
        self,
        table: dict[str, Any] | None = None,
        where: str = "",
        *,
        instead: str = "using the default model instead",
    ) -> str | None:
        """A model id; one that cannot be (a key pasted in the wrong place) is a problem."""
        value = self._get("model", str, table, where)
        value = value.strip() if value is not None else None
        if not value:
            return None
        problem = model_id_problem(value, KEY_GOES_IN_FILE)
        if problem is not None:
            self._problems.append(f"{self._path}: {where}model: {problem}; {instead}.")
            return None
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list)
        if values is None:
            return ()
        if not all(isinstance(value, str) for value in values):
            self._problems.append(
                f"{self._path}: {key} should be a list of text in quotes; ignored."
            )
            return ()
        return tuple(values)

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool))

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is not None and value not in choices:
            self._problems.append(
                f"{self._path}: {key} = {value!r} is not one of "
                f"{', '.join(choices)}; using the default."
            )
            return None
        return value

    def presets(self) -> tuple[Preset, ...]:
        entries = self._document.get("presets")
        if entries is None:
            return ()
        if not isinstance(entries, list):
            self._problems.append(
                f"{self._path}: presets should be a list of [[presets]] tables; ignored."
            )
            return ()
        presets = []
        for number, entry in enumerate(entries, start=1):
            where = f"[[presets]] number {number}: "
            if not isinstance(entry, dict):
                self._problems.append(f"{self._path}: {where}should be a table; ignored.")
                continue
            name = self._get("name", str, entry, where)
            prompt = self._get("prompt", str, entry, where)
            if not name or prompt is None:
                self._problems.append(f"{self._path}: {where}needs a name and a prompt; ignored.")
                continue
            effort = self._get("reasoning_effort", str, entry, where)
            if effort is not None and effort not in REASONING_EFFORTS:
                self._problems.append(
                    f"{self._path}: {where}reasoning_effort {effort!r} is "
                    f"not one of {', '.join(REASONING_EFFORTS)}; ignored."
                )
                effort = None
            model = self.model(entry, where, instead="the preset is kept without a model")
            presets.append(Preset(name, prompt, model, effort))
        return tuple(presets)

    def keys(self) -> dict[str, str]:
        table = self._get("keys", dict)
        if not table:
            return {}
        keys = {}
        for binding_id, value in table.items():
            if isinstance(value, str) and value.strip():
                keys[binding_id] = value.strip()
            else:
                self._problems.append(
                    f"{self._path}: [keys] {binding_id} should be keys in "
                    f'quotes, like "ctrl+g" or "f3,ctrl+g"; ignored.'
                )
        return keys

    def reading_width(self) -> int:
        value = self._document.get("reading_width")
        if value is None:
            return DEFAULT_READING_WIDTH
        if value == "full":
            return 0
        if type(value) is int and (value == 0 or value >= NARROWEST_READING_WIDTH):
            return value
        self._problems.append(
            f"{self._path}: reading_width should be a number of columns "
            f'({NARROWEST_READING_WIDTH} or more), or 0 or "full" for the whole width, but '
            f"it is {_kind(value)} ({value!r}); using the default ({DEFAULT_READING_WIDTH})."
        )
        return DEFAULT_READING_WIDTH

    def positive_int(self, key: str) -> int | None:
        value = self._get(key, int)
        if value is not None and value < 1:
            self._problems.append(f"{self._path}: {key} should be 1 or more; using the default.")
            return None
        return value

    def builtin_tools(self) -> tuple[str, ...]:
        names = self.texts("builtin_tools")
        unknown = [name for name in names if name not in BUILTIN_TOOLS]
        if unknown:
            self._problems.append(
                f"{self._path}: builtin_tools: {', '.join(map(repr, unknown))} "
                f"unknown; the built-in tools are {', '.join(BUILTIN_TOOLS)}."
            )
        return tuple(name for name in names if name in BUILTIN_TOOLS)

    def _tables(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        """The [[key]] tables, each with the words that say where it is."""
        entries = self._document.get(key)
        if entries is None:
            return []
        if not isinstance(entries, list):
            self._problems.append(
                f"{self._path}: {key} should be a list of [[{key}]] tables; ignored."
            )
            return []
        tables = []
        for number, entry in enumerate(entries, start=1):
            where = f"[[{key}]] number {number}: "
            if isinstance(entry, dict):
                tables.append((where, entry))
            else:
                self._problems.append(f"{self._path}: {where}should be a table; ignored.")
        return tables

    def _number(self, key: str, table: dict[str, Any], where: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self._problems.append(
                f"{self._path}: {where}{key} should be a positive number; using {default:g}."
            )
            return default
        return value

    def command_tools(self) -> tuple[CommandToolConfig, ...]:
        tools = []
        for where, entry in self._tables("tools"):
            name = self._get("name", str, entry, where)
            command = entry.get("command")
            if not name or not TOOL_NAME.fullmatch(name):
                self._problems.append(
                    f"{self._path}: {where}needs a name of letters, digits, "
                    "_ or - (at most 64); ignored."
                )
                continue
            if (
                not isinstance(command, list)
                or not command
                or not all(isinstance(word, str) and word for word in command)
            ):
                self._problems.append(
                    f"{self._path}: {where}{name}: command should be a list of words, like "
                    '["python3", "tool.py"] (it runs without a shell); ignored.'
                )
                continue
            parameters = entry.get("parameters", {"type": "object", "properties": {}})
            if not isinstance(parameters, dict):
                self._problems.append(
                    f"{self._path}: {where}{name}: parameters should be a "
                    "JSON Schema table; ignored."
                )
                continue
            tools.append(
                CommandToolConfig(
                    name=name,
                    description=self._get("description", str, entry, where)
                    or f"Runs {command[0]}.",
                    command=tuple(command),
                    parameters=parameters,
                    timeout=self._number("timeout", entry, where, DEFAULT_TIMEOUT),
                    max_output=int(self._number("max_output", entry, where, DEFAULT_MAX_OUTPUT)),
                )
            )
        return tuple(tools)

    def mcp_servers(self) -> tuple[McpServerConfig, ...]:
        servers = []
        for where, entry in self._tables("mcp_servers"):
            name = self._get("name", str, entry, where)
            command = self._get("command", str, entry, where)
            if not name or not command:
                self._problems.append(f"{self._path}: {where}needs a name and a command; ignored.")
                continue
            args = entry.get("args", [])
            env = entry.get("env", {})
            if not isinstance(args, list) or not all(isinstance(arg, str) for arg in args):
                self._problems.append(
                    f"{self._path}: {where}{name}: args should be a list of text; ignored."
                )
                continue
            if not isinstance(env, dict) or not all(
                isinstance(value, str) for value in env.values()
            ):
                self._problems.append(
                    f"{self._path}: {where}{name}: env should be a table of text values; ignored."
                )
                continue
            servers.append(McpServerConfig(name, command, tuple(args), dict(env)))
        return tuple(servers)

    def schemas(self) -> tuple[SchemaPreset, ...]:
        schemas = []
        for where, entry in self._tables("schemas"):
            name = self._get("name", str, entry, where)
            schema = entry.get("schema")
            file = entry.get("file")
            if not name or (schema is None) == (file is None):
                self._problems.append(
                    f"{self._path}: {where}needs a name and either schema "
                    "(a table) or file (a path); ignored."
                )
                continue
            if schema is not None and not isinstance(schema, dict):
                self._problems.append(
                    f"{self._path}: {where}{name}: schema should be a table; ignored."
                )
                continue
            if file is not None and not isinstance(file, str):
                self._problems.append(
                    f"{self._path}: {where}{name}: file should be a path in quotes; ignored."
                )
                continue
            schemas.append(SchemaPreset(name, schema, file))
        return tuple(schemas)


def settings_from_environment() -> Settings:
    """Settings from config.toml, with the environment winning where both say something."""
    config, problems = load_config()
    key_from_environment = os.environ.get(API_KEY_ENV)
    return Settings(
        api_key=key_from_environment or config.api_key,
        api_key_source=(
            API_KEY_ENV
            if key_from_environment
            else key_in_file(config_path())
            if config.api_key
            else ""
        ),
        base_url=os.environ.get(BASE_URL_ENV) or config.base_url or DEFAULT_BASE_URL,
        model=config.model or DEFAULT_MODEL,
        generate_titles=config.generate_titles,
        reasoning_effort=config.reasoning_effort,
        reasoning_display=config.reasoning_display,
        reading_width=config.reading_width,
        presets=config.presets,
        theme=config.theme,
        favourite_models=config.favourite_models,
        keys=tuple(config.keys.items()),
        builtin_tools=config.builtin_tools,
        allowed_folders=config.allowed_folders,
        max_tool_rounds=config.max_tool_rounds,
        command_tools=config.command_tools,
        mcp_servers=config.mcp_servers,
        schemas=config.schemas,
        config_problems=tuple(problems),
    )
