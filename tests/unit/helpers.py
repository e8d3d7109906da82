from __future__ import annotations

from typing import Any

from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import Message
from rillchat.openrouter.events import StreamEvent
from rillchat.openrouter.request import ChatRequest
from rillchat.openrouter.stream import stream_reply


def ask_request(model: str, prompt: str = "hello", **options: Any) -> ChatRequest:
    return ChatRequest(model=model, messages=[{"role": "user", "content": prompt}], **options)


async def collect(client: Any, request: ChatRequest, **kwargs: Any) -> list[StreamEvent]:
    return [event async for event in stream_reply(client, request, **kwargs)]


def assemble(events: list[StreamEvent]) -> Message:
    assembler = ReplyAssembler()
    for event in events:
        assembler.apply(event)
    return assembler.message
