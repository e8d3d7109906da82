"""The chat engine without a terminal: send, stop, retry, edit, switch branches, and the tool
loop with its decisions and its round limit, over real HTTP against the demo server."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest

from rillchat.chat.conversation import Conversation, Decision, Message, MessageStatus
from rillchat.chat.engine import ChatEngine, EngineBusy, NothingToRetry
from rillchat.chat.tool_round import ToolPolicy
from rillchat.chat.tools.builtin import builtin_tools
from rillchat.chat.tools.toolbox import Toolbox
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
    ToolsStopped,
    TurnEvent,
)
from rillchat.openrouter.events import TextDelta
from rillchat.openrouter.stream import stream_reply


class Kept:
    """A keeper that remembers what it was asked to save."""

    def __init__(self) -> None:
        self.saved: list[tuple[str, str]] = []
        self.conversation_saves = 0

    def save(self, conversation: Conversation, message: Message) -> None:
        self.saved.append((message.id, message.status.value))

    def progress(self, conversation: Conversation, message: Message) -> None:
        pass

    def save_conversation(self, conversation: Conversation) -> None:
        self.conversation_saves += 1


def engine_for(
    client,
    model: str = "demo/auto",
    *,
    tools: bool = False,
    max_rounds: int = 8,
    keeper: Kept | None = None,
) -> ChatEngine:
    conversation = Conversation(model=model)
    policy = (
        ToolPolicy(Toolbox(builtin_tools(("datetime", "calculator"), ())), max_rounds=max_rounds)
        if tools
        else None
    )

    def request_for(schema):
        return conversation.build_request(
            tools=policy.toolbox.api_tools() if policy is not None else None
        )

    return ChatEngine(
        conversation,
        lambda request: stream_reply(client, request),
        request_for,
        keeper=keeper,
        tools=policy,
    )


async def run(turn, decide=None) -> list[TurnEvent]:
    """Every event of the turn; `decide(event)` answers each waiting call."""
    events = []
    async with aclosing(turn) as stream:
        async for event in stream:
            events.append(event)
            if isinstance(event, ToolCallWaiting) and decide is not None:
                decide(event)
    return events


def kinds(events) -> list[str]:
    return [type(event).__name__ for event in events if not isinstance(event, ReplyProgress)]


async def test_send_streams_a_reply_into_the_conversation_and_saves_it(client):
    keeper = Kept()
    engine = engine_for(client, keeper=keeper)
    events = await run(engine.send("hello"))
    assert kinds(events) == ["ReplyStarted", "ReplyEnded"]
    prompt, reply = engine.conversation.messages
    assert prompt.text == "hello" and engine.conversation.title == "hello"
    assert reply.status is MessageStatus.COMPLETE and reply.text
    assert (
        "".join(
            event.event.text
            for event in events
            if isinstance(event, ReplyProgress) and isinstance(event.event, TextDelta)
        )
        == reply.text
    )
    assert events[-1] == ReplyEnded(reply, [reply])
    assert (reply.id, "complete") in keeper.saved and (prompt.id, "complete") in keeper.saved
    assert not engine.busy and engine.streaming is None


async def test_stop_keeps_what_arrived_and_ends_the_reply_as_stopped(client):
    keeper = Kept()
    engine = engine_for(client, "demo/generate/3000/300", keeper=keeper)
    seen = []

    async def consume():
        async with aclosing(engine.send("go")) as turn:
            async for event in turn:
                seen.append(event)
                if isinstance(event, ReplyProgress) and len(seen) > 10:
                    engine.stop()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.ensure_future(consume())
    reply = engine.conversation.messages[-1]
    assert reply.status is MessageStatus.STOPPED and reply.text
    assert engine.take_late_events() == [ReplyEnded(reply, [reply])]
    assert keeper.saved[-1] == (reply.id, "stopped")
    assert not engine.busy


async def test_interrupt_at_exit_saves_the_reply_interrupted_and_takes_no_more(client):
    keeper = Kept()
    engine = engine_for(client, "demo/generate/500/1000", keeper=keeper)
    kept_text = None
    async with aclosing(engine.send("go")) as turn:
        async for event in turn:
            if isinstance(event, ReplyProgress) and kept_text is None and event.reply.text:
                engine.interrupt()
                kept_text = event.reply.text
    reply = engine.conversation.messages[-1]
    assert reply.status is MessageStatus.INTERRUPTED and reply.text == kept_text
    assert keeper.saved[-1] == (reply.id, "interrupted")
    assert not engine.busy


async def test_a_second_turn_while_one_runs_is_refused(client):
    engine = engine_for(client, "demo/generate/3000/300")
    turn = engine.send("go")
    await anext(turn)
    with pytest.raises(EngineBusy):
        engine.add_prompt("another")
    with pytest.raises(EngineBusy):
        engine.retry()
    await turn.aclose()
    assert not engine.busy and engine.conversation.messages[-1].status is MessageStatus.STOPPED


async def test_retry_keeps_the_old_reply_as_a_branch_and_asks_with_the_same_request(client):
    engine = engine_for(client)
    with pytest.raises(NothingToRetry):
        engine.retry()
    await run(engine.send("hello"))
    first = engine.conversation.messages[-1]
    events = await run(engine.retry())
    started = events[0]
    assert isinstance(started, ReplyStarted)
    assert started.request == engine.asked_with(first)[0]
    prompt, second = engine.conversation.messages
    assert second is not first and second.status is MessageStatus.COMPLETE
    assert [m.id for m in engine.conversation.alternatives(1)] == [first.id, second.id]

    assert engine.switch_branch(second.id, -1) == 1
    assert engine.conversation.messages[1] is first
    assert engine.switch_branch(first.id, -1) is None


async def test_editing_a_prompt_sends_it_as_a_new_branch(client):
    engine = engine_for(client)
    await run(engine.send("hello"))
    old_prompt = engine.conversation.messages[0]
    engine.edit(old_prompt, "reasoning")
    await run(engine.turn())
    prompt, reply = engine.conversation.messages
    assert prompt.text == "reasoning" and reply.reasoning
    assert [m.text for m in engine.conversation.alternatives(0)] == ["hello", "reasoning"]


async def test_two_rounds_of_tools_with_allow_and_deny(client):
    keeper = Kept()
    engine = engine_for(client, tools=True, keeper=keeper)
    decisions = iter([Decision.ALLOWED_ONCE, Decision.DENIED, Decision.ALLOWED_ONCE])

    def decide(event: ToolCallWaiting):
        engine.decide(event.call.call.call_id, next(decisions))

    events = await run(engine.send("tools"), decide)
    assert kinds(events) == [
        "ReplyStarted",
        "ReplyEnded",
        "ToolRoundStarted",
        "ToolCallWaiting",
        "ToolCallWaiting",
        "ToolCallRunning",
        "ToolResultKept",
        "ToolResultKept",
        "ReplyStarted",
        "ReplyEnded",
        "ToolRoundStarted",
        "ToolCallWaiting",
        "ToolCallRunning",
        "ToolResultKept",
        "ReplyStarted",
        "ReplyEnded",
    ]
    roles = [message.role for message in engine.conversation.messages]
    assert roles == ["user", "assistant", "tool", "tool", "assistant", "tool", "assistant"]
    results = [event.result for event in events if isinstance(event, ToolResultKept)]
    assert {result.tool_result_part.decision for result in results[:2]} == {
        Decision.ALLOWED_ONCE,
        Decision.DENIED,
    }
    answer = engine.conversation.messages[-1]
    assert answer.status is MessageStatus.COMPLETE and not answer.tool_calls
    ended = [event for event in events if isinstance(event, ReplyEnded)]
    assert [event.turn for event in ended[:2]] == [None, None]
    assert len(ended[-1].turn) == 3
    assert all((result.id, "complete") in keeper.saved for result in results)


async def test_allowed_in_this_chat_runs_the_later_calls_of_that_tool_without_asking(client):
    keeper = Kept()
    engine = engine_for(client, tools=True, keeper=keeper)

    def decide(event: ToolCallWaiting):
        engine.decide(event.call.call.call_id, Decision.ALLOWED_IN_CHAT)

    events = await run(engine.send("tools"), decide)
    assert engine.conversation.allowed_tools == {"current_datetime", "calculator"}
    assert sum(isinstance(event, ToolAllowedInChat) for event in events) == 2
    assert keeper.conversation_saves == 2
    # the second round's calculator call ran without a question
    assert sum(isinstance(event, ToolCallWaiting) for event in events) == 2
    running = [event.decision for event in events if isinstance(event, ToolCallRunning)]
    assert running[-1] is Decision.ALLOWED_IN_CHAT


async def test_the_round_limit_answers_the_last_calls_not_run_and_ends_the_turn(client):
    engine = engine_for(client, tools=True, max_rounds=1)
    events = await run(
        engine.send("tools"),
        lambda event: engine.decide(event.call.call.call_id, Decision.ALLOWED_ONCE),
    )
    limit = events[-1]
    assert isinstance(limit, RoundLimitReached) and limit.limit == 1
    assert len(limit.turn) == 2
    last_results = engine.conversation.messages[-1:]
    assert last_results[0].tool_result_part.decision is Decision.NOT_RUN
    assert "1 round of tool calls" in last_results[0].tool_result_part.content
    # going on from the results asks the model again
    events = await run(engine.retry())
    assert isinstance(events[0], ReplyStarted)


async def test_stopping_while_calls_wait_answers_them_stopped(client):
    engine = engine_for(client, tools=True)

    async def consume():
        async with aclosing(engine.send("tools")) as turn:
            async for event in turn:
                if isinstance(event, ToolCallWaiting):
                    engine.stop()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.ensure_future(consume())
    late = engine.take_late_events()
    assert isinstance(late[-1], ToolsStopped)
    stopped = [event.result for event in late if isinstance(event, ToolResultKept)]
    assert len(stopped) == 2
    assert all(r.tool_result_part.decision is Decision.STOPPED for r in stopped)
    assert [m.role for m in engine.conversation.messages] == ["user", "assistant", "tool", "tool"]
    assert not engine.busy and not engine.in_tool_round


async def test_a_model_asking_for_tools_none_were_offered_for_gets_none_run(client):
    engine = engine_for(client)
    events = await run(engine.send("tools"))
    assert not any(isinstance(event, ToolRoundStarted) for event in events)
    assert "offered none" in engine.conversation.messages[-1].text
