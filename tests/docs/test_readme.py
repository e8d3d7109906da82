"""The README's configuration reference names every key config.toml can hold."""

from __future__ import annotations

import re
from pathlib import Path

import tomli_w

from rillchat.config.keys import KEYS, Config

README = Path(__file__).resolve().parents[2] / "README.md"


def reference_rows() -> dict[str, tuple[str, str]]:
    """The configuration table: each key's default and what it does."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Configuration\n") :]
    section = section[: section.index("\n## ", 1)]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| (.+) \|$", section, flags=re.MULTILINE)
    return {key: (default.strip(), help.strip()) for key, default, help in rows}


def test_every_config_key_is_in_the_reference_with_a_default():
    rows = reference_rows()
    assert sorted(rows) == sorted(key.heading for key in KEYS.values())
    assert all(default for default, _ in rows.values())


def test_the_reference_gives_each_key_its_declared_default_and_help():
    rows = reference_rows()
    for key in KEYS.values():
        assert rows[key.heading] == (key.documented_default, key.help), key.name


def test_the_plain_defaults_in_the_reference_are_the_real_ones():
    rows = reference_rows()
    defaults = Config()
    for key in KEYS.values():
        value = getattr(defaults, key.name)
        if not key.plain_default:
            continue
        written = f"`{tomli_w.dumps({'key': value}).split(' = ', 1)[1].strip()}`"
        assert rows[key.heading][0] == written, key.name


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
