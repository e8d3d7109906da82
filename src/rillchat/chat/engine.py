"""The chat, headless: one conversation, the replies asked for it, and the tool loop between
them. The chat screen and `rill ask` are views over it: each runs a turn and shows the events
it yields (`turn_events`); neither keeps any of the rules.

A turn is an async generator. Run it inside `contextlib.aclosing`, so that a turn left early
(Escape, Ctrl+C, a closed screen) still ends its reply and its calls as stopped and saves them;
what that ending would have yielded is then in `take_late_events`."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import replace
from typing import Protocol

from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import (
    Conversation,
    Decision,
    Message,
    StructuredPart,
    title_from_prompt,
)
from rillchat.chat.structured import Schema
from rillchat.chat.summary import turn_replies
from rillchat.chat.tool_loop import (
    not_run_result,
    results_for_unanswered,
    rounds_since_prompt,
    wants_tools,
)
from rillchat.chat.tool_round import ToolPolicy, ToolRound
from rillchat.chat.turn_events import (
    ReplyEnded,
    ReplyProgress,
    ReplyStarted,
    RoundLimitReached,
    ToolResultKept,
    ToolRoundStarted,
    ToolsNotRun,
    ToolsStopped,
    TurnEvent,
)
from rillchat.openrouter.events import FailureKind, StreamEvent, StreamFailed
from rillchat.openrouter.request import ChatRequest
from rillchat.terminal_text import one_line

OpenStream = Callable[[ChatRequest], AsyncGenerator[StreamEvent, None]]
RequestFor = Callable[[Schema | None], ChatRequest]
"""The request for the conversation's next reply, answering in `schema` if given."""


class Keeper(Protocol):
    """Where the conversation is saved (the history's recorder)."""

    def save(self, conversation: Conversation, message: Message) -> None: ...
    def progress(self, conversation: Conversation, message: Message) -> None: ...
    def save_conversation(self, conversation: Conversation) -> None: ...


class EngineBusy(RuntimeError):
    """A turn is still going: it has to end (or be stopped) first."""


class NothingToRetry(ValueError):
    pass


class ChatEngine:
    def __init__(
        self,
        conversation: Conversation,
        open_stream: OpenStream,
        request_for: RequestFor,
        *,
        keeper: Keeper | None = None,
        tools: ToolPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        api_key: str | None = None,
    ) -> None:
        self.conversation = conversation
        self._open_stream = open_stream
        self._request_for = request_for
        self.keeper = keeper
        self.tools = tools
        self._clock = clock
        self._api_key = api_key
        """Kept out of the message of a failure Rill itself caused."""
        self.busy = False
        """A turn runs: a reply streams, or its tool calls wait or run."""
        self._task: asyncio.Task[object] | None = None
        self._assembler: ReplyAssembler | None = None
        self._round: ToolRound | None = None
        self._interrupted = False
        """Rill is closing: the reply was saved as it stood, and takes no more."""
        self._stopped_round: ToolRound | None = None
        """The round a turn left early stopped, whose calls are still letting go."""
        self._told: deque[TurnEvent] = deque()
        """Events the tool round's calls told, not yielded yet."""
        self._news = asyncio.Event()
        self._late: list[TurnEvent] = []
        self._asked: dict[str, tuple[ChatRequest, Schema | None]] = {}
        """Each reply streamed here: the request and schema it was asked with."""

    # What the engine is doing ------------------------------------------------------------

    @property
    def streaming(self) -> Message | None:
        """The reply streaming now."""
        return self._assembler.message if self._assembler is not None else None

    @property
    def in_tool_round(self) -> bool:
        return self._round is not None

    @property
    def waiting_calls(self) -> list[str]:
        """Ids of the tool calls waiting for `decide`, in their reply's order."""
        return list(self._round.waiting) if self._round is not None else []

    def asked_with(self, reply: Message) -> tuple[ChatRequest, Schema | None] | None:
        return self._asked.get(reply.id)

    def take_late_events(self) -> list[TurnEvent]:
        """What a turn left early did as it ended (its reply stopped, its calls stopped)."""
        late, self._late = self._late, []
        return late

    # Changing the conversation -----------------------------------------------------------

    def add_prompt(self, text: str) -> Message:
        """The user's message, saved at once; a turn then asks for the reply."""
        self._refuse_if_busy()
        prompt = Message.user(text)
        self.conversation.messages.append(prompt)
        if self.conversation.title is None:
            self.conversation.title = title_from_prompt(text)
        self._save(prompt)
        return prompt

    def set_aside_from(self, message: Message) -> int:
        """`message` and what follows it become a branch to come back to; returns the index
        it had."""
        self._refuse_if_busy()
        index = next(i for i, shown in enumerate(self.conversation.messages) if shown is message)
        self.conversation.branch_off(index)
        return index

    def edit(self, prompt: Message, text: str) -> Message:
        """Send `text` in place of an earlier prompt: it and what followed stay as a branch."""
        self.set_aside_from(prompt)
        return self.add_prompt(text)

    def switch_branch(self, message_id: str, step: int) -> int | None:
        """Show the branch `step` siblings away from the message; returns its index, or None
        when there is none that way."""
        self._refuse_if_busy()
        messages = self.conversation.messages
        index = next((i for i, message in enumerate(messages) if message.id == message_id), None)
        if index is None:
            return None
        alternatives = self.conversation.alternatives(index)
        number = next(n for n, other in enumerate(alternatives) if other is messages[index])
        if not 0 <= number + step < len(alternatives):
            return None
        self.conversation.switch_to(alternatives[number + step])
        if self.keeper is not None:
            self.keeper.save_conversation(self.conversation)
        return index

    # Turns ---------------------------------------------------------------------------------

    def send(self, text: str, schema: Schema | None = None) -> AsyncGenerator[TurnEvent, None]:
        self.add_prompt(text)
        return self.turn(schema)

    def retry(self) -> AsyncGenerator[TurnEvent, None]:
        """Ask again for the last reply (it stays as a branch), or, after tool results the
        model has not seen (stopped, or out of rounds), let it go on from them."""
        self._refuse_if_busy()
        messages = self.conversation.messages
        if not messages or messages[-1].role == "user":
            raise NothingToRetry("There is no reply to retry yet.")
        schema = self.last_schema()
        if messages[-1].role == "tool":
            return self.turn(schema)
        asked = self._asked.get(messages[-1].id)
        self.set_aside_from(messages[-1])
        return self.turn(schema, request=asked[0] if asked else None)

    def retry_as_branch(self, reply: Message) -> AsyncGenerator[TurnEvent, None]:
        """Ask again for an older reply: it and every turn after it stay as a branch."""
        schema = _schema_of(reply)
        self.set_aside_from(reply)
        return self.turn(schema)

    def last_schema(self) -> Schema | None:
        """The schema the last turn's replies answer in."""
        for message in reversed(self.conversation.messages):
            if message.role == "user":
                return None
            schema = _schema_of(message)
            if schema is not None:
                return schema
        return None

    async def turn(
        self, schema: Schema | None = None, *, request: ChatRequest | None = None
    ) -> AsyncGenerator[TurnEvent, None]:
        """Replies to the conversation as it stands, with the tool loop between them, until
        one ends the turn."""
        self._refuse_if_busy()
        self.busy, self._task = True, asyncio.current_task()
        try:
            request = request or self._request_for(schema)
            while True:
                reply = self._start_reply(request, schema)
                yield ReplyStarted(reply, request, schema)
                async with aclosing(self._open_stream(request)) as stream:
                    try:
                        async for streamed in stream:
                            yield self._apply(streamed)
                    except Exception as exc:  # a bug in Rill: said where it happened
                        yield self._apply(self._bug(exc))
                ended = self._end_reply()
                wanted = wants_tools(ended)
                yield ReplyEnded(ended, None if wanted else self._turn_of(ended))
                if ended.tool_calls and not wanted:
                    yield ToolsNotRun(ended, "Not run: the reply did not finish.")
                if not wanted:
                    return
                if not request.tools or self.tools is None:
                    yield ToolsNotRun(ended, "Not run: no tools were offered with this request.")
                    return
                if rounds_since_prompt(self.conversation) > self.tools.max_rounds:
                    for event in self._not_run(ended, self.tools.max_rounds):
                        yield event
                    return
                async for event in self._tool_round(ended, self.tools):
                    yield event
                request = replace(request, messages=self.conversation.request_messages())
        except BaseException:
            self._late += self._end_early()
            if self._stopped_round is not None:
                await self._stopped_round.wait_for_tasks()
            raise
        finally:
            self._assembler = self._round = self._stopped_round = None
            self._told.clear()
            self.busy, self._task = False, None

    def decide(self, call_id: str, decision: Decision) -> None:
        """The user's decision on a waiting tool call."""
        if self._round is not None:
            self._round.decide(call_id, decision)

    def stop(self) -> None:
        """Stop the turn: the reply keeps what arrived, calls not done are stopped."""
        if self._task is not None:
            self._task.cancel()

    def abandon(self) -> None:
        """Stop the turn, its reply and calls ended as stopped and saved right now (the
        conversation is being put away; what that ending yields is not wanted)."""
        self._end_early()
        self.stop()

    def interrupt(self) -> None:
        """Rill is closing mid-reply: what arrived is saved, the reply marked interrupted."""
        if self._assembler is not None:
            self._assembler.interrupt()
            self._save(self._assembler.message)
            self._interrupted = True  # what still arrives is not folded in

    # Inside a turn -------------------------------------------------------------------------

    def _start_reply(self, request: ChatRequest, schema: Schema | None) -> Message:
        assembler = ReplyAssembler(model=request.model, clock=self._clock)
        if schema is not None:
            assembler.message.parts.append(StructuredPart(schema.name, schema.schema))
        self._assembler = assembler
        reply = assembler.message
        self.conversation.messages.append(reply)
        self._asked[reply.id] = (request, schema)
        self._save(reply)
        return reply

    def _apply(self, event: StreamEvent) -> ReplyProgress:
        assembler = self._assembler
        assert assembler is not None
        if self._interrupted:
            return ReplyProgress(assembler.message, event)
        assembler.apply(event)
        if self.keeper is not None:
            self.keeper.progress(self.conversation, assembler.message)
        return ReplyProgress(assembler.message, event)

    def _bug(self, exc: Exception) -> StreamFailed:
        return StreamFailed(
            kind=FailureKind.PROTOCOL,
            message=f"Rill hit an unexpected {type(exc).__name__}: {one_line(str(exc))}",
            hint="This is a bug in Rill; please report it. Retry may work.",
        ).without_secrets(self._api_key)

    def _end_reply(self) -> Message:
        assembler = self._assembler
        assert assembler is not None
        assembler.stop()  # a stream that ended without saying how is kept as stopped
        self._assembler = None
        self._save(assembler.message)
        return assembler.message

    def _turn_of(self, reply: Message) -> list[Message]:
        messages = self.conversation.messages
        index = next(i for i, shown in enumerate(messages) if shown is reply)
        return turn_replies(messages, index)

    def _not_run(self, reply: Message, limit: int) -> list[TurnEvent]:
        events: list[TurnEvent] = []
        for result in results_for_unanswered(
            self.conversation, reply, Decision.NOT_RUN, not_run_result(limit)
        ):
            self.conversation.messages.append(result)
            self._save(result)
            events.append(ToolResultKept(reply, result))
        events.append(RoundLimitReached(reply, limit, self._turn_of(reply)))
        return events

    async def _tool_round(
        self, reply: Message, policy: ToolPolicy
    ) -> AsyncGenerator[TurnEvent, None]:
        tool_round = ToolRound(
            self.conversation,
            reply,
            policy,
            tell=self._tell,
            keep=self._save,
            allowed=self._allowed_changed,
            clock=self._clock,
        )
        self._round = tool_round
        yield ToolRoundStarted(reply, tuple(tool_round.calls.values()))
        tool_round.start()
        told = self._told
        while True:
            while told:
                yield told.popleft()
            if tool_round.done.is_set():
                break
            self._news.clear()
            await self._news.wait()  # every call's end, and every decision, tells something
        self._round = None

    def _tell(self, event: TurnEvent) -> None:
        self._told.append(event)
        self._news.set()

    def _end_early(self) -> list[TurnEvent]:
        """The turn was left before its end: the reply stops, the calls are stopped."""
        late: list[TurnEvent] = []
        assembler, tool_round = self._assembler, self._round
        if assembler is not None:
            reply = self._end_reply()
            late.append(ReplyEnded(reply, self._turn_of(reply)))
        if tool_round is not None:
            tool_round.stop()
            late += self._told
            self._told.clear()
            late.append(ToolsStopped(tool_round.reply))
            self._round, self._stopped_round = None, tool_round
        return late

    def _allowed_changed(self) -> None:
        if self.keeper is not None:
            self.keeper.save_conversation(self.conversation)

    def _save(self, message: Message) -> None:
        if self.keeper is not None:
            self.keeper.save(self.conversation, message)

    def _refuse_if_busy(self) -> None:
        if self.busy:
            raise EngineBusy("A reply or its tool calls are still going.")


def _schema_of(reply: Message) -> Schema | None:
    """The JSON Schema a reply was asked to answer in, if any."""
    structured = reply.structured
    return Schema(structured.name, structured.schema) if structured is not None else None
