"""Titles from a model: what is asked, and what is kept of the answer."""

from __future__ import annotations

import pytest

from rillchat.chat.conversation import Conversation, Message, TextPart
from rillchat.chat.titles import EXCERPT_CHARS, TITLE_INSTRUCTION, clean_title, title_request


@pytest.mark.parametrize(
    ("answer", "title"),
    [
        ("Paris weather check", "Paris weather check"),
        ('"Paris Weather Check."', "Paris Weather Check"),
        ("Title: **Rust lifetimes**\n", "Rust lifetimes"),
        ("  \n ", ""),
        ("\x1b[31mRed\x1b[0m alert", "Red alert"),
        ("word " * 40, ("word " * 40).strip()[:80].strip()),
    ],
)
def test_the_answer_becomes_a_clean_one_line_title(answer, title):
    assert clean_title(answer) == title


def test_the_request_is_small_and_sends_only_the_start():
    conversation = Conversation(model="openai/gpt-4o-mini")
    conversation.messages += [
        Message.user("What is a rill?"),
        Message(role="assistant", parts=[TextPart("A brook. " * 500)]),
    ]
    request = title_request(conversation)
    assert request.model == "openai/gpt-4o-mini" and request.max_tokens == 30
    [message] = request.messages
    assert message["content"].startswith(TITLE_INSTRUCTION)
    assert "What is a rill?" in message["content"]
    assert len(message["content"]) < EXCERPT_CHARS + 200
