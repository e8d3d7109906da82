"""F1: every key Rill answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# Keys

## Writing

| Key | Does |
| --- | --- |
| Enter | send the prompt; while a reply streams, queue it: it is sent when the reply ends well, and comes back to the prompt if the reply fails or is stopped |
| Shift+Enter, Ctrl+J, Alt+Enter | new line (many terminals cannot send Shift+Enter) |
| Up in an empty prompt, or a click on the queued line | take a queued prompt back to edit |
| Up / Down in an empty prompt | recall earlier prompts |
| F6 | expand folded pastes (over 20 lines or 2 KB) back into the prompt; with none there, unfold the conversation's folded prompts |
| Backspace / Delete on a folded paste | remove the whole paste (Ctrl+Z brings it back) |
| Ctrl+Z / Ctrl+Y | undo / redo in the prompt |

## The reply

| Key | Does |
| --- | --- |
| Escape | stop the reply; what arrived is kept, marked stopped |
| Ctrl+C | copy the selected text (in the prompt or on screen); with nothing selected, stop the reply as Escape does; with nothing running either, copy the message that has the focus |
| Ctrl+R | retry the last reply (the old one is kept as a branch) |
| Retry as a new branch, on an older failed reply | ask again for that reply; it and what followed are kept as a branch |
| Ctrl+O | fold or unfold the reasoning of the last reply |
| Enter or click on a reasoning title | fold or unfold that reasoning |
| Tab / Shift+Tab | move between the prompt, panels and buttons (while tool calls wait: between them and the prompt) |
| Shift+Tab from the prompt | go back through the messages (Tab goes forward): Ctrl+C copies the one with the focus, Enter on a prompt unfolds or edits it, Enter on a tool result shows it whole, typing writes in the prompt, Escape goes back to it |

## Tools and JSON answers

| Key | Does |
| --- | --- |
| Tab / Shift+Tab, while tool calls wait | go to a waiting call (the prompt keeps the keys until you do) |
| y, in the call's panel | allow this call once |
| a, in the call's panel | allow this tool for the rest of the conversation: asks first, a again or Enter confirms, Escape cancels |
| n, in the call's panel | deny the call; the model is told and goes on |
| Escape | stop the tool calls waiting or running (a command's whole process group) |
| Ctrl+R, after stopping | let the model go on with the results so far |
| Ctrl+P, "Tool: …" | turn a built-in tool on or off (F8 sets the folders files may be read from) |
| Ctrl+P, "Answer as JSON: …" | the next answer follows a JSON Schema and grows as an outline |

## Branches

| Key | Does |
| --- | --- |
| F2, or a click on a prompt | edit a prompt; Enter sends it as a new branch, Escape cancels |
| Alt+Left / Alt+Right | show the branch before / after (the last switch on screen) |
| ‹ and › above a message | the same, for that message |

## Moving around

| Key | Does |
| --- | --- |
| Page Up / Page Down | scroll the conversation |
| Ctrl+End | back to the latest output, following it again |
| Ctrl+Home | the conversation's first message (a long one shows a page at a time) |
| Ctrl+N | new conversation, with the default model and effort of the settings (F8) |
| F4 | choose this conversation's model: type to search; Ctrl+T marks a favourite, Ctrl+R refreshes the list |
| F5, or a click on the bar above the prompt | reply options: system prompt or preset, reasoning effort, temperature, max tokens |
| F8 | settings: default model, key, endpoint, effort, reasoning display, theme, presets, credit |
| F3 (or Ctrl+H where the terminal tells it from Backspace) | history: browse, search, open, rename, export, delete |
| Ctrl+P | command palette: copy the last reply, a code block or the focused message, export this conversation, and more |
| F1 | this help |
| Ctrl+Q | quit; while a reply streams it asks first (Ctrl+Q again quits, and what arrived is saved). A prompt left unsent is kept, and is back when the conversation is opened again |

Keys can be re-mapped in config.toml's `[keys]` table (`rill config edit`), by binding id,
for example `"rill.history" = "f3,ctrl+g"`: `rill.stop` (Escape), `rill.stop-or-copy`
(Ctrl+C), `rill.retry` (Ctrl+R), `rill.new-chat` (Ctrl+N), `rill.reasoning` (Ctrl+O),
`rill.edit-prompt` (F2), `rill.history` (F3), `rill.model` (F4), `rill.options` (F5),
`rill.settings` (F8), `rill.help` (F1), `rill.branch-before` (Alt+Left), `rill.branch-after`
(Alt+Right), `rill.latest` (Ctrl+End), `rill.start` (Ctrl+Home), `rill.expand-pastes` (F6).
The README has the table.

Copies go to the clipboard through the terminal (OSC 52); some terminals and tmux need
that turned on (`set -g set-clipboard on` in tmux).
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 100%; height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,f1,q", "dismiss_help", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP_TEXT)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
