"""One line above the prompt saying how the next reply will be asked for; a click changes it."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from rillchat.chat.conversation import Conversation
from rillchat.terminal_text import one_line


def controls_text(conversation: Conversation, *, reasoning: bool | None, key: str,
                  tools: int | None = 0, schema: str | None = None) -> Content:
    """`tools`: how many are offered (None: some are on but the model takes none);
    `schema`: the JSON Schema the next answer follows."""
    options = conversation.options
    if options.preset and conversation.system_prompt:
        system = f"system: {one_line(options.preset)[:24]}"
    elif conversation.system_prompt:
        system = "system: own prompt"
    else:
        system = "system: none"
    # The schema holds for one answer only and changes it most: first, so a narrow terminal's
    # ellipsis never hides it.
    pieces = [f"next answer: JSON {one_line(schema)[:20]}"] if schema else []
    pieces += [system, *options.summary(reasoning=reasoning)]
    if tools is None:
        pieces.append("tools: n/a")
    elif tools:
        pieces.append(f"tools: {tools}")
    return Content.assemble("  ·  ".join(pieces), (f"   {key} change", "dim"))


class ControlsBar(Static):
    DEFAULT_CSS = """
    ControlsBar { height: 1; padding: 0 2; color: $text-muted; text-wrap: nowrap;
                  text-overflow: ellipsis; }
    ControlsBar:hover { background: $boost; color: $text; }
    """

    class Clicked(Message):
        """Open the reply options."""

    def on_click(self) -> None:
        self.post_message(self.Clicked())
