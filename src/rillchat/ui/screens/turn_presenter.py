"""What the chat's engine tells of a turn, shown: the engine's worker drops its events in an
inbox, and the screen's next look draws them, a reply's stream events in one go."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import aclosing

from textual.screen import Screen
from textual.widget import Widget

from rillchat.chat.conversation import Decision, Message
from rillchat.chat.engine import ChatEngine
from rillchat.chat.structured import Schema
from rillchat.chat.turn_events import (
    ReplyEnded,
    ReplyProgress,
    ReplyStarted,
    RoundLimitReached,
    ToolAllowedInChat,
    ToolCallRunning,
    ToolCallWaiting,
    ToolResultKept,
    ToolRoundStarted,
    ToolsNotRun,
    ToolsStopped,
    TurnEvent,
)
from rillchat.openrouter.events import StreamEvent
from rillchat.redaction import mask_secrets
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost
from rillchat.ui.messages import TurnNews
from rillchat.ui.textual_fixes import release_removed_widgets
from rillchat.ui.widgets.conversation_view import ConversationView, Reply
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.messages_view import AssistantMessage
from rillchat.ui.widgets.notices import Notice
from rillchat.ui.widgets.prompt_input import PromptInput
from rillchat.ui.widgets.tool_call import ToolCallPanel
from rillchat.ui.widgets.waiting_calls import WaitingCallsBar

WORKER_SLICE = 0.004
"""Longest stretch, in seconds, the turn's worker runs before letting the UI have a turn."""
NEWS_INTERVAL = 0.02
"""Least time between two looks at the inbox. A steady stream sends a token every few
milliseconds, and each look costs a paint and a frame whatever it carries: a look every 20 ms
shows each token within a frame or two and does that work a fraction as often."""


class TurnOver:
    """The worker is done with a turn, whether it ended, failed or was stopped."""


class TurnPresenter:
    """Turns a chat screen's engine events into widget updates."""

    def __init__(
        self,
        screen: Screen[None],
        host: RillHost,
        engine: Callable[[], ChatEngine],
        *,
        view: ConversationView,
        prompt: PromptInput,
        waiting_bar: WaitingCallsBar,
        reply_ended: Callable[[Message], None],
        turn_over: Callable[[], Awaitable[None]],
        tools_stopped: Callable[[], None],
    ) -> None:
        self._screen = screen
        self._host = host
        self._engine = engine
        """The screen's engine now: one put away (Ctrl+N) is not shown any more."""
        self._view = view
        self._prompt = prompt
        self._waiting_bar = waiting_bar
        self._reply_ended_then = reply_ended
        self._turn_over_then = turn_over
        self._tools_stopped_then = tools_stopped
        self._inbox: list[tuple[ChatEngine, TurnEvent | TurnOver]] = []
        """What the turn's worker told that the screen has not shown yet."""
        self._news_posted = False
        """A TurnNews for the inbox is on its way (or waits for its time)."""
        self._last_look = 0.0
        """When the inbox was last shown (the event loop's clock)."""
        self.closing = False
        """Rill is closing: what the turn still tells is not shown."""
        self._follow_after_calls = False
        """The conversation followed new output when tool calls began to wait: going to
        their panels scrolls it, and once the last is decided it follows again."""

    async def follow(self, engine: ChatEngine, turn: AsyncGenerator[TurnEvent, None]) -> None:
        """Read a turn's events to the end (in the screen's worker), for the screen to show;
        when the worker is cancelled (Escape), what the engine still has to tell first."""
        clock = asyncio.get_running_loop().time
        last_pause = clock()
        try:
            async with aclosing(turn) as events:
                async for event in events:
                    self.deliver(engine, event)
                    if clock() - last_pause > WORKER_SLICE:
                        # A burst is read without the socket ever making this task wait,
                        # which would starve the UI: give keys, drawing and the inbox a turn.
                        await asyncio.sleep(0)
                        last_pause = clock()
        except asyncio.CancelledError:
            for event in engine.take_late_events():
                self.deliver(engine, event)
            self.deliver(engine, TurnOver())
            raise
        except Exception as exc:  # a bug in Rill outside the stream: said, the chat goes on
            self._screen.notify(
                f"Rill hit an unexpected {type(exc).__name__}: "
                f"{mask_secrets(one_line(str(exc)), self._host.settings.api_key)}. This "
                "is a bug in Rill; please report it.",
                severity="error",
                markup=False,
            )
        self.deliver(engine, TurnOver())

    def deliver(self, engine: ChatEngine, event: TurnEvent | TurnOver) -> None:
        """From the worker: one event for the screen's next look."""
        self._inbox.append((engine, event))
        if self._news_posted:
            return
        self._news_posted = True
        wait = self._last_look + NEWS_INTERVAL - asyncio.get_running_loop().time()
        if wait > 0:
            self._screen.set_timer(wait, self._post_news)
        else:
            self._post_news()

    def _post_news(self) -> None:
        self._screen.post_message(TurnNews())

    async def show_news(self) -> None:
        """Everything the turn told since the last look: the stream's events of one reply
        in one go, the rest one by one, in order."""
        inbox, self._inbox = self._inbox, []
        self._news_posted = False
        self._last_look = asyncio.get_running_loop().time()
        if self.closing:
            return
        batch: list[StreamEvent] = []
        for engine, event in inbox:
            if engine is not self._engine():
                continue  # a conversation put away (Ctrl+N) while its turn ended
            if isinstance(event, ReplyProgress):
                batch.append(event.event)
                continue
            if batch:
                await self.live_view().show_all(batch)
                batch = []
            await self._show(event)
        if batch:
            await self.live_view().show_all(batch)

    def live_view(self) -> AssistantMessage:
        return self._view.replies[-1].view

    async def _show(self, event: TurnEvent | TurnOver) -> None:
        match event:
            case ReplyStarted(reply=reply, schema=schema):
                await self._reply_started(reply, schema)
            case ReplyEnded(reply=reply, turn=turn):
                await self._reply_ended(reply, turn)
            case ToolsNotRun(why=why):
                for panel in self.live_view().tool_panels:
                    panel.not_offered(why)
            case ToolRoundStarted():
                self._follow_after_calls = self._view.following
            case ToolCallWaiting(call=checked):
                waiting = self.live_view().tool_panel(checked.call.call_id)
                if waiting is not None:
                    waiting.wait_for_decision(checked.tool.spec.source if checked.tool else "")
                self.show_waiting_calls()
            case ToolCallRunning(call=checked, decision=decision):
                running = self.live_view().tool_panel(checked.call.call_id)
                if running is not None:
                    running.running(decision)
                self.show_waiting_calls()
            case ToolResultKept(result=result):
                part = result.tool_result_part
                settled = self.live_view().tool_panel(part.tool_call_id) if part else None
                if settled is not None and part is not None:
                    settled.settle(part, result.id)
            case ToolAllowedInChat(name=name):
                self._screen.notify(
                    f"{name} may run without asking for the rest of this conversation.",
                    timeout=3,
                    markup=False,
                )
            case ToolsStopped():
                self._screen.notify(
                    "Tool calls stopped; the model was not asked again. Ctrl+R lets "
                    "it go on with what it has.",
                    timeout=5,
                )
                self._tools_stopped_then()
            case RoundLimitReached(limit=limit, turn=turn):
                await self._stop_at_round_limit(limit, turn)
            case TurnOver():
                self.show_waiting_calls()
                if isinstance(self._screen.focused, ToolCallPanel):
                    self._prompt.focus()
                await self._turn_over_then()

    async def _reply_started(self, reply: Message, schema: Schema | None) -> None:
        for banner in self._view.query(ErrorBanner):
            banner.make_stale()
        if isinstance(self._screen.focused, ToolCallPanel):  # its round is over
            self._prompt.focus()
        self.show_waiting_calls()
        view = AssistantMessage(
            self._host.clock,
            reply.id,
            reasoning_display=self._host.settings.reasoning_display,
            schema_name=schema.name if schema else None,
        )
        await self._view.add_live_reply(Reply(reply, view))

    async def _reply_ended(self, reply: Message, turn: list[Message] | None) -> None:
        live = self._view.replies[-1]
        live.ended = True
        release_removed_widgets()  # what the reply replaced (a banner, a status line)
        await live.view.end(reply, turn=turn)
        if reply.usage is not None and reply.usage.cost:
            self._host.session_cost += reply.usage.cost
        self._reply_ended_then(reply)

    async def _stop_at_round_limit(self, limit: int, turn: list[Message]) -> None:
        await self.live_view().show_turn_total(turn)
        await self._view.mount(
            Notice(
                f"**Stopped after {limit} round{'s' if limit != 1 else ''} of tool calls** for "
                "one prompt "
                "(`max_tool_rounds` in config.toml). The model's last calls were not run, and it "
                "was told so. Press Ctrl+R to let it go on, or send a message.",
                classes="-warning -round-limit",
            )
        )
        self._view.jump_to_latest()

    # Tool calls waiting for the user -----------------------------------------------------

    def why_busy(self) -> str:
        """What the turn is doing when it cannot take a new prompt, and what to do."""
        if self._engine().waiting_calls:
            return (
                "Tool calls are waiting for you: Tab goes to them to decide (y, a or n), or "
                "Escape stops them."
            )
        return "Tool calls are running: wait, or press Escape to stop them."

    def decided(self, panel: ToolCallPanel, decision: Decision) -> None:
        if panel.call_id is not None:
            self._engine().decide(panel.call_id, decision)
        # Back to the prompt: the next call is decided only once the user goes to it.
        self._prompt.focus()
        self.show_waiting_calls()
        if not self.waiting_ring() and self._follow_after_calls:
            self._view.jump_to_latest()

    def _waiting_panels(self) -> list[ToolCallPanel]:
        """The panels of the calls waiting for the user, in the reply's order."""
        engine = self._engine()
        if not self._view.replies or not engine.in_tool_round:
            return []
        view = self.live_view()
        return [
            panel
            for call_id in engine.waiting_calls
            if (panel := view.tool_panel(call_id)) is not None
        ]

    def waiting_ring(self) -> list[Widget]:
        """The prompt and the panels of the calls waiting, in the order Tab visits them;
        empty when none wait."""
        panels = self._waiting_panels()
        return [self._prompt, *panels] if panels else []

    def to_waiting_call(self, step: int) -> None:
        ring = self.waiting_ring()
        if not ring:
            return
        focused = self._screen.focused
        if focused in ring:
            target = ring[(ring.index(focused) + step) % len(ring)]
        else:  # from anywhere else, straight to the calls
            target = ring[1] if step > 0 else ring[-1]
        target.focus()

    def show_waiting_calls(self) -> None:
        """The bar above the prompt says what waits, and which call has the keys."""
        panels = self._waiting_panels()
        focused = self._screen.focused
        panel = focused if isinstance(focused, ToolCallPanel) and focused in panels else None
        self._waiting_bar.show_waiting(
            len(panels),
            panel.tool_name if panel is not None else None,
            confirming=panel is not None and panel.confirming,
        )
