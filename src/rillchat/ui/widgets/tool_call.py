"""A tool call the model asked for: its name and arguments as they stream, then pretty JSON."""

from __future__ import annotations

import json

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static

from rillchat.terminal_text import one_line, strip_control


class ToolCallPanel(Vertical):
    """One call, identified by its index in the reply."""

    DEFAULT_CSS = """
    ToolCallPanel {
        height: auto;
        border: round $accent 60%;
        border-title-color: $accent;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ToolCallPanel .tool-arguments { color: $text-muted; }
    ToolCallPanel .tool-status { color: $text-muted; text-style: italic; }
    ToolCallPanel.-complete .tool-status { color: $text-accent; }
    ToolCallPanel.-invalid .tool-status { color: $text-warning; }
    """

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.tool_name = ""
        self.call_id: str | None = None
        self._fragments: list[str] = []
        self._arguments = Static("", classes="tool-arguments", markup=False)
        self._status = Static("Arguments streaming…", classes="tool-status", markup=False)

    def compose(self) -> ComposeResult:
        yield self._arguments
        yield self._status

    def on_mount(self) -> None:
        self._refresh_title()

    @property
    def arguments(self) -> str:
        return "".join(self._fragments)

    def add(self, name: str | None, call_id: str | None, fragment: str) -> None:
        if name:
            self.tool_name = one_line(name)
            self._refresh_title()
        if call_id:
            self.call_id = call_id
        if fragment:
            self._fragments.append(fragment)
            self._arguments.update(Content(strip_control(self.arguments)))

    def complete(self) -> None:
        """The model has said everything about this call."""
        arguments = self.arguments.strip() or "{}"
        try:
            parsed = json.loads(arguments)
        except ValueError:
            self._arguments.update(Content(strip_control(arguments)))
            self._status.update("The arguments are not valid JSON; shown as they arrived.")
            self.add_class("-invalid")
            return
        pretty = json.dumps(parsed, indent=2, ensure_ascii=False)
        self._arguments.update(highlight(strip_control(pretty), language="json"))
        self._status.update(
            f"Requested by the model. Rill does not run tools yet, so the turn ends here.")
        self.add_class("-complete")

    def _refresh_title(self) -> None:
        self.border_title = Content.assemble(("⚙ ", ""), (self.tool_name or "tool call", "bold"))
