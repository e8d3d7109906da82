"""The line under the conversation while the reader has scrolled up from new output."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Static


class JumpToLatestBar(Static):
    """Hidden while the conversation follows new output; a click jumps to the latest."""

    DEFAULT_CSS = """
    JumpToLatestBar {
        height: 1; display: none; padding: 0 2;
        background: $accent 30%; color: $text; text-align: center;
    }
    JumpToLatestBar.-visible { display: block; }
    JumpToLatestBar:hover { background: $accent 50%; }
    """

    class Pressed(Message):
        """The reader asked for the latest messages."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "↓ More below: click here or press Ctrl+End to jump to the latest", id=id, markup=False
        )

    def show_for(self, following: bool) -> None:
        self.set_class(not following, "-visible")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Pressed())
