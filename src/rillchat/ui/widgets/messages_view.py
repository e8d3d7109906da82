"""The two kinds of turn in the conversation: what the user wrote and what the model replied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, assert_never

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message as TextualMessage
from textual.widget import Widget
from textual.widgets import Static

from rillchat.chat.conversation import Message, MessageStatus, ToolResultPart
from rillchat.chat.summary import (
    partial_pieces,
    timing_pieces,
    turn_total_pieces,
    usage_pieces,
    who_answered,
)
from rillchat.openrouter.events import (
    Finished,
    KeepAlive,
    ReasoningDelta,
    ResponseStarted,
    Retrying,
    StreamEvent,
    StreamFailed,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from rillchat.terminal_text import one_line, strip_control
from rillchat.ui.paste_fold import is_big, size_words
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.one_layout import OneLayoutPerGrowth
from rillchat.ui.widgets.reasoning import ReasoningPanel
from rillchat.ui.widgets.reply_body import ReplyBody
from rillchat.ui.widgets.stream_status import StreamStatus
from rillchat.ui.widgets.structured_view import StructuredView
from rillchat.ui.widgets.tool_call import ToolCallPanel

_CONTENT_EVENTS = (TextDelta, ReasoningDelta, ToolCallDelta)


PREVIEW_LINES = 3
"""Lines of a long reopened prompt shown above its fold."""


_FOCUS_HINT = "Ctrl+C copies it, Escape goes back to the prompt"


_Shown = TypeVar("_Shown", bound=Widget)


class UserMessage(Static, can_focus=True):
    """The prompt as typed: plain text, never Markdown or markup. A click, or Enter once it
    has the focus, unfolds it, and on a prompt shown whole, edits it."""

    DEFAULT_CSS = """
    UserMessage {
        height: auto;
        border-left: wide $primary;
        background: $primary 8%;
        padding: 0 1;
        margin: 1 0 1 0;
    }
    UserMessage:hover { background: $primary 16%; }
    UserMessage:focus { border-left: wide $accent; background: $primary 20%; }
    UserMessage.-branched { margin: 0 0 1 0; }
    UserMessage.-editing { border-left: wide $warning; background: $warning 12%; }
    """
    BINDINGS = [Binding("enter", "open", "Show or edit", show=False)]

    class EditRequested(TextualMessage):
        def __init__(self, message_id: str) -> None:
            super().__init__()
            self.message_id = message_id

    def __init__(
        self, text: str, message_id: str, *, branched: bool = False, pastes: tuple[str, ...] = ()
    ) -> None:
        self.text = text
        self.message_id = message_id
        self._pastes = tuple(paste for paste in pastes if paste in text)
        """Big pastes in the prompt, shown folded until clicked."""
        self._long = not self._pastes and is_big(text)
        """A big prompt whose pastes are not known (one reopened from history): folded after
        its first lines."""
        super().__init__(
            self._folded() if self.folded else Content(strip_control(text)),
            markup=False,
            classes="-turn -branched" if branched else "-turn",
        )
        self._set_tooltip()

    def _set_tooltip(self) -> None:
        self.tooltip = (
            (f"Click or Enter shows the prompt in full; {_FOCUS_HINT}")
            if self.folded
            else "Click or Enter edits this prompt, to send it again as a new branch; "
            f"{_FOCUS_HINT}"
        )

    @property
    def folded(self) -> bool:
        return bool(self._pastes) or self._long

    def _folded(self) -> Content:
        if self._long:
            lines = self.text.split("\n")
            shown = "\n".join(line[:200] for line in lines[:PREVIEW_LINES])
            rest = "\n".join(lines[PREVIEW_LINES:]) or self.text[len(shown) :]
            return Content.assemble(
                Content(strip_control(shown)),
                "\n",
                (f"▸ {size_words(rest)} more (click to show)", "italic"),
            )
        parts: list[Content | tuple[str, str]] = []
        rest = self.text
        for paste in self._pastes:
            before, found, after = rest.partition(paste)
            if not found:
                continue
            rest = after
            parts += [
                Content(strip_control(before)),
                (f"▸ pasted {size_words(paste)} (click to show)", "italic"),
            ]
        parts.append(Content(strip_control(rest)))
        return Content.assemble(*parts)

    def on_click(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        if not self.unfold():
            self.post_message(self.EditRequested(self.message_id))

    def unfold(self) -> bool:
        """Show the prompt in full; False when it was not folded."""
        if not self.folded:
            return False
        self._pastes, self._long = (), False
        self.update(Content(strip_control(self.text)))
        self._set_tooltip()
        return True


_STATUS_MARKS = {
    MessageStatus.COMPLETE: "✓",
    MessageStatus.STOPPED: "■ Stopped",
    MessageStatus.FAILED: "✗ Failed",
    MessageStatus.INTERRUPTED: "✗ Interrupted",
}


def footer_text(message: Message) -> str:
    mark = _STATUS_MARKS.get(message.status, "…")
    if message.status is MessageStatus.COMPLETE and message.finish_reason == "length":
        mark = "✂ Cut off at the max tokens limit"
    elif message.status is MessageStatus.COMPLETE and message.finish_reason == "content_filter":
        mark = "✂ Cut off by the content filter"
    pieces = [
        who_answered(message),
        *usage_pieces(message),
        *timing_pieces(message),
        *partial_pieces(message),
    ]
    separator = " " if mark == "✓" else " · "
    return mark + separator + " · ".join(piece for piece in pieces if piece)


def turn_total_text(replies: list[Message]) -> str:
    return "Σ This turn: " + " · ".join(turn_total_pieces(replies))


class ToolResult(Static, can_focus=True):
    """What a tool answered, as sent back to the model; long results show their start until
    clicked, or Enter once it has the focus."""

    DEFAULT_CSS = """
    ToolResult {
        height: auto; color: $text-muted; padding: 0 1; margin: 0 1 1 1;
        border-left: wide $accent 40%;
    }
    ToolResult.-error { border-left: wide $error; }
    ToolResult:focus { border-left: wide $accent; background: $accent 10%; }
    """
    BINDINGS = [Binding("enter", "toggle_whole", "Show whole or fold", show=False)]
    SHOWN_LINES = 8

    def __init__(self, message: Message) -> None:
        self._result = next(part for part in message.parts if isinstance(part, ToolResultPart))
        self._lines = strip_control(self._result.content).splitlines() or [""]
        self.whole = False
        """Every line shown, not only the first ones."""
        super().__init__(
            self._drawn(), classes="-turn -error" if self._result.is_error else "-turn"
        )
        self.message_id = message.id
        self.tooltip = (
            f"Click or Enter shows it whole; {_FOCUS_HINT}"
            if self.foldable
            else _FOCUS_HINT[0].upper() + _FOCUS_HINT[1:]
        )

    @property
    def foldable(self) -> bool:
        return len(self._lines) > self.SHOWN_LINES

    def _drawn(self) -> Content:
        shown = "\n".join(self._lines if self.whole else self._lines[: self.SHOWN_LINES])
        if self.foldable and not self.whole:
            shown += f"\n… {len(self._lines) - self.SHOWN_LINES} more lines (click to show)"
        label = "Tool error" if self._result.is_error else "Tool result"
        return Content.assemble(
            (f"↳ {label} ", "bold"), f"({one_line(self._result.tool_call_id)})\n", shown
        )

    def on_click(self) -> None:
        self.action_toggle_whole()

    def action_toggle_whole(self) -> None:
        if not self.foldable:
            return
        self.whole = not self.whole
        self.update(self._drawn())
        self.tooltip = (
            f"Click or Enter folds it again; {_FOCUS_HINT}"
            if self.whole
            else f"Click or Enter shows it whole; {_FOCUS_HINT}"
        )


class ReplyFooter(Static):
    DEFAULT_CSS = """
    ReplyFooter { color: $text-muted; height: auto; }
    ReplyFooter.-stopped { color: $text-warning; }
    ReplyFooter.-failed { color: $text-error; }
    ReplyFooter.-turn-total { color: $text-muted; text-style: bold; }
    """


class AssistantMessage(OneLayoutPerGrowth, Vertical, can_focus=True):
    """One reply, growing as its events arrive: reasoning panels, the Markdown body, tool-call
    panels, then an error banner if it failed and a footer with the figures."""

    DEFAULT_CSS = """
    AssistantMessage { height: auto; padding: 0 1; margin: 0 0 1 0; }
    AssistantMessage:focus { background: $primary 8%; }
    """

    def __init__(
        self,
        clock: Callable[[], float],
        message_id: str,
        *,
        live: bool = True,
        reasoning_display: str = "folded",
        schema_name: str | None = None,
    ) -> None:
        super().__init__(classes="-turn")
        self.message_id = message_id
        self.status = MessageStatus.STREAMING
        """How the reply ended, once it has."""
        self.schema_name = schema_name
        """The JSON Schema the answer follows: its text shows as a structured view."""
        self.reasoning_display = reasoning_display
        """folded: open while it thinks, folded once the answer starts; open: never folded;
        hidden: folded even while it thinks (the title still counts tokens and time)."""
        self._clock = clock
        self._live = live
        """False for a saved reply drawn again: no status line, no timings it never kept."""
        self._status: StreamStatus | None = StreamStatus(clock) if live else None
        self._tool_panels: dict[int, ToolCallPanel] = {}

    def compose(self) -> ComposeResult:
        if self._status is not None:
            yield self._status

    @property
    def reasoning_panels(self) -> list[ReasoningPanel]:
        return list(self.query_children(ReasoningPanel))

    @property
    def bodies(self) -> list[ReplyBody]:
        return list(self.query_children(ReplyBody))

    @property
    def tool_panels(self) -> list[ToolCallPanel]:
        return list(self._tool_panels.values())

    def tool_panel(self, call_id: str) -> ToolCallPanel | None:
        return next(
            (
                panel
                for panel in self._tool_panels.values()
                if (panel.call_id or f"call_{panel.index}") == call_id
            ),
            None,
        )

    @property
    def structured_view(self) -> StructuredView | None:
        return next(iter(self.query_children(StructuredView)), None)

    async def show_all(self, events: list[StreamEvent]) -> None:
        """Show a batch of events; a run of text or reasoning fragments is shown as one."""
        run: list[TextDelta | ReasoningDelta] = []
        for event in events:
            if isinstance(event, (TextDelta, ReasoningDelta)):
                if run and type(run[0]) is not type(event):
                    await self._show_run(run)
                    run = []
                run.append(event)
                continue
            await self._show_run(run)
            run = []
            await self.show(event)
        await self._show_run(run)
        if self._status is not None:
            self._status.events_arrived(
                content=any(type(event) in _CONTENT_EVENTS for event in events)
            )

    async def _show_run(self, run: list[TextDelta | ReasoningDelta]) -> None:
        """Fragments of one kind, in a row: text, or reasoning."""
        if not run:
            return
        if isinstance(run[0], TextDelta):
            await self._show_text("".join(event.text for event in run))
            return
        reasoning = [event for event in run if isinstance(event, ReasoningDelta)]
        await self._show_reasoning(
            "".join(event.text for event in reasoning),
            tuple(detail for event in reasoning for detail in event.details),
            fragments=sum(1 for event in reasoning if event.text),
        )

    async def show(self, event: StreamEvent) -> None:
        """Route one event to the widget that shows it."""
        match event:
            case TextDelta():
                await self._show_text(event.text)
            case ReasoningDelta():
                await self._show_reasoning(
                    event.text, event.details, fragments=1 if event.text else 0
                )
            case ToolCallDelta():
                await self._fold_reasoning()
                panel = self._tool_panels.get(event.index)
                if panel is None:
                    panel = ToolCallPanel(event.index, self._clock)
                    self._tool_panels[event.index] = panel
                    await self._add(panel)
                panel.add(event.name, event.id, event.arguments)
            case KeepAlive():
                if self._status is not None:
                    self._status.keep_alive()
            case Retrying():
                if self._status is not None:
                    self._status.retrying(event)
            case Usage():
                panels = self.reasoning_panels
                if len(panels) == 1:  # the reasoning token count covers the whole reply
                    panels[0].set_exact_tokens(event.reasoning_tokens)
            case ResponseStarted() | Finished() | StreamFailed():
                pass  # in the message: the footer and the banner show them at the end
            case _:
                assert_never(event)

    async def _show_text(self, text: str) -> None:
        await self._fold_reasoning()
        body: StructuredView | ReplyBody | None
        if self.schema_name is not None:
            body = self.structured_view
            if body is None:
                body = StructuredView(self.schema_name)
                await self._add(body)
        else:
            body = self._trailing(ReplyBody)
            if body is None:
                body = ReplyBody()
                await self._add(body)
        await body.add_fragment(text)

    async def _show_reasoning(
        self, text: str, details: tuple[dict[str, Any], ...], *, fragments: int
    ) -> None:
        panel = self._trailing(ReasoningPanel)
        if panel is None or not panel.thinking:
            panel = ReasoningPanel(
                self._clock, timed=self._live, collapsed=self.reasoning_display == "hidden"
            )
            await self._add(panel)
        if not self._live and text:
            # A saved reply comes back as one fragment: estimate from the length instead
            # (about four characters a token), until its usage gives the exact count.
            fragments = max(1, round(len(text) / 4))
        await panel.add(text, details, fragments=fragments)

    async def end(self, message: Message, *, turn: list[Message] | None = None) -> None:
        """The reply is over (finished, failed or stopped): settle every widget, add the
        banner if it failed, and the footer. `turn`: the replies of the turn this one ends,
        when it took several (rounds of tool calls), for a line with their sum."""
        if self._status is not None:
            status, self._status = self._status, None
            await status.remove()
        for body in self.bodies:
            await body.finish()
        structured_view = self.structured_view
        if structured_view is not None:
            await structured_view.finish()
            structured = message.structured
            structured_view.show_verdict(structured.problems if structured else None)
        answered = bool(message.text or message.tool_calls)
        for panel in self.reasoning_panels:
            await panel.end(fold=answered and self.reasoning_display != "open")
        for tool_panel in self._tool_panels.values():
            tool_panel.complete()
        failure = message.error
        if failure is not None:
            await self.mount(ErrorBanner(failure, clock=self._clock, countdown=self._live))
        footer = ReplyFooter(
            Content(strip_control(footer_text(message))), classes=f"-{message.status.value}"
        )
        await self.mount(footer)
        if turn is not None:
            await self.show_turn_total(turn)
        # Not a CSS class: changing a class on the reply restyles every block in it, which
        # took 1.8 s at the end of a 4,000-token reply.
        self.status = message.status

    async def show_turn_total(self, turn: list[Message]) -> None:
        """Under the last reply of a turn of several (tool rounds, then the answer): their
        sum."""
        if len(turn) > 1:
            await self.mount(
                ReplyFooter(Content(strip_control(turn_total_text(turn))), classes="-turn-total")
            )

    async def _add(self, widget: Widget) -> None:
        """Content goes above the status line, which stays last while the reply streams."""
        await self.mount(widget, before=self._status)

    async def _fold_reasoning(self) -> None:
        for panel in self.reasoning_panels:
            if panel.thinking:
                await panel.end(fold=self.reasoning_display != "open")

    def _trailing(self, widget_type: type[_Shown]) -> _Shown | None:
        """The last content widget, when it is of this type (a run of it can grow)."""
        content = [child for child in self.children[-2:] if child is not self._status]
        last = content[-1] if content else None
        return last if type(last) is widget_type else None

    def show_reasoning_as(self, display: str) -> None:
        """The user changed how reasoning shows: finished panels follow at once."""
        self.reasoning_display = display
        for panel in self.reasoning_panels:
            panel.collapsed = display == "hidden" or (display == "folded" and not panel.thinking)

    def toggle_reasoning(self) -> bool:
        """Fold or unfold every reasoning panel; False when there is none."""
        panels = self.reasoning_panels
        if not panels:
            return False
        collapse = not all(panel.collapsed for panel in panels)
        for panel in panels:
            panel.collapsed = collapse
        return True


MESSAGE_VIEWS = (UserMessage, ToolResult, AssistantMessage)
"""The widgets that take the focus as a whole message."""
