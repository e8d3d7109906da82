"""A tool call the model asked for: its arguments as they stream, then the user's decision,
the run with its elapsed time, and the result, folded to a few lines."""

from __future__ import annotations

import json
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Static

from rillchat.chat.conversation import Decision, ToolResultPart
from rillchat.chat.summary import format_seconds
from rillchat.terminal_text import one_line, strip_control

RESULT_LINES = 6
"""Lines of a result shown before "Show all"."""

_ALLOWED = frozenset({Decision.ALLOWED_ONCE, Decision.ALLOWED_IN_CHAT, Decision.ALLOWED_BY_FLAG})
"""Decisions that let a call run; their values are the words shown."""


class ToolCallPanel(Vertical, can_focus=False):
    """One call, identified by its index in the reply. Its state shows as a class:
    -streaming, -waiting, -running, -done, -failed, -denied, -stopped."""

    DEFAULT_CSS = """
    ToolCallPanel {
        height: auto;
        border: round $accent 60%;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ToolCallPanel .tool-arguments { color: $text-muted; }
    ToolCallPanel .tool-status { color: $text-muted; text-style: italic; }
    ToolCallPanel .tool-result { color: $text; margin: 1 0 0 0; display: none; }
    ToolCallPanel.-has-result .tool-result { display: block; }
    ToolCallPanel .tool-buttons { height: auto; display: none; margin: 1 0 0 0; }
    ToolCallPanel.-waiting .tool-buttons { display: block; }
    ToolCallPanel .tool-buttons Button { margin: 0 1 0 0; }
    ToolCallPanel #more { display: none; margin: 0; }
    ToolCallPanel.-long-result #more { display: block; }
    ToolCallPanel.-invalid .tool-status { color: $text-warning; }
    ToolCallPanel.-waiting { border: round $warning; border-title-color: $warning; }
    ToolCallPanel.-waiting .tool-status { color: $text-warning; text-style: bold; }
    ToolCallPanel.-running { border: round $accent; }
    ToolCallPanel.-running .tool-status { color: $text-accent; }
    ToolCallPanel.-done .tool-status { color: $text-success; }
    ToolCallPanel.-failed { border: round $error 70%; }
    ToolCallPanel.-failed .tool-status, ToolCallPanel.-failed .tool-result { color: $text-error; }
    ToolCallPanel.-denied .tool-status, ToolCallPanel.-stopped .tool-status {
        color: $text-warning;
    }
    """

    BINDINGS = [
        Binding("y", "decide('once')", "Allow once", show=False),
        Binding("a", "decide('chat')", "Allow in this chat", show=False),
        Binding("n,d", "decide('deny')", "Deny", show=False),
    ]

    class Decided(Message):
        """The user allowed or denied a waiting call."""

        def __init__(self, panel: ToolCallPanel, decision: Decision) -> None:
            super().__init__()
            self.panel = panel
            self.decision = decision

    def __init__(self, index: int, clock: Callable[[], float] | None = None) -> None:
        super().__init__(classes="-streaming")
        self.index = index
        self.tool_name = ""
        self.call_id: str | None = None
        self.result_message_id: str | None = None
        """The id of the tool message holding this call's result, once there is one."""
        self._clock = clock
        self._fragments: list[str] = []
        self._note = ""
        """What is wrong with the arguments, if anything."""
        self._arguments = Static("", classes="tool-arguments", markup=False)
        self._status = Static("Arguments streaming…", classes="tool-status", markup=False)
        self._result = Static("", classes="tool-result", markup=False)
        self._result_text = ""
        self._unfolded = False
        self._decision_words = ""
        self._run_started: float | None = None
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield self._arguments
        yield self._status
        with Horizontal(classes="tool-buttons"):
            yield Button("Allow once (y)", id="allow-once", compact=True, variant="primary")
            yield Button("Allow in this chat (a)", id="allow-chat", compact=True)
            yield Button("Deny (n)", id="deny", compact=True, variant="error")
        yield self._result
        yield Button("Show all", id="more", compact=True)

    def on_mount(self) -> None:
        self._refresh_title()

    @property
    def arguments(self) -> str:
        return "".join(self._fragments)

    @property
    def state(self) -> str:
        return next((name[1:] for name in self.classes if name[1:] in _STATES), "streaming")

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
        """The model has said everything about this call: show the arguments as JSON."""
        arguments = self.arguments.strip() or "{}"
        try:
            parsed = json.loads(arguments)
        except ValueError:
            self._arguments.update(Content(strip_control(arguments)))
            self._note = "The arguments are not valid JSON; shown as they arrived."
            self.add_class("-invalid")
            self._set_state("streaming", self._note)
            return
        pretty = json.dumps(parsed, indent=2, ensure_ascii=False)
        from textual.highlight import highlight  # Pygments: once a call's arguments are in

        self._arguments.update(highlight(strip_control(pretty), language="json"))
        self._set_state("streaming", "Requested by the model.")

    def not_offered(self, reason: str) -> None:
        """The call was never going to run (no tools were offered, or the reply was cut)."""
        self._set_state("stopped", f"{self._note} {reason}".strip())

    # The loop ------------------------------------------------------------------------------

    def wait_for_decision(self, source: str) -> None:
        self._set_state("waiting", f"Waiting for you: run {self.tool_name} ({source}) with "
                                   "these arguments?")

    def focus_decision(self) -> None:
        self.query_one("#allow-once", Button).focus()

    def running(self, decision: Decision) -> None:
        self._decision_words = decision.value
        self._run_started = self._now()
        self._set_state("running", self._running_words())
        self._ticker = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        if self.has_class("-running"):
            self._status.update(self._running_words())

    def _running_words(self) -> str:
        elapsed = self._now() - (self._run_started or self._now())
        return f"Running… {format_seconds(elapsed)} ({self._decision_words}; Escape stops it)"

    def settle(self, result: ToolResultPart, message_id: str | None = None) -> None:
        """Show how the call ended, from its result as it was (or will be) sent back."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.result_message_id = message_id
        decision = result.decision
        took = f" in {format_seconds(result.duration)}" if result.duration is not None else ""
        allowed = decision.value if decision in _ALLOWED else None
        after = f" · {allowed}" if allowed else ""
        if decision is Decision.DENIED:
            state, words = "denied", "Denied by you; the model was told."
        elif decision is Decision.STOPPED:
            state, words = "stopped", ("Stopped by you; the model hears it with your next "
                                       "message.")
        elif decision is Decision.NOT_RUN:
            state, words = "stopped", "Not run: the limit of tool rounds was reached."
        elif decision is Decision.INVALID:
            state, words = "failed", "Not run: the call cannot work, and the model was told why."
        elif result.is_error:
            state, words = "failed", f"Failed{took}{after}; the model was told why."
        else:
            state, words = "done", f"Done{took}{after}."
        self._set_state(state, words)
        self._show_result(result.content)

    def _show_result(self, text: str) -> None:
        self._result_text = strip_control(text)
        lines = self._result_text.splitlines() or [""]
        self.set_class(len(lines) > RESULT_LINES, "-long-result")
        self.add_class("-has-result")
        self._render_result()

    def _render_result(self) -> None:
        lines = self._result_text.splitlines() or ["(empty)"]
        if self._unfolded or len(lines) <= RESULT_LINES:
            shown = "\n".join(lines)
        else:
            shown = "\n".join(lines[:RESULT_LINES])
        self._result.update(Content.assemble(("↳ ", "bold"), shown))
        more = self.query_one("#more", Button)
        more.label = ("Show less" if self._unfolded
                      else f"Show all {len(lines):,} lines")

    @on(Button.Pressed, "#more")
    def _toggle_result(self, event: Button.Pressed) -> None:
        event.stop()
        self._unfolded = not self._unfolded
        self._render_result()

    @on(Button.Pressed, "#allow-once")
    def _allow_once(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_decide("once")

    @on(Button.Pressed, "#allow-chat")
    def _allow_in_chat(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_decide("chat")

    @on(Button.Pressed, "#deny")
    def _deny(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_decide("deny")

    def action_decide(self, choice: str) -> None:
        if not self.has_class("-waiting"):
            return
        decision = {"once": Decision.ALLOWED_ONCE, "chat": Decision.ALLOWED_IN_CHAT,
                    "deny": Decision.DENIED}[choice]
        self._set_state("streaming", "Decided.")
        self.post_message(self.Decided(self, decision))

    def _set_state(self, state: str, words: str) -> None:
        for name in _STATES:
            self.set_class(name == state, f"-{name}")
        self._status.update(words)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else 0.0

    def _refresh_title(self) -> None:
        self.border_title = Content.assemble(("⚙ ", ""), (self.tool_name or "tool call", "bold"))


_STATES = ("streaming", "waiting", "running", "done", "failed", "denied", "stopped")
