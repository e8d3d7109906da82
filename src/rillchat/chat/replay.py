"""A saved reply as the stream events that would have built it, so a reopened conversation is
drawn by the same code as a live one (and `ReplyAssembler` folds them back into the same parts)."""

from __future__ import annotations

from rillchat.chat.conversation import Message, ReasoningPart, TextPart, ToolCallPart
from rillchat.openrouter.events import (
    ReasoningDelta,
    ResponseStarted,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
)


def events_from_message(message: Message) -> list[StreamEvent]:
    """Content events for each part in order, then usage; errors and the ending are the
    message's own fields, read when the reply is settled."""
    events: list[StreamEvent] = [
        ResponseStarted(message.generation_id, message.model, message.provider)
    ]
    for part in message.parts:
        if isinstance(part, ReasoningPart):
            events.append(ReasoningDelta(part.text, tuple(part.details)))
        elif isinstance(part, TextPart):
            events.append(TextDelta(part.text))
        elif isinstance(part, ToolCallPart):
            events.append(ToolCallDelta(part.index, part.id, part.name, part.arguments))
    if message.usage is not None:
        events.append(message.usage)
    return events
