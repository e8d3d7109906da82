"""Wire quirks from openrouter-wire.md that the recordings do not show, replayed over HTTP."""

from __future__ import annotations

from rillchat.chat.conversation import MessageStatus
from rillchat.openrouter.events import (
    FailureKind,
    Finished,
    ReasoningDelta,
    StreamFailed,
    TextDelta,
    Usage,
)
from tests.unit.helpers import ask_request, assemble, collect


async def test_tool_call_fragments_merge_by_index(edge_client):
    events = await collect(edge_client, ask_request("demo/replay/tool-call-quirks"))
    message = assemble(events)

    assert [(c.index, c.id, c.name, c.arguments) for c in message.tool_calls] == [
        (0, "call_a", "search", '{"q": "rill"}'),
        (1, "call_b", "fetch", '{"url": "x"}'),
        (2, "call_c", "now", ""),
    ]
    assert message.tool_calls[2].parsed_arguments() == {}
    # "stop" with tool calls means tool_calls; repeated finish chunks give one Finished.
    assert [e for e in events if isinstance(e, Finished)] == [Finished("tool_calls", "stop")]
    assert sum(isinstance(e, Usage) for e in events) == 1
    assert message.usage.cached_tokens == 4 and message.usage.is_byok


async def test_tool_calls_without_any_finish_reason_finish_as_tool_calls(edge_client):
    message = assemble(
        await collect(edge_client, ask_request("demo/replay/tool-call-null-finish"))
    )
    assert message.status is MessageStatus.COMPLETE
    assert message.finish_reason == "tool_calls"


async def test_reasoning_content_summaries_and_encrypted_blocks(edge_client):
    events = await collect(edge_client, ask_request("demo/replay/reasoning-variants"))
    message = assemble(events)

    assert message.reasoning == "Deep thought. Summary one and two."
    assert message.text == "Answer."
    [reasoning_part] = [p for p in message.parts if p.__class__.__name__ == "ReasoningPart"]
    assert reasoning_part.encrypted
    assert message.reasoning_details == [
        {
            "type": "reasoning.summary",
            "summary": " Summary one and two.",
            "format": "openai-responses-v1",
            "index": 1,
        },
        {
            "type": "reasoning.encrypted",
            "data": "[REDACTED]",
            "format": "openai-responses-v1",
            "index": 2,
            "id": "rs_1",
        },
    ]
    # An encrypted block has no readable text but still reaches the consumer.
    encrypted = [e for e in events if isinstance(e, ReasoningDelta) and not e.text]
    assert encrypted and encrypted[0].details[0]["type"] == "reasoning.encrypted"


async def test_stream_ending_without_finish_reason_is_incomplete(edge_client):
    events = await collect(edge_client, ask_request("demo/replay/no-finish"))
    message = assemble(events)

    assert isinstance(events[-1], StreamFailed)
    assert events[-1].kind is FailureKind.PROTOCOL
    assert "ended before the reply was finished" in events[-1].message
    assert message.text == "Half an ans"


async def test_length_finish_is_reported(edge_client):
    message = assemble(await collect(edge_client, ask_request("demo/replay/length")))
    assert message.finish_reason == "length"
    assert message.status is MessageStatus.COMPLETE


async def test_unknown_recording_is_a_clear_bad_request(edge_client):
    [failure] = await collect(edge_client, ask_request("demo/replay/nope"))
    assert failure.kind is FailureKind.BAD_REQUEST
    assert "No recording named 'nope'" in failure.message


async def test_content_sent_as_an_array_of_parts_is_read_whole(edge_client):
    """Mistral and Magistral send `delta.content` as typed parts: the text parts are the
    answer, the thinking parts reasoning; none is dropped ("391" came out as "91")."""
    events = await collect(edge_client, ask_request("demo/replay/content-parts"))
    message = assemble(events)

    assert message.text == "391 is the answer."
    assert message.reasoning == "17 times 23: 340 + 51."
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["3", "91", " is the answer."]
    assert message.status is MessageStatus.COMPLETE
