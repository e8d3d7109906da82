"""What an empty conversation says: how to start, what the demo can show, how to add a key."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from rillchat.terminal_text import strip_control
from rillchat.ui.widgets.reply_body import ReplyBody

DEMO_WELCOME = """\
**Demo mode.** Rill is talking to its built-in local server over real HTTP; no key needed.
Type one of these as the whole message and press **Enter**:

- `hello`: Markdown · `reasoning`: thinking in its own panel · `long`: long, fast
- `tools`: two rounds of tool calls; **Tab** to each, then **y**es (**a**lways, **n**o)
- `a failing tool`, `bad arguments`, `a slow tool` (**Escape** stops it)
- `books`: JSON (**Ctrl+P** → *Answer as JSON: books* makes any answer JSON)
- `untrusted`: hostile text, shown inert · `help`: this list again
- `trickle`: a word at a time · `huge chunk`: 256 KB in one piece
- Failing before any token: `error 401`, `402`, `429`, `500`, `502`, `503`, `html`
- Failing after it: `mid-stream error`, `choice error`, `drop`, `stall`, `not json`
- Your key quoted back, masked: `echo key`, `echo key 502`, `echo key mid-stream`

Each failure happens once: **Retry** (or **Ctrl+R**) then succeeds.
**F1** lists every key; **Ctrl+P** opens the command palette.
"""

NO_KEY = """\
### No API key yet

Rill needs an OpenRouter key to talk to real models.

1. Create one at <https://openrouter.ai/settings/keys>.
2. Press **F8** and paste it into *API key*: it is saved in config.toml (readable only by
   you) and used at once, no restart.

Or set it in your shell and start Rill again: `export OPENROUTER_API_KEY=sk-or-v1-…`, then `rill`.

Or try everything without a key: quit (**Ctrl+Q**) and run `rill --demo`.
"""

READY = """\
Type a message and press **Enter** to send it; **Ctrl+J** adds a new line.
**F1** lists every key; **Ctrl+P** opens the command palette.
"""


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def literal(text: str) -> str:
    """`text` to put in a notice's Markdown as it is: paths, key names and TOML errors are
    full of characters Markdown would read as formatting."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", strip_control(text))


def config_problems(problems: tuple[str, ...]) -> str:
    items = "\n".join(f"- {literal(problem)}" for problem in problems)
    return (
        f"**config.toml has problems**; Rill uses its defaults for these and does not "
        f"touch the file (`rill config edit` opens it):\n\n{items}"
    )


class Notice(Vertical):
    """Rill's own words (trusted Markdown), shown in an empty conversation."""

    DEFAULT_CSS = """
    Notice {
        height: auto;
        margin: 1 0;
        border: round $primary 50%;
    }
    Notice.-warning { border: round $warning; }
    Notice > ReplyBody { padding: 0 1; }
    Notice > Button { margin: 1 1 0 1; }
    """

    def __init__(
        self,
        source: str,
        *,
        classes: str | None = None,
        id: str | None = None,
        action: tuple[str, str] | None = None,
    ) -> None:
        """`action`: (button id, label) for something the reader can do about it."""
        super().__init__(classes=classes, id=id)
        self.source = source
        self._action = action

    def compose(self) -> ComposeResult:
        yield ReplyBody(self.source, end_margin=False)
        if self._action is not None:
            button_id, label = self._action
            yield Button(label, id=button_id, variant="warning", compact=True)
