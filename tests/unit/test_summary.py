from rillchat.chat.conversation import Message
from rillchat.chat.summary import format_cost, format_seconds, timing_pieces, usage_pieces
from rillchat.openrouter.events import Usage


def test_costs_keep_enough_digits_to_compare_cheap_replies():
    assert format_cost(0) == "$0"
    assert format_cost(0.000123) == "$0.000123"
    assert format_cost(0.0123) == "$0.0123"
    assert format_cost(1.234) == "$1.23"


def test_seconds_read_naturally():
    assert format_seconds(0.62) == "0.6 s"
    assert format_seconds(42.4) == "42 s"
    assert format_seconds(125) == "2 min 05 s"


def test_usage_and_speed():
    message = Message(
        role="assistant",
        usage=Usage(12, 201, reasoning_tokens=64, cost=0.00042),
        time_to_first_token=0.5,
        duration=2.5,
    )
    assert usage_pieces(message) == ["12 in · 201 out (64 reasoning)", "$0.000420"]
    assert timing_pieces(message) == ["first token 0.5 s", "100 tok/s"]


def test_no_speed_without_usage_or_time():
    assert timing_pieces(Message(role="assistant", time_to_first_token=0.0, duration=0.0)) == [
        "first token 0.0 s"
    ]
    assert usage_pieces(Message(role="assistant")) == []
