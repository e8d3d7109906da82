"""One round of the tool loop on screen: the calls of one reply, each asked about in its
panel, run once allowed (side by side), and handed back to the chat once all have results.

Asking never takes the focus: the user goes to a waiting panel to decide (see
`ToolCallPanel`), so nothing typed meanwhile can decide a call."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rillchat.chat.conversation import Conversation, Decision, Message
from rillchat.chat.structured import Schema
from rillchat.chat.tool_loop import DECISION_RESULTS
from rillchat.chat.tools.toolbox import CheckedCall, Toolbox
from rillchat.openrouter.request import ChatRequest
from rillchat.ui.widgets.messages_view import AssistantMessage
from rillchat.ui.widgets.tool_call import ToolCallPanel

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class RoundContext:
    """What the next request of the loop needs from the reply that asked for tools."""

    request: ChatRequest
    schema: Schema | None


class ToolRound:
    def __init__(self, screen: Screen, conversation: Conversation, reply: Message,
                 view: AssistantMessage, toolbox: Toolbox, context: RoundContext, *,
                 clock: Callable[[], float], on_result: Callable[[ToolRound, Message], None],
                 on_done: Callable[[ToolRound], None],
                 on_allowed: Callable[[str], None]) -> None:
        """`on_result` gets each result as soon as it is known, to be kept at once: a call
        that finished is not lost when Rill is killed while another still runs."""
        self._screen = screen
        self.conversation = conversation
        self.reply = reply
        self.view = view
        self.toolbox = toolbox
        self.context = context
        self._clock = clock
        self._on_result = on_result
        self._on_done = on_done
        self._on_allowed = on_allowed
        self.calls: dict[str, CheckedCall] = {call.call_id: toolbox.check(call)
                                              for call in reply.tool_calls}
        self.results: dict[str, Message] = {}
        self.waiting: list[str] = []
        self.stopped = False
        self.finished = False

    def start(self) -> None:
        for call_id, checked in self.calls.items():
            if checked.problem is not None:
                self._settle(call_id, checked.problem, is_error=True, decision=Decision.INVALID)
            elif checked.name in self.conversation.allowed_tools:
                self._run(call_id, Decision.ALLOWED_IN_CHAT)
            else:
                panel = self._panel(call_id)
                if panel is not None:
                    source = checked.tool.spec.source if checked.tool is not None else ""
                    panel.wait_for_decision(source)
                self.waiting.append(call_id)
        self._maybe_done()

    def decide(self, panel: ToolCallPanel, decision: Decision) -> None:
        call_id = next((call_id for call_id in self.waiting if self._panel(call_id) is panel),
                       None)
        if call_id is None:
            return
        self.waiting.remove(call_id)
        name = self.calls[call_id].name
        if decision is Decision.DENIED:
            self._settle(call_id, DECISION_RESULTS[decision], is_error=True, decision=decision)
        else:
            self._run(call_id, decision)
            if decision is Decision.ALLOWED_IN_CHAT:
                self.conversation.allowed_tools.add(name)
                self._on_allowed(name)
                for other in [other for other in self.waiting if self.calls[other].name == name]:
                    self.waiting.remove(other)
                    self._run(other, Decision.ALLOWED_IN_CHAT)

    def waiting_panels(self) -> list[ToolCallPanel]:
        """The panels of the calls still waiting for the user, in the reply's order."""
        return [panel for call_id in self.waiting if (panel := self._panel(call_id)) is not None]

    def stop(self) -> None:
        """Escape: calls waiting or running are stopped; the model is not asked again."""
        self.stopped = True
        self._screen.workers.cancel_group(self._screen, f"tools-{id(self)}")
        for call_id in self.calls:
            if call_id not in self.results:
                self._settle(call_id, DECISION_RESULTS[Decision.STOPPED], is_error=True,
                             decision=Decision.STOPPED)
        self.waiting.clear()

    def _run(self, call_id: str, decision: Decision) -> None:
        panel = self._panel(call_id)
        if panel is not None:
            panel.running(decision)
        self._screen.run_worker(self._execute(call_id, decision), group=f"tools-{id(self)}",
                                exit_on_error=False)

    async def _execute(self, call_id: str, decision: Decision) -> None:
        try:
            result = await self.toolbox.run(self.calls[call_id], clock=self._clock)
        except asyncio.CancelledError:
            self._settle(call_id, DECISION_RESULTS[Decision.STOPPED], is_error=True,
                         decision=Decision.STOPPED)
            raise
        self._settle(call_id, result.outcome.content, is_error=result.outcome.is_error,
                     decision=decision, duration=result.duration)

    def _settle(self, call_id: str, content: str, *, is_error: bool, decision: Decision,
                duration: float | None = None) -> None:
        if call_id in self.results:
            return
        message = Message.tool_result(call_id, content, is_error=is_error,
                                      name=self.calls[call_id].call.name, decision=decision,
                                      duration=duration)
        self.results[call_id] = message
        self._on_result(self, message)
        panel = self._panel(call_id)
        if panel is not None:
            part = message.tool_result_part
            assert part is not None
            panel.settle(part, message.id)
        self._maybe_done()

    def _maybe_done(self) -> None:
        if not self.finished and len(self.results) == len(self.calls):
            self.finished = True
            self._on_done(self)

    def _panel(self, call_id: str) -> ToolCallPanel | None:
        return self.view.tool_panel(call_id)
