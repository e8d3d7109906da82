"""Stream fuzzing: random and malformed chunk sequences, written as a recording and replayed by
the local server over real HTTP to the real SDK. Whatever arrives (missing fields, wrong types,
unknown `reasoning_details` types, tool-call indexes out of order, huge strings, bytes that
are not UTF-8, split anywhere between network reads), the stream layer yields only its
documented events, each with the documented field types, ending with exactly one Finished
or StreamFailed, and never raises."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rillchat.chat.assembler import ReplyAssembler
from rillchat.demo import DemoServer, Pacing
from rillchat.demo.replay_scenarios import CUT_MARKER
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
from tests.conftest import client_for
from tests.unit.helpers import ask_request, collect

JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
TEXT = (
    st.text(max_size=30)
    | st.just("x" * 100_000)
    | st.sampled_from(["\x1b[2J", "é", "😀", "\ud800"[:0] + "\u202e", "[bold]x[/bold]", ""])
)


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """The field as it should be, most of the time, or anything at all."""
    return st.one_of(strategy, strategy, strategy, JUNK)


DETAIL = st.fixed_dictionaries(
    {},
    optional={
        "type": maybe(
            st.sampled_from(
                [
                    "reasoning.text",
                    "reasoning.summary",
                    "reasoning.encrypted",
                    "reasoning.unheard-of",
                ]
            )
        ),
        "text": maybe(TEXT),
        "summary": maybe(TEXT),
        "data": maybe(TEXT),
        "id": maybe(TEXT),
        "format": maybe(TEXT),
        "index": maybe(st.integers(-1, 3)),
    },
)
TOOL_CALL = st.fixed_dictionaries(
    {},
    optional={
        "index": maybe(st.integers(-2, 4)),
        "id": maybe(TEXT),
        "type": maybe(st.just("function")),
        "function": maybe(
            st.fixed_dictionaries({}, optional={"name": maybe(TEXT), "arguments": maybe(TEXT)})
        ),
    },
)
TEXT_PART = st.fixed_dictionaries(
    {},
    optional={
        "type": maybe(st.sampled_from(["text", "output_text", "image_url", "brand-new"])),
        "text": maybe(TEXT),
    },
)
CONTENT_PART = TEXT_PART | st.fixed_dictionaries(
    {},
    optional={  # as Mistral sends them
        "type": maybe(st.sampled_from(["thinking", "reasoning"])),
        "thinking": maybe(TEXT | st.lists(maybe(TEXT_PART), max_size=3)),
        "reasoning": maybe(TEXT),
        "text": maybe(TEXT),
    },
)
DELTA = st.fixed_dictionaries(
    {},
    optional={
        "role": maybe(st.just("assistant")),
        "content": maybe(TEXT | st.lists(maybe(CONTENT_PART), max_size=3)),
        "reasoning": maybe(TEXT),
        "reasoning_content": maybe(TEXT),
        "reasoning_details": maybe(st.lists(maybe(DETAIL), max_size=3)),
        "tool_calls": maybe(st.lists(maybe(TOOL_CALL), max_size=3)),
    },
)
ERROR = st.fixed_dictionaries(
    {},
    optional={
        "code": maybe(st.integers(100, 600) | TEXT),
        "message": maybe(TEXT),
        "metadata": maybe(st.dictionaries(st.text(max_size=5), JUNK, max_size=2)),
    },
)
CHOICE = st.fixed_dictionaries(
    {},
    optional={
        "index": maybe(st.integers(0, 2)),
        "delta": maybe(DELTA),
        "finish_reason": maybe(
            st.sampled_from(
                [None, "stop", "length", "tool_calls", "error", "content_filter", "brand-new"]
            )
        ),
        "native_finish_reason": maybe(TEXT),
        "error": maybe(ERROR),
    },
)
USAGE = st.fixed_dictionaries(
    {},
    optional={
        "prompt_tokens": maybe(st.integers(0, 10**6)),
        "completion_tokens": maybe(st.integers(0, 9)),
        "cost": maybe(st.floats(0, 1) | st.integers(0, 3)),
        "is_byok": maybe(st.booleans()),
        "completion_tokens_details": maybe(
            st.fixed_dictionaries({}, optional={"reasoning_tokens": maybe(st.integers(0, 9))})
        ),
        "prompt_tokens_details": maybe(
            st.fixed_dictionaries({}, optional={"cached_tokens": maybe(st.integers(0, 9))})
        ),
    },
)
CHUNK = st.fixed_dictionaries(
    {},
    optional={
        "id": maybe(TEXT),
        "model": maybe(TEXT),
        "provider": maybe(TEXT),
        "object": maybe(st.sampled_from(["chat.completion.chunk", "keepalive"])),
        "choices": maybe(st.lists(maybe(CHOICE), max_size=2)),
        "usage": maybe(USAGE),
        "error": maybe(ERROR),
    },
)


@st.composite
def wire_event(draw) -> bytes:
    """One SSE event as bytes, perhaps broken, perhaps cut anywhere by the network."""
    kind = draw(
        st.sampled_from(["chunk"] * 6 + ["junk", "garbage", "comment", "done", "bad-utf8"])
    )
    if kind == "chunk":
        body = json.dumps(draw(CHUNK), ensure_ascii=draw(st.booleans())).encode()
    elif kind == "junk":
        body = json.dumps(draw(JUNK)).encode()
    elif kind == "garbage":
        body = draw(st.binary(max_size=40)).replace(b"\n", b"").replace(b"\r", b"")
    elif kind == "comment":
        return b": OPENROUTER PROCESSING\n\n"
    elif kind == "done":
        return b"data: [DONE]\n\n"
    else:  # a content string holding bytes that are not UTF-8
        broken = draw(
            st.sampled_from([b"\xff", b"\xe2\x82", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"])
        )
        body = b'{"choices":[{"index":0,"delta":{"content":"a' + broken + b'b"}}]}'
    event = b"data: " + body + b"\n\n"
    if draw(st.booleans()):
        at = draw(st.integers(0, len(event)))
        event = event[:at] + CUT_MARKER + event[at:]
    return event


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-recordings")
    with DemoServer(pacing=Pacing.instant(), recordings_dir=folder, stall_limit=5) as server:
        yield server


NAMES = (f"fuzz-{number}" for number in itertools.count())
DOCUMENTED = (
    ResponseStarted,
    KeepAlive,
    TextDelta,
    ReasoningDelta,
    ToolCallDelta,
    Usage,
    Finished,
    StreamFailed,
)


def optional_str(value: Any) -> bool:
    return value is None or type(value) is str


def well_typed(event: Any) -> bool:
    match event:
        case ResponseStarted():
            return all(map(optional_str, (event.generation_id, event.model, event.provider)))
        case KeepAlive():
            return True
        case TextDelta():
            return type(event.text) is str and event.text != ""
        case ReasoningDelta():
            return (
                type(event.text) is str
                and type(event.details) is tuple
                and all(type(detail) is dict for detail in event.details)
            )
        case ToolCallDelta():
            return (
                type(event.index) is int
                and optional_str(event.id)
                and optional_str(event.name)
                and type(event.arguments) is str
            )
        case Usage():
            return (
                all(
                    type(count) is int and count >= 0
                    for count in (
                        event.prompt_tokens,
                        event.completion_tokens,
                        event.reasoning_tokens,
                        event.cached_tokens,
                    )
                )
                and (event.cost is None or type(event.cost) is float)
                and type(event.is_byok) is bool
            )
        case Finished():
            return type(event.reason) is str and optional_str(event.native_reason)
        case StreamFailed():
            return (
                type(event.kind) is FailureKind
                and type(event.message) is str
                and type(event.hint) is str
                and (event.code is None or type(event.code) in (int, str))
            )
    return False


@settings(
    max_examples=250,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(events=st.lists(wire_event(), max_size=8))
async def test_any_stream_yields_only_documented_events(fuzz_server, events):
    name = next(NAMES)
    (fuzz_server.recordings_dir / f"{name}.sse").write_bytes(b"".join(events))
    client = client_for(fuzz_server, read_timeout=5.0)
    try:
        got = await collect(client, ask_request(f"demo/replay/{name}"))
    finally:
        await client.close()
        (fuzz_server.recordings_dir / f"{name}.sse").unlink()
    assert got, "every stream ends with an event"
    assert all(type(event) in DOCUMENTED and well_typed(event) for event in got), got
    endings = [event for event in got if type(event) in (Finished, StreamFailed)]
    assert len(endings) == 1 and got[-1] is endings[0]
    assert sum(type(event) is ResponseStarted for event in got) <= 1
    assembler = ReplyAssembler()
    for event in got:
        assembler.apply(event)
    assert assembler.message.status.value in ("complete", "failed")
