"""A conversation's reply options: what the user types becomes a request, or a clear refusal."""

from __future__ import annotations

import pytest

from rillchat.chat.conversation import Conversation, Message
from rillchat.chat.options import ReplyOptions, parse_max_tokens, parse_temperature


def test_the_options_go_into_the_request_and_the_effort_only_for_a_reasoning_model():
    conversation = Conversation(
        model="m/x",
        messages=[Message.user("hi")],
        options=ReplyOptions("high", 0.3, 500, "Reviewer"),
    )

    body = conversation.build_request().body()
    assert (body["reasoning"], body["temperature"], body["max_tokens"]) == (
        {"effort": "high"},
        0.3,
        500,
    )
    assert "reasoning" not in conversation.build_request(reasoning=False).body()
    assert conversation.build_request(temperature=1.5).body()["temperature"] == 1.5


def test_default_options_send_nothing_extra():
    body = Conversation(model="m/x", messages=[Message.user("hi")]).build_request().body()
    assert not {"reasoning", "temperature", "max_tokens"} & body.keys()


@pytest.mark.parametrize(
    ("typed", "expected"), [("", None), (" 0.7 ", 0.7), ("0", 0.0), ("2", 2.0)]
)
def test_temperatures_that_are_taken(typed, expected):
    assert parse_temperature(typed) == expected


@pytest.mark.parametrize("typed", ["hot", "2.5", "-1", "nan", "inf"])
def test_temperatures_that_are_refused_say_what_fits(typed):
    with pytest.raises(ValueError, match="number from 0 to 2"):
        parse_temperature(typed)


@pytest.mark.parametrize(("typed", "expected"), [("", None), ("2000", 2000), ("32,000", 32000)])
def test_token_caps_that_are_taken(typed, expected):
    assert parse_max_tokens(typed) == expected


@pytest.mark.parametrize("typed", ["0", "-5", "1.5", "lots", "²"])
def test_token_caps_that_are_refused_say_what_fits(typed):
    with pytest.raises(ValueError, match="whole number above 0"):
        parse_max_tokens(typed)


def test_saved_options_that_do_not_fit_are_dropped_not_fatal():
    saved = {"reasoning_effort": "extreme", "temperature": 9, "max_tokens": "many", "preset": 3}
    assert ReplyOptions.from_dict(saved) == ReplyOptions()
    assert ReplyOptions.from_dict(None) == ReplyOptions()
    kept = ReplyOptions("low", 1.0, 10, "Terse")
    assert ReplyOptions.from_dict(kept.to_dict()) == kept


def test_reasoning_details_go_back_with_the_message_that_carries_the_calls():
    from rillchat.chat.assembler import ReplyAssembler
    from rillchat.chat.conversation import Conversation, Message
    from rillchat.openrouter.events import Finished, ReasoningDelta, ToolCallDelta

    detail = {"type": "reasoning.encrypted", "data": "gAAA", "index": 0}
    assembler = ReplyAssembler()
    for event in (
        ReasoningDelta("", (detail,)),
        ToolCallDelta(0, "call_1", "calculator", "{}"),
        ToolCallDelta(1, "call_2", "calculator", "{}"),
        Finished("tool_calls"),
    ):
        assembler.apply(event)
    conversation = Conversation(model="m", messages=[Message.user("hi"), assembler.message])
    # Only answered calls are sent: the API refuses a call without a result.
    conversation.messages.append(Message.tool_result("call_1", "2"))
    sent = conversation.request_messages()
    assert sent[1]["reasoning_details"] == [detail]
    assert [call["id"] for call in sent[1]["tool_calls"]] == ["call_1"]
    assert sent[2] == {"role": "tool", "tool_call_id": "call_1", "content": "2"}
