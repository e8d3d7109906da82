"""Every recorded OpenRouter stream, replayed byte for byte over HTTP and read with the real SDK."""

from __future__ import annotations

import pytest

from rillchat.chat.conversation import MessageStatus
from rillchat.openrouter.events import KeepAlive, ResponseStarted
from tests.unit.helpers import ask_request, assemble, collect

EXPECTED = {
    "text-gpt-4o-mini": dict(
        text="Hello!",
        reasoning="",
        tool_calls=[],
        finish="stop",
        provider="Azure",
        model="openai/gpt-4o-mini",
        prompt=21,
        completion=3,
        reasoning_tokens=0,
        cost=0.00000495,
        keepalives=1,
    ),
    "reasoning-claude-sonnet-4-5": dict(
        text="2 + 2 = 4",
        reasoning="This is a simple arithmetic question. 2+2 equals 4.",
        tool_calls=[],
        finish="stop",
        provider="Google",
        model="anthropic/claude-sonnet-4.5",
        prompt=43,
        completion=36,
        reasoning_tokens=13,
        cost=0.000669,
        keepalives=4,
    ),
    "tool-call-gpt-4o-mini": dict(
        text="",
        reasoning="",
        tool_calls=[("call_L7mHMq49ZSUTBHjLJfBIP2eT", "get_weather", '{"city":"Paris"}')],
        finish="tool_calls",
        provider="OpenAI",
        model="openai/gpt-4o-mini",
        prompt=67,
        completion=5,
        reasoning_tokens=0,
        cost=0.00001305,
        keepalives=1,
    ),
    "tool-loop-claude-opus-turn1": dict(
        text="",
        reasoning="",
        tool_calls=[("toolu_bdrk_01AVRkzbigpMbNJ3zjnuQ6ZE", "get_weather", '{"city": "Paris"}')],
        finish="tool_calls",
        provider="Amazon Bedrock",
        model="anthropic/claude-4.7-opus-20260416",
        prompt=802,
        completion=66,
        reasoning_tokens=0,
        cost=0.00566,
        keepalives=3,
    ),
    "tool-loop-claude-opus-turn2": dict(
        text="It's sunny and 22°C in Paris.",
        reasoning="",
        tool_calls=[],
        finish="stop",
        provider="Amazon Bedrock",
        model="anthropic/claude-4.7-opus-20260416",
        prompt=899,
        completion=19,
        reasoning_tokens=0,
        cost=0.00497,
        keepalives=1,
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_recorded_stream_reassembles_exactly(client, name):
    expected = EXPECTED[name]
    events = await collect(client, ask_request(f"demo/replay/{name}"))
    message = assemble(events)

    assert message.status is MessageStatus.COMPLETE
    assert message.text == expected["text"]
    assert message.reasoning == expected["reasoning"]
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls] == expected["tool_calls"]
    assert message.finish_reason == expected["finish"]
    assert message.provider == expected["provider"]
    assert message.model == expected["model"]
    assert message.usage.prompt_tokens == expected["prompt"]
    assert message.usage.completion_tokens == expected["completion"]
    assert message.usage.reasoning_tokens == expected["reasoning_tokens"]
    assert message.usage.cost == pytest.approx(expected["cost"], rel=1e-9)
    assert sum(isinstance(e, KeepAlive) for e in events) == expected["keepalives"]
    assert sum(isinstance(e, ResponseStarted) for e in events) == 1


async def test_recorded_reasoning_details_merge_into_one_signed_block(client):
    message = assemble(
        await collect(client, ask_request("demo/replay/reasoning-claude-sonnet-4-5"))
    )

    [detail] = message.reasoning_details
    assert detail["type"] == "reasoning.text"
    assert detail["text"] == "This is a simple arithmetic question. 2+2 equals 4."
    assert detail["signature"].startswith("Et0BCkgIChACGAIqQA2s7h7t")
    assert detail["format"] == "anthropic-claude-v1"


async def test_tool_loop_follow_up_matches_the_recorded_second_request(client):
    """The follow-up built from turn 1 is the request that produced turn 2."""
    from rillchat.chat.conversation import Conversation, Message

    turn1 = assemble(await collect(client, ask_request("demo/replay/tool-loop-claude-opus-turn1")))
    conversation = Conversation(
        model="anthropic/claude-opus-4.7",
        system_prompt="Use the get_weather tool exactly once, then answer in one short sentence.",
        messages=[Message.user("What is the weather in Paris?"), turn1],
    )
    conversation.messages.append(
        Message.tool_result(turn1.tool_calls[0].call_id, '{"temperature":22,"condition":"sunny"}')
    )
    messages = conversation.request_messages()

    assert messages[2] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "toolu_bdrk_01AVRkzbigpMbNJ3zjnuQ6ZE",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
            }
        ],
    }
    assert messages[3] == {
        "role": "tool",
        "tool_call_id": "toolu_bdrk_01AVRkzbigpMbNJ3zjnuQ6ZE",
        "content": '{"temperature":22,"condition":"sunny"}',
    }
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
