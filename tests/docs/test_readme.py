"""The README's configuration reference names every key config.toml can hold."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import tomli_w

from rillchat.config import Config

README = Path(__file__).resolve().parents[2] / "README.md"
TABLES = {
    "presets": "[[presets]]",
    "command_tools": "[[tools]]",
    "mcp_servers": "[[mcp_servers]]",
    "schemas": "[[schemas]]",
    "keys": "[keys]",
}
"""Config fields that are TOML tables, as the file spells them."""


def reference_rows() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Configuration\n") :]
    section = section[: section.index("\n## ", 1)]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    return {key: default.strip() for key, default in rows}


def test_every_config_key_is_in_the_reference_with_a_default():
    rows = reference_rows()
    keys = [TABLES.get(field.name, field.name) for field in dataclasses.fields(Config)]
    assert sorted(rows) == sorted(keys)
    assert all(rows.values())


def test_the_plain_defaults_in_the_reference_are_the_real_ones():
    rows = reference_rows()
    defaults = Config()
    for field in dataclasses.fields(Config):
        value = getattr(defaults, field.name)
        if field.name in TABLES or value is None:
            continue
        written = f"`{tomli_w.dumps({'key': value}).split(' = ', 1)[1].strip()}`"
        assert rows[field.name] == written, field.name


def test_every_binding_id_the_chat_accepts_is_documented_with_its_default_key():
    from rillchat.ui.screens.chat import ChatScreen
    from rillchat.ui.screens.help import HELP_TEXT
    from rillchat.ui.widgets.prompt_input import PromptInput

    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Re-mapping keys.**") :]
    section = section[: section.index("\n## ")]
    rows = dict(re.findall(r"^\| `(rill\.[^`]+)` \| ([^|]+) \|", section, flags=re.MULTILINE))
    accepted = {
        binding.id: binding.key
        for bindings in (ChatScreen.BINDINGS, PromptInput.BINDINGS)
        for binding in bindings
        if binding.id
    }
    assert sorted(rows) == sorted(accepted)
    for binding_id, keys in accepted.items():
        written = [key.strip().lower() for key in rows[binding_id].split(",")]
        assert written == keys.split(","), binding_id
        assert f"`{binding_id}`" in HELP_TEXT, f"{binding_id} is not in the help (F1)"
