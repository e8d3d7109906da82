"""What a new config.toml starts as: every key commented out, each with its help and its
default (or an example, where there is none), all from the keys' declarations."""

from __future__ import annotations

import re
import textwrap

from rillchat.config.keys import KEYS, Key, toml_value

_HEADER = """\
# Rill's settings. Every key is optional; a missing key takes its default, shown below (an
# example where there is none). Rill writes to this file only when you change something in
# the app (F8 in the chat opens the settings). It keeps every setting here and these
# comments, but comments of your own go when it writes the file; the settings Rill writes go
# at the end.
"""


def _plain(markdown: str) -> str:
    """The help without Markdown: no backticks, a link to the README named as such."""
    return re.sub(r"\[([^]]+)\]\([^)]+\)", r"\1 in the README", markdown).replace("`", "")


def _block(key: Key[object]) -> str:
    words = _plain(key.help)
    if key.default is None:
        words += f". Default: {_plain(key.documented_default)}."
    lines = textwrap.wrap(words, width=95, break_on_hyphens=False)
    if key.kind.table:
        lines.append(key.heading)
        lines.extend((key.example or "").splitlines())
    else:
        value = key.example if key.example is not None else toml_value(key.default)
        lines.append(f"{key.file_name} = {value}")
    return "\n".join(f"# {line}" for line in lines)


def commented_template() -> str:
    return _HEADER + "".join(f"\n{_block(key)}\n" for key in KEYS.values())
