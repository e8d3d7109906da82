"""Naming a conversation with a model: only when the user asks, or has turned it on, since
it is a paid call."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation
from rillchat.openrouter.request import ChatRequest
from rillchat.redaction import mask_secrets
from rillchat.terminal_text import one_line

TITLE_INSTRUCTION = "Name this conversation in at most six words. Answer with the title only."
"""Starts the request's prompt; the demo server recognises it."""
EXCERPT_CHARS = 1500
"""How much of the conversation's start is sent: enough to name it, cheap to send."""
TITLE_CHARS = 80


def title_request(conversation: Conversation) -> ChatRequest:
    """A small request for a title, from the first prompt and the start of the first reply."""
    messages = conversation.messages
    prompt = next((message.text for message in messages if message.role == "user"), "")
    reply = next((message.text for message in messages if message.role == "assistant"), "")
    excerpt = f"{prompt}\n\n{reply}".strip()[:EXCERPT_CHARS]
    return ChatRequest(
        model=conversation.model,
        max_tokens=30,
        temperature=0.3,
        messages=[{"role": "user", "content": f"{TITLE_INSTRUCTION}\n\nIt begins:\n\n{excerpt}"}],
    )


def clean_title(text: str) -> str:
    """The model's answer as a title: one line, without quotes, a `Title:` label or a final
    full stop, and no key quoted from the conversation. Empty when nothing usable came back."""
    title = mask_secrets(one_line(text))
    if title.lower().startswith("title:"):
        title = title[len("title:") :].strip()
    title = title.strip("\"'“”‘’*`# ").rstrip(".")
    return title[:TITLE_CHARS].strip()
