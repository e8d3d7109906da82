"""The fold from events to a message, without a network."""

from __future__ import annotations

from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import (
    Conversation,
    ErrorPart,
    Message,
    MessageStatus,
    ReasoningPart,
    TextPart,
    ToolCallPart,
    merge_reasoning_details,
)
from rillchat.openrouter.events import (
    FailureKind,
    Finished,
    KeepAlive,
    ReasoningDelta,
    ResponseStarted,
    StreamFailed,
    TextDelta,
    ToolCallDelta,
    Usage,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_parts_keep_the_order_they_arrived_in():
    assembler = ReplyAssembler()
    for event in [
        ResponseStarted("gen-1", "m/x", "P"),
        KeepAlive(),
        ReasoningDelta("Think "),
        ReasoningDelta("more."),
        TextDelta("Answer "),
        TextDelta("here."),
        ToolCallDelta(0, "c1", "f", '{"a"'),
        TextDelta(" After."),
        ToolCallDelta(0, None, None, ": 1}"),
        Finished("tool_calls"),
    ]:
        assembler.apply(event)
    message = assembler.message

    assert [type(p) for p in message.parts] == [ReasoningPart, TextPart, ToolCallPart, TextPart]
    assert message.text == "Answer here. After."
    assert message.tool_calls[0].arguments == '{"a": 1}'
    assert (message.generation_id, message.model, message.provider) == ("gen-1", "m/x", "P")
    assert message.status is MessageStatus.COMPLETE


def test_timing_from_an_injected_clock():
    clock = FakeClock()
    assembler = ReplyAssembler(clock=clock)
    clock.now = 100.4
    assembler.apply(KeepAlive())
    clock.now = 101.0
    assembler.apply(TextDelta("x"))
    clock.now = 103.0
    assembler.apply(Finished("stop"))

    assert assembler.message.time_to_first_token == 1.0
    assert assembler.message.duration == 3.0


def test_failure_adds_an_error_part_and_keeps_the_text():
    assembler = ReplyAssembler()
    assembler.apply(TextDelta("partial"))
    assembler.apply(
        StreamFailed(
            kind=FailureKind.NETWORK, message="gone", hint="check", status=None, code=None
        )
    )
    message = assembler.message

    assert message.status is MessageStatus.FAILED
    assert message.text == "partial"
    assert isinstance(message.parts[-1], ErrorPart) and message.error.message == "gone"


def test_stop_keeps_what_arrived_but_does_not_override_an_end():
    stopped = ReplyAssembler()
    stopped.apply(TextDelta("so far"))
    stopped.stop()
    finished = ReplyAssembler()
    finished.apply(Finished("stop"))
    finished.stop()

    assert stopped.message.status is MessageStatus.STOPPED and stopped.message.text == "so far"
    assert finished.message.status is MessageStatus.COMPLETE


def test_usage_is_kept():
    assembler = ReplyAssembler()
    assembler.apply(Usage(10, 5, reasoning_tokens=2, cost=0.01))
    assert assembler.message.usage.total_tokens == 15


def test_reasoning_details_merge_text_by_block_and_keep_late_signature():
    details = merge_reasoning_details(
        [
            {"type": "reasoning.text", "text": "", "signature": "", "format": "f", "index": 0},
            {"type": "reasoning.text", "text": "a", "format": "f", "index": 0},
            {"type": "reasoning.text", "text": "b", "format": "f", "index": 0},
            {"type": "reasoning.text", "signature": "SIG", "format": "f", "index": 0},
            {"type": "reasoning.text", "text": "c", "format": "f", "index": 1},
            {"type": "reasoning.encrypted", "data": "xx", "format": "f", "index": 2},
            {"type": "reasoning.encrypted", "data": "yy", "format": "f", "index": 2},
        ]
    )

    assert details == [
        {"type": "reasoning.text", "text": "ab", "signature": "SIG", "format": "f", "index": 0},
        {"type": "reasoning.text", "text": "c", "format": "f", "index": 1},
        {"type": "reasoning.encrypted", "data": "xx", "format": "f", "index": 2},
        {"type": "reasoning.encrypted", "data": "yy", "format": "f", "index": 2},
    ]


def test_request_messages_pass_reasoning_details_back_with_tool_calls():
    reply = Message(
        role="assistant",
        parts=[
            ReasoningPart(
                "why",
                [
                    {
                        "type": "reasoning.text",
                        "text": "why",
                        "signature": "S",
                        "format": "f",
                        "index": 0,
                    }
                ],
            ),
            ToolCallPart(0, "c1", "lookup", '{"q": 1}'),
        ],
    )
    failed_empty = Message(
        role="assistant",
        status=MessageStatus.FAILED,
        parts=[ErrorPart(StreamFailed(kind=FailureKind.PROVIDER, message="x", hint="y"))],
    )
    conversation = Conversation(
        model="m",
        system_prompt="Be brief.",
        messages=[Message.user("q"), failed_empty, reply, Message.tool_result("c1", "42")],
    )

    assert conversation.request_messages() == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "q"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"q": 1}'},
                }
            ],
            "reasoning_details": [
                {
                    "type": "reasoning.text",
                    "text": "why",
                    "signature": "S",
                    "format": "f",
                    "index": 0,
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]


def test_build_request_carries_options():
    conversation = Conversation(model="m/x", messages=[Message.user("hi")])
    request = conversation.build_request(temperature=0.2, reasoning_effort="low")
    body = request.body()

    assert body["model"] == "m/x" and body["temperature"] == 0.2
    assert body["reasoning"] == {"effort": "low"}
    assert body["stream"] is True
