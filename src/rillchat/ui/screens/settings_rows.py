"""The settings screen's rows, named and explained as config.toml's keys declare them, and
the checks its text fields make before a value is saved."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from rillchat.config.keys import KEYS
from rillchat.config.kinds import Flag, WholeNumber
from rillchat.config.values import looks_like_base_url

if TYPE_CHECKING:
    from rillchat.chat.tools.session import ToolSession
    from rillchat.config.settings import Settings

KEY_PLACEHOLDER = "paste your key (kept in config.toml, readable by you only)"
"""Words, not the start of a key: a placeholder like sk-or-… reads as a key already set."""

READING_WIDTHS = (72, 80, 100, 120, 140)
MOST_TOOL_ROUNDS = 100
"""The most rounds the screen takes (the file takes any number)."""


def section(title: str) -> Label:
    return Label(title, classes="section")


def row(name: str, *widgets: Widget) -> Horizontal:
    return Horizontal(Label(name, classes="name"), *widgets, classes="row")


def key_row(key: str, *widgets: Widget) -> Horizontal:
    """A row named as the key's declaration names it for this screen."""
    return row(KEYS[key].label, *widgets)


def hint(text: str, *, wide: bool = False) -> Static:
    return Static(text, classes="hint -wide" if wide else "hint", markup=False)


def key_hint(key: str) -> Static:
    return hint(KEYS[key].hint)


def says(key: str) -> str:
    """What a true-or-false key does when on, in the screen's words."""
    kind = KEYS[key].kind
    assert isinstance(kind, Flag)
    return kind.says


def text_field(
    value: str,
    id: str,
    blink: bool,
    *,
    placeholder: str = "",
    password: bool = False,
    disabled: bool = False,
) -> Input:
    field = Input(
        value, placeholder=placeholder, id=id, password=password, disabled=disabled, compact=True
    )
    field.cursor_blink = blink
    return field


def choice(options: Iterable[tuple[str, object]], value: object, id: str) -> Select[object]:
    return Select(options, value=value, allow_blank=False, id=id, compact=True)


def reading_width_choices(current: int) -> list[tuple[str, int]]:
    """The usual widths, the one in config.toml among them even when it is another."""
    default = KEYS["reading_width"].default
    widths = sorted({*READING_WIDTHS, current} - {0})
    return [
        (f"{width} columns" + (" (default)" if width == default else ""), width)
        for width in widths
    ] + [("The whole window", 0)]


def base_url_problem(url: str) -> str | None:
    if looks_like_base_url(url):
        return None
    return (
        f"Not saved: a base URL looks like https://host/path, such as "
        f"{KEYS['base_url'].default} (got {url!r})."
    )


def api_key_problem(key: str) -> str | None:
    if any(character.isspace() for character in key):
        return (
            "Not saved: an API key has no spaces (OpenRouter's look like sk-or-v1-…); paste it "
            "again."
        )
    return None


def folders_problem(folders: tuple[str, ...]) -> str | None:
    missing = [folder for folder in folders if not os.path.isdir(os.path.expanduser(folder))]
    if not missing:
        return None
    return (
        f"Not saved: {', '.join(map(repr, missing))} "
        f"{'is not a folder' if len(missing) == 1 else 'are not folders'} "
        f"here. Separate folders with {os.pathsep!r}."
    )


def rounds_of(value: str) -> int | None:
    """The max tool rounds a field holds; None when it is not a number the screen takes."""
    try:
        rounds = int(value)
    except ValueError:
        return None
    least = _least_rounds()
    return rounds if least <= rounds <= MOST_TOOL_ROUNDS else None


def _least_rounds() -> int:
    kind = KEYS["max_tool_rounds"].kind
    assert isinstance(kind, WholeNumber)
    return kind.least


def rounds_problem(value: str) -> str:
    least = _least_rounds()
    return (
        f"Not saved: max tool rounds is a whole number from {least} to {MOST_TOOL_ROUNDS} "
        f"(got {value!r})."
    )


def configured_tools(settings: Settings, session: ToolSession) -> str:
    """What config.toml adds that is edited in the file: command tools, MCP servers,
    schemas."""
    lines = []
    commands = ", ".join(tool.name for tool in settings.command_tools)
    lines.append(f"Command tools ({KEYS['command_tools'].heading}): {commands or 'none'}")
    servers = []
    for config in settings.mcp_servers:
        server = next((running for running in session.servers if running.config is config), None)
        if server is None:
            state = "starting…"
        elif server.failure is not None:
            state = "did not start"
        else:
            state = f"{len(server.tools)} tools"
        servers.append(f"{config.name} ({state})")
    lines.append(f"MCP servers ({KEYS['mcp_servers'].heading}): {', '.join(servers) or 'none'}")
    schemas = ", ".join(schema.name for schema in settings.schemas)
    lines.append(f"JSON schemas ({KEYS['schemas'].heading}): {schemas or 'none'}")
    lines.append("These are edited in config.toml (rill config edit).")
    return "\n".join(lines)
