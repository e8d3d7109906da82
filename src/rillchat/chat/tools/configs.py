"""The tool settings config.toml can hold, as plain data: the config reader needs these
without importing what runs the tools."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""The names the API accepts for a function tool."""

BUILTIN_TOOLS: dict[str, str] = {
    "datetime": "read the current date and time",
    "calculator": "do arithmetic, and nothing else",
    "files": "read files and list folders, only in the folders you allow",
}
"""What can be turned on, by the name config.toml's builtin_tools uses, and what each lets
the model do (words that follow "lets the model")."""

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_OUTPUT = 20_000


@dataclass(frozen=True, slots=True)
class CommandToolConfig:
    name: str
    description: str
    command: tuple[str, ...]
    parameters: dict[str, Any]
    timeout: float = DEFAULT_TIMEOUT
    max_output: int = DEFAULT_MAX_OUTPUT
    """Bytes of stdout kept; the rest is read and thrown away so the command never blocks."""


@dataclass(frozen=True, slots=True)
class McpServerConfig:
    name: str
    command: str
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
