"""A tool call the model asked for: its arguments as they stream, then the user's decision,
the run with its elapsed time, and the result, folded to a few lines."""

from __future__ import annotations

import json
from collections.abc import Callable

from textual import events, on
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
from rillchat.ui.widgets.one_layout import OneLayoutPerGrowth

RESULT_LINES = 6
"""Lines of a result shown before "Show all"."""

_ALLOWED = frozenset({Decision.ALLOWED_ONCE, Decision.ALLOWED_IN_CHAT, Decision.ALLOWED_BY_FLAG})
"""Decisions that let a call run; their values are the words shown."""


class ToolCallPanel(OneLayoutPerGrowth, Vertical, can_focus=False):
    """One call, identified by its index in the reply. Its state shows as a class:
    -streaming, -waiting, -running, -done, -failed, -denied, -stopped.

    A waiting call is decided only from inside its panel: the user moves there (Tab from the
    prompt, or a click), the panel takes the focus and shows it, and only then do y, a and n
    act. Text typed in the prompt is never read as a decision."""

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
    ToolCallPanel.-waiting { border: round $warning 70%; border-title-color: $warning; }
    ToolCallPanel.-waiting .tool-status { color: $text-warning; text-style: bold; }
    ToolCallPanel.-waiting:focus {
        border: heavy $warning;
        border-title-style: bold reverse;
        border-subtitle-color: $text;
        border-subtitle-style: bold;
        background: $warning 12%;
    }
    ToolCallPanel.-confirming:focus { border: heavy $error; border-title-color: $error; }
    ToolCallPanel.-confirming .tool-status { color: $text-error; }
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
        Binding("a", "decide('chat')", "Allow in this conversation", show=False),
        Binding("n,d", "decide('deny')", "Deny", show=False),
        Binding("enter", "confirm", "Confirm", show=False),
        Binding("escape", "cancel_question", "Cancel", show=False),
    ]

    class Decided(Message):
        """The user allowed or denied a waiting call."""

        def __init__(self, panel: ToolCallPanel, decision: Decision) -> None:
            super().__init__()
            self.panel = panel
            self.decision = decision

    class Asking(Message):
        """The panel began or stopped asking to confirm "allow in this conversation"."""

        def __init__(self, panel: ToolCallPanel) -> None:
            super().__init__()
            self.panel = panel

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
        self._question = ""
        """What the waiting call asks, shown again when a confirmation is cancelled."""
        self._run_started: float | None = None
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield self._arguments
        yield self._status
        with Horizontal(classes="tool-buttons"):
            yield _decision_button("Allow once (y)", "allow-once", variant="primary")
            yield _decision_button(ALLOW_IN_CHAT, "allow-chat")
            yield _decision_button("Deny (n)", "deny", variant="error")
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
        self._question = f"Waiting for you: run {self.tool_name} ({source}) with these arguments?"
        self._set_state("waiting", self._question)

    @property
    def confirming(self) -> bool:
        """ "Allow in this conversation" was asked for and waits for its confirmation."""
        return self.has_class("-confirming")

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
            state, words = (
                "stopped",
                ("Stopped by you; the model hears it with your next message."),
            )
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
        more.label = "Show less" if self._unfolded else f"Show all {len(lines):,} lines"

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Enter and Escape answer the confirmation only; otherwise Escape stops the calls,
        # as it does everywhere in the chat.
        if action in ("confirm", "cancel_question"):
            return self.confirming
        return True

    def action_confirm(self) -> None:
        self.action_decide("chat")

    def action_decide(self, choice: str) -> None:
        if not self.has_class("-waiting"):
            return
        if choice == "chat" and not self.confirming:
            self._ask_to_confirm()
            return
        decision = {
            "once": Decision.ALLOWED_ONCE,
            "chat": Decision.ALLOWED_IN_CHAT,
            "deny": Decision.DENIED,
        }[choice]
        self._set_state("streaming", "Decided.")
        self.post_message(self.Decided(self, decision))

    def _ask_to_confirm(self) -> None:
        """Allowing a tool for the rest of the conversation is the one decision that outlives
        this call: it takes a second, deliberate act."""
        self.add_class("-confirming")
        self._status.update(
            f"Allow {self.tool_name} for the rest of this conversation? It "
            "will run without asking. Press a again or Enter to confirm, "
            "Escape to cancel."
        )
        self.query_one("#allow-chat", Button).label = "Confirm (a or Enter)"
        self._refresh_title()
        self.focus()
        self.post_message(self.Asking(self))

    def action_cancel_question(self) -> None:
        self._end_question()

    def _end_question(self) -> None:
        if self.confirming:
            self.remove_class("-confirming")
            self.query_one("#allow-chat", Button).label = ALLOW_IN_CHAT
            if self.has_class("-waiting"):
                self._status.update(self._question)
            self._refresh_title()
            self.post_message(self.Asking(self))

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_title(focused=True)  # called before Textual sets has_focus

    def on_blur(self, event: events.Blur) -> None:
        self._end_question()  # a question left behind must not be answered by a later key
        self._refresh_title(focused=False)

    def _set_state(self, state: str, words: str) -> None:
        self._end_question()
        for name in _STATES:
            self.set_class(name == state, f"-{name}")
        self.can_focus = state == "waiting"  # the one state with something to decide
        self._status.update(words)
        self._refresh_title()

    def _now(self) -> float:
        return self._clock() if self._clock is not None else 0.0

    def _refresh_title(self, *, focused: bool | None = None) -> None:
        name = self.tool_name or "tool call"
        deciding = self.has_class("-waiting") and (self.has_focus if focused is None else focused)
        self.border_title = Content.assemble(("▶ " if deciding else "⚙ ", ""), (name, "bold"))
        if not self.has_class("-waiting"):
            self.border_subtitle = ""
        elif self.confirming:
            self.border_subtitle = "a or Enter confirms · Escape cancels"
        elif deciding:
            self.border_subtitle = "y allow once · a allow in this conversation · n deny"
        else:
            self.border_subtitle = "Tab to decide"


ALLOW_IN_CHAT = "Allow in this conversation (a)"


def _decision_button(label: str, id: str, variant: str = "default") -> Button:
    """A button of a waiting call: clicked to decide, never a stop for Tab (the panel is)."""
    button = Button(label, id=id, compact=True, variant=variant)  # type: ignore[arg-type]
    button.can_focus = False
    return button


_STATES = ("streaming", "waiting", "running", "done", "failed", "denied", "stopped")
