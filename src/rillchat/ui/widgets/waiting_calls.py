"""The line above the prompt while tool calls wait: that they do, and how to reach them."""

from __future__ import annotations

from textual.widgets import Static


class WaitingCallsBar(Static):
    """Hidden unless calls wait. The prompt keeps the keys meanwhile, so this line is where
    the user learns that a decision is theirs to make, and which key leads to it. One line
    whatever it says: were it to grow when a panel takes the focus, the conversation would
    move under the mouse between the press and the release of a click."""

    DEFAULT_CSS = """
    WaitingCallsBar {
        height: 1; display: none; padding: 0 2;
        background: $warning 25%; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    WaitingCallsBar.-visible { display: block; }
    WaitingCallsBar.-deciding { background: $warning 45%; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def show_waiting(
        self, count: int, deciding: str | None = None, *, confirming: bool = False
    ) -> None:
        """`count` calls wait; `deciding` names the one whose panel has the focus, if any,
        and `confirming` says it asks to confirm allowing that tool from now on."""
        self.set_class(count > 0, "-visible")
        self.set_class(deciding is not None, "-deciding")
        if not count:
            return
        if deciding is not None and confirming:
            # The keys first: on a narrow line the end is cut, and the panel says it whole.
            self.update(
                f"▶ a or Enter confirms, Escape cancels: allow {deciding} for the rest "
                "of this conversation"
            )
        elif deciding is not None:
            self.update(f"▶ Deciding on {deciding}: y, a or n · Tab moves on · Escape stops all")
        elif count == 1:
            self.update("⚙ A tool call waits for you: Tab goes to it · Escape stops it")
        else:
            self.update(f"⚙ {count} tool calls wait for you: Tab goes to them · Escape stops them")
