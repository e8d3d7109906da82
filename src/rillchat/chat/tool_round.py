"""One round of the tool loop, headless: the calls of one reply, each run at once when it is
allowed already, or asked about and run once decided (side by side), each result kept the
moment it is known, so a call that finished is not lost when Rill is killed while another
still runs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from rillchat.chat.conversation import Conversation, Decision, Message
from rillchat.chat.tool_loop import DECISION_RESULTS
from rillchat.chat.tools.toolbox import CheckedCall, Toolbox
from rillchat.chat.turn_events import (
    ToolAllowedInChat,
    ToolCallRunning,
    ToolCallWaiting,
    ToolResultKept,
    TurnEvent,
)


@dataclass(frozen=True, slots=True)
class ToolPolicy:
    """Which tools a conversation offers, and how their calls are let run."""

    toolbox: Toolbox
    max_rounds: int
    allow_all: bool = False
    """`rill ask --yes`: every call runs without asking."""
    decide_all_first: bool = False
    """Ask about every waiting call before any runs (one question at a time on a terminal);
    else each runs as soon as it is allowed."""


class ToolRound:
    def __init__(
        self,
        conversation: Conversation,
        reply: Message,
        policy: ToolPolicy,
        *,
        tell: Callable[[TurnEvent], None],
        keep: Callable[[Message], None],
        allowed: Callable[[], None],
        clock: Callable[[], float],
    ) -> None:
        """`tell`: an event for whoever shows the turn; `keep`: save a result now;
        `allowed`: the conversation's allowed tools changed."""
        self.conversation = conversation
        self.reply = reply
        self._policy = policy
        self._tell = tell
        self._keep = keep
        self._allowed = allowed
        self._clock = clock
        self.calls: dict[str, CheckedCall] = {
            call.call_id: policy.toolbox.check(call) for call in reply.tool_calls
        }
        self.waiting: list[str] = []
        """Ids of the calls waiting for a decision, in the reply's order."""
        self._decided: list[tuple[str, Decision]] = []
        """Allowed calls held back until every call is decided (`decide_all_first`)."""
        self._settled: set[str] = set()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.done = asyncio.Event()

    def start(self) -> None:
        for call_id, checked in self.calls.items():
            if checked.problem is not None:
                self._settle(call_id, checked.problem, is_error=True, decision=Decision.INVALID)
            elif self._policy.allow_all:
                self._allow(call_id, Decision.ALLOWED_BY_FLAG)
            elif checked.name in self.conversation.allowed_tools:
                self._allow(call_id, Decision.ALLOWED_IN_CHAT)
            else:
                self.waiting.append(call_id)
                self._tell(ToolCallWaiting(self.reply, checked))
        self._run_held()
        self._maybe_done()

    def decide(self, call_id: str, decision: Decision) -> None:
        if call_id not in self.waiting:
            return
        self.waiting.remove(call_id)
        if decision is Decision.DENIED:
            self._settle(call_id, DECISION_RESULTS[decision], is_error=True, decision=decision)
        else:
            self._allow(call_id, decision)
            name = self.calls[call_id].name
            if (
                decision is Decision.ALLOWED_IN_CHAT
                and name not in self.conversation.allowed_tools
            ):
                self.conversation.allowed_tools.add(name)
                self._allowed()
                self._tell(ToolAllowedInChat(name))
                for other in [other for other in self.waiting if self.calls[other].name == name]:
                    self.waiting.remove(other)
                    self._allow(other, Decision.ALLOWED_IN_CHAT)
        self._run_held()
        self._maybe_done()

    def stop(self) -> None:
        """Every call without a result is stopped: running ones cancelled, waiting ones
        answered so, and the model is not asked again."""
        for task in self._tasks.values():
            task.cancel()
        self.waiting.clear()
        self._decided.clear()
        for call_id in self.calls:
            self._settle(
                call_id,
                DECISION_RESULTS[Decision.STOPPED],
                is_error=True,
                decision=Decision.STOPPED,
            )

    async def wait_for_tasks(self) -> None:
        """Until the cancelled calls have let their processes go."""
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def _allow(self, call_id: str, decision: Decision) -> None:
        self._decided.append((call_id, decision))

    def _run_held(self) -> None:
        if self._policy.decide_all_first and self.waiting:
            return
        held, self._decided = self._decided, []
        for call_id, decision in held:
            self._tell(ToolCallRunning(self.reply, self.calls[call_id], decision))
            self._tasks[call_id] = asyncio.ensure_future(self._execute(call_id, decision))

    async def _execute(self, call_id: str, decision: Decision) -> None:
        try:
            result = await self._policy.toolbox.run(self.calls[call_id], clock=self._clock)
        except asyncio.CancelledError:
            self._settle(
                call_id,
                DECISION_RESULTS[Decision.STOPPED],
                is_error=True,
                decision=Decision.STOPPED,
            )
            raise
        self._settle(
            call_id,
            result.outcome.content,
            is_error=result.outcome.is_error,
            decision=decision,
            duration=result.duration,
        )
        self._maybe_done()

    def _settle(
        self,
        call_id: str,
        content: str,
        *,
        is_error: bool,
        decision: Decision,
        duration: float | None = None,
    ) -> None:
        if call_id in self._settled:
            return
        self._settled.add(call_id)
        result = Message.tool_result(
            call_id,
            content,
            is_error=is_error,
            name=self.calls[call_id].call.name,
            decision=decision,
            duration=duration,
        )
        self.conversation.messages.append(result)
        self._keep(result)
        self._tell(ToolResultKept(self.reply, result))

    def _maybe_done(self) -> None:
        if len(self._settled) == len(self.calls):
            self.done.set()
