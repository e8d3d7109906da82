"""Every demo scenario through the real SDK over HTTP: what arrives, and what each failure says."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import urllib.request

import pytest

from rillchat.chat.conversation import Conversation, Message, MessageStatus
from rillchat.config.settings import Settings
from rillchat.demo import texts
from rillchat.demo.answer_scenarios import huge_chunk_text
from rillchat.openrouter.client import make_client
from rillchat.openrouter.events import (
    FailureKind,
    Finished,
    KeepAlive,
    ResponseStarted,
    Retrying,
    StreamFailed,
    TextDelta,
    Usage,
)
from rillchat.openrouter.stream import stream_reply
from tests.conftest import TEST_API_KEY, client_for
from tests.unit.helpers import ask_request, assemble, collect


async def test_markdown_answer_streams_in_order(client):
    events = await collect(client, ask_request("demo/markdown"))

    assert isinstance(events[0], KeepAlive)
    assert isinstance(events[1], ResponseStarted)
    assert events[1].provider == "Rill Demo"
    assert "".join(e.text for e in events if isinstance(e, TextDelta)) == texts.WELCOME
    assert isinstance(events[-2], Usage) and isinstance(events[-1], Finished)
    assert events[-1].reason == "stop"
    assert sum(isinstance(e, TextDelta) for e in events) > 100


async def test_reasoning_then_answer(client):
    message = assemble(await collect(client, ask_request("demo/reasoning")))

    assert message.reasoning == "".join(texts.REASONING_STEPS)
    assert message.text == texts.REASONING_ANSWER
    assert message.usage.reasoning_tokens > 0
    [detail] = message.reasoning_details
    assert detail["text"] == message.reasoning
    assert detail["signature"] == "RGVtbyBzaWduYXR1cmU="
    assert message.parts[0].__class__.__name__ == "ReasoningPart"


async def test_a_two_round_tool_loop_with_two_parallel_calls_first(client, demo_server):
    tools = [
        {
            "type": "function",
            "function": {"name": name, "description": name, "parameters": {"type": "object"}},
        }
        for name in ("current_datetime", "calculator")
    ]
    conversation = Conversation(model="demo/auto", messages=[Message.user("tools")])
    turn1 = assemble(await collect(client, conversation.build_request(tools=tools)))

    assert turn1.finish_reason == "tool_calls"
    assert [(call.index, call.name) for call in turn1.tool_calls] == [
        (0, "current_datetime"),
        (1, "calculator"),
    ]
    assert turn1.tool_calls[1].parsed_arguments() == {"expression": "17 * 23"}
    conversation.messages += [
        turn1,
        Message.tool_result(turn1.tool_calls[0].call_id, "Monday"),
        Message.tool_result(turn1.tool_calls[1].call_id, "391"),
    ]

    turn2 = assemble(await collect(client, conversation.build_request(tools=tools)))
    [call] = turn2.tool_calls
    assert call.name == "calculator" and call.call_id != turn1.tool_calls[1].call_id
    conversation.messages += [turn2, Message.tool_result(call.call_id, "1047")]

    turn3 = assemble(await collect(client, conversation.build_request(tools=tools)))
    assert turn3.tool_calls == [] and turn3.finish_reason == "stop"
    assert "`current_datetime`: Monday" in turn3.text and "`calculator`: 1047" in turn3.text
    sent = demo_server.requests[-1]["messages"]
    assert sent[1]["tool_calls"][1]["id"] == turn1.tool_calls[1].call_id
    assert sent[3] == {
        "role": "tool",
        "tool_call_id": turn1.tool_calls[1].call_id,
        "content": "391",
    }


async def test_tool_scenarios_without_tools_say_how_to_turn_them_on(client):
    message = assemble(await collect(client, ask_request("demo/auto", "tools")))
    assert "offered none" in message.text and "F8" in message.text


@pytest.mark.parametrize(
    ("prompt", "name", "arguments"),
    [
        ("a failing tool", "calculator", '{"expression": "1 / 0"}'),
        ("bad arguments", "calculator", '{"expression": 17 * 23'),
        ("a slow tool", "slow_lookup", '{"query": "the first tool ever called"}'),
    ],
)
async def test_tool_failure_scenarios_make_the_call_that_fails(client, prompt, name, arguments):
    tools = [
        {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}
        for name in ("calculator", "slow_lookup")
    ]
    message = assemble(await collect(client, ask_request("demo/auto", prompt, tools=tools)))
    [call] = message.tool_calls
    assert (call.name, call.arguments) == (name, arguments)


async def test_json_answer_follows_the_requested_schema(client):
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "rating": {"type": "integer"},
            "kind": {"enum": ["book", "film"]},
        },
    }
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "item", "strict": True, "schema": schema},
    }
    message = assemble(
        await collect(client, ask_request("demo/json", response_format=response_format))
    )

    value = json.loads(message.text)
    assert set(value) == {"title", "tags", "rating", "kind"}
    assert value["rating"] == 42 and value["kind"] == "book" and len(value["tags"]) == 3


async def test_json_answer_without_schema_is_valid_json(client):
    message = assemble(await collect(client, ask_request("demo/json")))
    assert len(json.loads(message.text)["books"]) == 6


@pytest.mark.parametrize(
    ("model", "kind", "status", "message_part", "hint_part"),
    [
        ("demo/error-401", FailureKind.AUTH, 401, "User not found", "OPENROUTER_API_KEY"),
        ("demo/error-402", FailureKind.CREDITS, 402, "requires more credits", "settings/credits"),
        ("demo/error-429", FailureKind.RATE_LIMIT, 429, "Rate limit exceeded", "Retry in 7 s"),
        ("demo/error-500", FailureKind.PROVIDER, 500, "Internal Server Error", "Retry"),
        ("demo/error-502", FailureKind.PROVIDER, 502, "Provider returned error", "Retry"),
        ("demo/error-503", FailureKind.PROVIDER, 503, "No allowed providers", "another model"),
        ("nobody/no-such-model", FailureKind.BAD_REQUEST, 400, "not a valid model ID", "model id"),
        ("demo/html", FailureKind.PROTOCOL, None, "Corporate proxy: sign in required", "base URL"),
    ],
)
async def test_failures_before_the_first_token(
    client, model, kind, status, message_part, hint_part
):
    events = await collect(client, ask_request(model))

    [failure] = events
    assert isinstance(failure, StreamFailed)
    assert failure.kind is kind
    assert failure.status == status
    assert message_part in failure.message
    assert hint_part in failure.hint


async def test_a_slow_trickle_and_a_huge_single_chunk_come_through_whole(client):
    """A word every 50 ms, and a quarter of a megabyte in one `data:` line."""
    trickled = assemble(await collect(client, ask_request("demo/trickle")))
    assert trickled.text == texts.TRICKLE_ANSWER
    assert trickled.status is MessageStatus.COMPLETE
    huge = assemble(await collect(client, ask_request("demo/huge-chunk")))
    assert huge.text == huge_chunk_text() and len(huge.text) == 256_000
    assert huge.status is MessageStatus.COMPLETE


async def test_rate_limit_carries_retry_after(client):
    [failure] = await collect(client, ask_request("demo/error-429"))
    assert failure.retry_after == 7
    assert failure.retryable
    assert failure.provider == "Rill Demo"


@pytest.mark.parametrize(
    ("model", "kind", "message_part"),
    [
        ("demo/error-midstream", FailureKind.PROVIDER, "Upstream provider disconnected"),
        ("demo/error-choice", FailureKind.PROVIDER, "invalid response"),
        ("demo/drop", FailureKind.NETWORK, "closed before the reply was complete"),
        ("demo/not-json", FailureKind.PROTOCOL, "not JSON"),
    ],
)
async def test_failures_after_tokens_keep_the_partial_answer(client, model, kind, message_part):
    events = await collect(client, ask_request(model))
    message = assemble(events)

    failure = events[-1]
    assert isinstance(failure, StreamFailed)
    assert failure.kind is kind
    assert message_part in failure.message
    assert message.text == texts.PARTIAL_ANSWER
    assert message.status is MessageStatus.FAILED
    assert message.error.kind is kind
    assert sum(isinstance(e, StreamFailed) for e in events) == 1


async def test_midstream_error_names_provider_and_code(client):
    failure = (await collect(client, ask_request("demo/error-midstream")))[-1]
    assert failure.code == 502
    assert failure.provider == "Rill Demo"
    assert failure.metadata["error_type"] == "provider_overloaded"


async def test_stall_becomes_a_stalled_failure_after_the_read_timeout(demo_server):
    client = client_for(demo_server, read_timeout=0.5)
    started = time.monotonic()
    events = await collect(client, ask_request("demo/stall"))
    elapsed = time.monotonic() - started
    await client.close()

    assert events[-1].kind is FailureKind.STALLED
    assert "0.5 s" in events[-1].hint
    assert assemble(events).text == texts.PARTIAL_ANSWER
    assert elapsed < 3


async def test_server_that_accepts_but_never_answers_is_stalled():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    client = make_client(
        Settings(
            api_key=TEST_API_KEY,
            base_url=f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1",
            read_timeout=0.5,
        )
    )
    [failure] = await collect(client, ask_request("x/y"))
    await client.close()
    listener.close()

    assert failure.kind is FailureKind.STALLED
    assert failure.message == "No response from the server."


async def test_unreachable_host_is_a_network_failure_naming_the_url():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/api/v1"
    client = make_client(Settings(api_key=TEST_API_KEY, base_url=base_url, connect_timeout=2))
    started = time.monotonic()
    [failure] = await collect(client, ask_request("x/y"))
    await client.close()

    assert failure.kind is FailureKind.NETWORK
    assert base_url in failure.message and base_url in failure.hint
    assert time.monotonic() - started < 2


async def test_bad_parameters_get_the_servers_message(client):
    [failure] = await collect(client, ask_request("demo/markdown", temperature=5))
    assert failure.kind is FailureKind.BAD_REQUEST
    assert "temperature must be a number between 0 and 2" in failure.message


async def test_reasoning_effort_goes_out_as_openrouter_expects(client, demo_server):
    await collect(client, ask_request("demo/markdown", reasoning_effort="high", max_tokens=50))
    sent = demo_server.requests[-1]
    assert sent["reasoning"] == {"effort": "high"}
    assert sent["max_tokens"] == 50 and sent["stream"] is True


async def test_attribution_headers_and_key_reach_the_server(client, demo_server):
    await collect(client, ask_request("demo/markdown"))
    headers = demo_server.request_headers[-1]

    assert headers["X-OpenRouter-Title"] == "Rill"
    assert headers["HTTP-Referer"].startswith("https://")
    assert headers["Authorization"] == f"Bearer {TEST_API_KEY}"


def test_client_has_explicit_timeouts_and_no_silent_retries(demo_server):
    client = client_for(demo_server)
    assert client.max_retries == 0
    assert client.timeout.connect == 10.0 and client.timeout.read == 60.0


async def test_provider_failures_are_retried_once_while_nothing_was_shown(demo_server):
    client = client_for(demo_server)
    before = len(demo_server.requests)
    delays = []

    async def no_wait(seconds):
        delays.append(seconds)

    events = await collect(client, ask_request("demo/error-503"), retries=1, sleep=no_wait)
    await client.close()

    assert [type(e) for e in events] == [Retrying, StreamFailed]
    assert events[0].failure.status == 503 and delays == [1.0]
    assert len(demo_server.requests) - before == 2


async def test_rate_limits_and_failures_after_content_are_not_retried(demo_server):
    client = client_for(demo_server)
    before = len(demo_server.requests)
    rate_limited = await collect(client, ask_request("demo/error-429"), retries=3)
    dropped = await collect(client, ask_request("demo/drop"), retries=3)
    await client.close()

    assert not any(isinstance(e, Retrying) for e in rate_limited + dropped)
    assert len(demo_server.requests) - before == 2


async def test_cancellation_propagates_and_closes_the_stream(client):
    received = asyncio.Event()

    async def consume():
        async for event in stream_reply(client, ask_request("demo/generate/100000/50")):
            if isinstance(event, TextDelta):
                received.set()

    task = asyncio.create_task(consume())
    await asyncio.wait_for(received.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_non_streaming_completion(client):
    completion = await client.chat.completions.create(
        model="demo/markdown", messages=[{"role": "user", "content": "hi"}]
    )
    assert completion.choices[0].message.content == texts.WELCOME
    assert completion.usage.completion_tokens > 100


async def test_models_and_key_endpoints(client, demo_server):
    models = await client.models.list()
    ids = {model.id for model in models.data}
    assert {"demo/auto", "demo/reasoning", "demo/error-429", "openai/gpt-4o-mini"} <= ids

    request = urllib.request.Request(
        demo_server.url + "/key", headers={"Authorization": "Bearer x"}
    )
    with urllib.request.urlopen(request) as response:
        key = json.load(response)["data"]
    assert key["limit_remaining"] == 9.5


@pytest.mark.parametrize(
    ("prompt", "scenario_text"),
    [("hello", texts.WELCOME), ("help", texts.HELP), ("  Reasoning ", texts.REASONING_ANSWER)],
)
async def test_demo_auto_picks_the_scenario_from_the_prompt(client, prompt, scenario_text):
    message = assemble(await collect(client, ask_request("demo/auto", prompt)))
    assert message.text == scenario_text


@pytest.mark.parametrize("prompt", ["error 429", "429"])
async def test_demo_auto_failures_by_prompt(client, prompt):
    [failure] = await collect(client, ask_request("demo/auto", prompt))
    assert failure.status == 429


async def test_generated_reply_has_exactly_n_tokens(client):
    events = await collect(client, ask_request("demo/generate/2000"))
    assert sum(isinstance(e, TextDelta) for e in events) == 2000
    assert isinstance(events[-1], Finished)
