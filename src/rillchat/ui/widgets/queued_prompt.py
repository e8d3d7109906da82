"""The line above the prompt while a prompt written during a reply waits to be sent."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from rillchat.terminal_text import one_line

SHOWN_WORDS = 22
"""Characters of the queued prompt the line shows: enough to recognise it, and short enough
for the whole line to fit in 80 columns."""


class QueuedPromptBar(Static):
    """Hidden unless a prompt is queued. One line, its first words, when it goes and how to
    take it back (a click takes it back too)."""

    DEFAULT_CSS = """
    QueuedPromptBar {
        height: 1; display: none; padding: 0 2;
        background: $accent 25%; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    QueuedPromptBar.-visible { display: block; }
    QueuedPromptBar:hover { background: $accent 45%; }
    """

    class TakeBack(Message):
        """The user asked for the queued prompt back, to edit it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show_queued(self, text: str | None) -> None:
        self.set_class(text is not None, "-visible")
        if text is None:
            return
        words = one_line(text)
        if len(words) > SHOWN_WORDS:
            words = words[:SHOWN_WORDS].rstrip() + "…"
        # The prompt is the user's text: a Content object, never read as markup.
        self.update(
            Content.assemble(
                "» Queued: ",
                ("“" + words + "”", "bold"),
                " · sent when the reply ends · Up edits it",
            )
        )

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.TakeBack())
