"""The switch above a message that has other branches: ‹ 2 of 3 ›."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static


class BranchBar(Horizontal):
    """Shown above a prompt that was edited or a reply that was retried. The arrows are
    buttons, so Tab reaches them; Alt+Left/Right on the chat screen switch the last one."""

    DEFAULT_CSS = """
    BranchBar { height: 1; width: 100%; margin: 1 0 0 0; color: $text-muted; }
    BranchBar Button { min-width: 3; width: 3; height: 1; border: none; }
    BranchBar Static { width: auto; padding: 0 1; }
    """

    class Switch(Message):
        """Show the branch `step` (-1 or +1) away from this one."""

        def __init__(self, message_id: str, step: int) -> None:
            super().__init__()
            self.message_id = message_id
            self.step = step

    def __init__(self, message_id: str, number: int, count: int, *, role: str) -> None:
        super().__init__(classes="-turn")
        self.message_id = message_id
        self.number = number
        self.count = count
        self._what = "prompt" if role == "user" else "reply"

    def compose(self) -> ComposeResult:
        yield Button(
            "‹",
            id="previous-branch",
            compact=True,
            disabled=self.number == 1,
            tooltip="The branch before (Alt+Left)",
        )
        yield Static(f"{self._what} {self.number} of {self.count}", markup=False)
        yield Button(
            "›",
            id="next-branch",
            compact=True,
            disabled=self.number == self.count,
            tooltip="The branch after (Alt+Right)",
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(
            self.Switch(self.message_id, -1 if event.button.id == "previous-branch" else 1)
        )
