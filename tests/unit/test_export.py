"""Export and import: Rill JSON gives back exactly what went in; Markdown reads well and is inert."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rillchat.chat.conversation import (
    Conversation,
    ErrorPart,
    Message,
    MessageStatus,
    ReasoningPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from rillchat.chat.options import ReplyOptions
from rillchat.openrouter.events import FailureKind, StreamFailed, Usage
from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.store.db import open_database
from rillchat.store.export import NotAConversation, from_json, to_json, to_markdown
from rillchat.store.history import History
from tests.unit.test_store import full_conversation

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
maybe_text = st.none() | text
number = st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)

reasoning_detail = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["reasoning.text", "reasoning.summary", "reasoning.encrypted"]),
        "index": st.integers(0, 3),
    },
    optional={"text": text, "summary": text, "data": text, "signature": text, "format": text},
)

part = st.one_of(
    st.builds(TextPart, text),
    st.builds(ReasoningPart, text, st.lists(reasoning_detail, max_size=3)),
    st.builds(ToolCallPart, st.integers(0, 5), maybe_text, maybe_text, text),
    st.builds(ToolResultPart, text, text, st.booleans()),
    st.builds(
        ErrorPart,
        st.builds(
            StreamFailed,
            st.sampled_from(list(FailureKind)),
            text,
            text,
            status=st.none() | st.integers(100, 599),
            code=st.none() | st.integers() | text,
            provider=maybe_text,
            retry_after=st.none() | number,
            retryable=st.booleans(),
            metadata=st.dictionaries(text, json_value, max_size=3),
        ),
    ),
)

message = st.builds(
    Message,
    st.sampled_from(["user", "assistant", "tool"]),
    st.lists(part, max_size=4),
    id=st.uuids().map(lambda u: u.hex),
    created=number,
    status=st.sampled_from(list(MessageStatus)),
    model=maybe_text,
    provider=maybe_text,
    generation_id=maybe_text,
    usage=st.none()
    | st.builds(
        Usage,
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.none() | number,
        st.booleans(),
    ),
    finish_reason=maybe_text,
    time_to_first_token=st.none() | number,
    duration=st.none() | number,
)


options = st.builds(
    ReplyOptions,
    st.none() | st.sampled_from(REASONING_EFFORTS),
    st.none() | st.floats(0, 2),
    st.none() | st.integers(1, 10**6),
    st.none() | text.filter(bool),
)


@st.composite
def conversation(draw):
    """A conversation whose shown branch has up to 5 messages, with up to 4 more messages on
    other branches, each following the start or any message before it."""
    messages = draw(st.lists(message, max_size=9, unique_by=lambda m: m.id))
    shown_count = draw(st.integers(1 if messages else 0, min(5, len(messages))))
    shown, others = messages[:shown_count], messages[shown_count:]
    for count, other in enumerate(others):
        parents = [None, *(m.id for m in shown), *(m.id for m in others[:count])]
        other.parent_id = draw(st.sampled_from(parents))
    return Conversation(
        draw(text.filter(bool)),
        shown,
        system_prompt=draw(maybe_text),
        title=draw(maybe_text),
        id=draw(st.uuids().map(lambda u: u.hex)),
        created=draw(number),
        other_branches=others,
        options=draw(options),
    )


def _identity(messages):
    return sorted((m.id, m.created, m.parent_id) for m in messages)


def same(a: Conversation, b: Conversation) -> bool:
    by_id = lambda messages: sorted(messages, key=lambda m: m.id)
    return (
        a.messages == b.messages
        and a.id == b.id
        and a.created == b.created
        and (a.model, a.title, a.system_prompt, a.options)
        == (b.model, b.title, b.system_prompt, b.options)
        and [(m.id, m.created) for m in a.messages] == [(m.id, m.created) for m in b.messages]
        and by_id(a.other_branches) == by_id(b.other_branches)
        and _identity(a.other_branches) == _identity(b.other_branches)
    )


@given(conversation())
def test_json_export_then_import_gives_an_identical_conversation(original):
    assert same(from_json(to_json(original)), original)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conversation())
def test_saving_then_loading_gives_an_identical_conversation(tmp_path_factory, original):
    history = History(open_database(tmp_path_factory.mktemp("db") / "h.sqlite3"))
    history.save_all(original)
    assert same(history.load(original.id), original)
    history.connection.close()


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ("hello", "the file is not JSON"),
        ("[1, 2]", "not a Rill conversation"),
        ('{"format": "something.else"}', "not a Rill conversation"),
        ('{"format": "rill.conversation", "version": 99}', "this Rill reads version 1"),
        (
            '{"format": "rill.conversation", "version": 1, "conversation": {}}',
            "incomplete or damaged",
        ),
    ],
)
def test_a_file_that_is_not_rill_json_is_named(content, complaint):
    with pytest.raises(NotAConversation, match=complaint):
        from_json(content)


def test_a_damaged_message_is_pointed_at():
    document = json.loads(to_json(full_conversation()))
    document["conversation"]["messages"][2]["parts"][0]["kind"] = "hologram"
    with pytest.raises(NotAConversation, match="message 3 is incomplete or damaged"):
        from_json(json.dumps(document))


def test_markdown_reads_well():
    markdown = to_markdown(full_conversation())
    assert markdown.startswith("# Weather in Paris\n")
    assert "## You\n\nWhat is the weather in Paris?" in markdown
    assert "## anthropic/claude-sonnet-4.5 via Anthropic" in markdown
    assert (
        "<details><summary>Reasoning</summary>\n\nI should call the zanzibarian tool." in markdown
    )
    assert '**Tool call** `get_weather`\n\n```json\n{\n  "city": "Paris"\n}\n```' in markdown
    assert "> **Provider error:** Upstream went away." in markdown
    assert "12 in · 80 out (40 reasoning) · 3 cached" in markdown


def test_markdown_is_inert_in_a_terminal_and_code_fences_hold():
    conversation = Conversation(model="m", title="a\x1b]0;pwned\x07 title")
    conversation.messages.append(Message.user("hi \x1b[2J there"))
    conversation.messages.append(
        Message(
            role="assistant",
            parts=[
                TextPart("text \x9b31m red"),
                ToolCallPart(0, "c", "run", '{"x": "```\\n```"}'),
            ],
        )
    )
    conversation.messages.append(Message.tool_result("c", "before\n```\nafter"))
    markdown = to_markdown(conversation)
    assert "\x1b" not in markdown and "\x07" not in markdown and "\x9b" not in markdown
    assert "````json\nbefore\n```\nafter\n````" in markdown
