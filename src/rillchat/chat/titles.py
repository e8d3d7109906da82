"""Naming a conversation with a model: only when the user asks, or has turned it on, since
it is a paid call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from rillchat.chat.conversation import Conversation
from rillchat.openrouter.events import FailureKind, StreamEvent, StreamFailed, TextDelta, Usage
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


@dataclass(frozen=True, slots=True)
class TitleAnswer:
    title: str
    """Empty when nothing usable came back (`problem` says why)."""
    cost: float | None
    """What the request cost: paid, even if the answer is not usable."""
    problem: str = ""


async def ask_for_title(
    stream: Callable[[ChatRequest], AsyncIterator[StreamEvent]],
    conversation: Conversation,
    api_key: str | None = None,
) -> TitleAnswer:
    """Ask the conversation's model for a title: one small request."""
    pieces: list[str] = []
    failure: StreamFailed | None = None
    cost: float | None = None
    try:
        async for event in stream(title_request(conversation)):
            if isinstance(event, TextDelta):
                pieces.append(event.text)
            elif isinstance(event, StreamFailed):
                failure = event
            elif isinstance(event, Usage):
                cost = event.cost
    except Exception as exc:  # a bug in Rill: say so, the conversation is unharmed
        failure = StreamFailed(
            FailureKind.PROTOCOL,
            f"Rill hit an unexpected {type(exc).__name__}: {one_line(str(exc))}",
            "",
        ).without_secrets(api_key)
    title = clean_title("".join(pieces))
    if failure is not None:
        return TitleAnswer("", cost, f"{failure.title}: {failure.message}")
    if not title:
        return TitleAnswer("", cost, "the model answered with nothing usable")
    return TitleAnswer(title, cost)
