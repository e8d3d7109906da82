"""The settings one run of Rill works with, gathered from flags and the environment."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from rillchat.redaction import looks_like_api_key

if TYPE_CHECKING:
    from rillchat.chat.tools.configs import CommandToolConfig, McpServerConfig
    from rillchat.presets import Preset, SchemaPreset

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
DEFAULT_MODEL = "openai/gpt-4o-mini"
DEMO_MODEL = "demo/auto"
DEMO_API_KEY = "demo-key-not-secret"
DEFAULT_READING_WIDTH = 100
NARROWEST_READING_WIDTH = 40

API_KEY_ENV = "OPENROUTER_API_KEY"
BASE_URL_ENV = "OPENROUTER_BASE_URL"


@dataclass(frozen=True, slots=True)
class Settings:
    api_key: str | None
    base_url: str = DEFAULT_BASE_URL
    model: str = DEFAULT_MODEL
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    """Seconds without a single byte from the server before the reply counts as stalled.
    Keep-alive comments count as bytes, so a provider that is still thinking is not cut off."""
    retries: int = 1
    """How many times a failure before the first token is retried (network and 5xx only)."""
    generate_titles: bool = False
    """Name each new conversation with its model after the first reply (a small paid call).
    Off by default: a title from the first prompt costs nothing."""
    reasoning_effort: str | None = None
    """The effort new conversations ask of reasoning models; None: the model's default."""
    reasoning_display: str = "folded"
    """How reasoning shows: open while thinking then folded, always open, or folded even
    while it thinks."""
    reading_width: int = DEFAULT_READING_WIDTH
    """The widest the conversation's messages are drawn, centred; 0: the whole width."""
    presets: tuple[Preset, ...] = ()
    theme: str | None = None
    """The theme to start with; None: Textual's default."""
    favourite_models: tuple[str, ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    """(binding id, keys) pairs from config.toml's [keys]."""
    builtin_tools: tuple[str, ...] = ()
    """Built-in tools turned on (datetime, calculator, files); all are off by default."""
    allowed_folders: tuple[str, ...] = ()
    """The only folders the file tools may read."""
    max_tool_rounds: int = 8
    """Rounds of tool calls one prompt may take before Rill stops and says so."""
    command_tools: tuple[CommandToolConfig, ...] = ()
    mcp_servers: tuple[McpServerConfig, ...] = ()
    schemas: tuple[SchemaPreset, ...] = ()
    config_problems: tuple[str, ...] = ()
    """What was wrong in config.toml, for the user to see; the defaults were used instead."""
    api_key_source: str = ""
    """Where the key came from, as a refused key's hint names it: OPENROUTER_API_KEY, or
    api_key in the config file's path; empty when it is not known (a test, the demo)."""

    def with_overrides(self, **changes: Any) -> Settings:
        kept = {name: value for name, value in changes.items() if value is not None}
        return replace(self, **kept)


KEY_GOES_IN = f"an API key goes in the API key field of the settings (F8) or in {API_KEY_ENV}"
KEY_GOES_IN_FROM_SHELL = f"an API key goes in {API_KEY_ENV}, or in api_key in config.toml"
"""Where a key goes, said to someone at the shell prompt (the chat's F8 is not there)."""
KEY_GOES_IN_FILE = f"an API key goes in api_key in this file, or in {API_KEY_ENV}"
"""Said of config.toml's own model setting, in the chat and in the shell alike."""


def model_id_problem(model: str, key_goes_in: str = KEY_GOES_IN) -> str | None:
    """Why `model` cannot be used as a model id, in words for the user; None when it can. A
    key pasted where the model goes must never be sent, shown or saved as the model.
    `key_goes_in`: where the user can put a key instead, from where they are."""
    if looks_like_api_key(model):
        return (
            f"that looks like an API key, not a model id ({key_goes_in}); model ids look "
            f"like {DEFAULT_MODEL}"
        )
    if not model.strip():
        return f"the model id is empty; model ids look like {DEFAULT_MODEL}"
    if any(character.isspace() for character in model):
        return f"a model id has no spaces, like {DEFAULT_MODEL} (got {model!r})"
    return None


def looks_like_base_url(url: str) -> bool:
    """http(s)://host/path: what the CLI and the settings screen accept as a base URL."""
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def key_in_file(path: object) -> str:
    """The `api_key_source` of a key kept in the config file at `path`."""
    return f"api_key in {path}"
