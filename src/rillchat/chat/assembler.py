"""The one fold from stream events to a `Message`.

The UI, `rill ask`, the store and the tests all use it, so what is shown, printed and saved
cannot drift apart. It does no I/O; the clock is injected so tests control time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar, assert_never

from rillchat.chat.conversation import (
    ErrorPart,
    Message,
    MessageStatus,
    ReasoningPart,
    TextPart,
    ToolCallPart,
)
from rillchat.chat.structured import check_answer
from rillchat.openrouter.events import (
    Finished,
    KeepAlive,
    ReasoningDelta,
    ResponseStarted,
    Retrying,
    StreamEvent,
    StreamFailed,
    TextDelta,
    ToolCallDelta,
    Usage,
)

_Growing = TypeVar("_Growing", TextPart, ReasoningPart)


class ReplyAssembler:
    def __init__(
        self, *, model: str | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.message = Message(role="assistant", status=MessageStatus.STREAMING, model=model)
        self._clock = clock
        self._started_at = clock()
        self._tool_calls: dict[int, ToolCallPart] = {}

    def apply(self, event: StreamEvent) -> None:
        match event:
            case TextDelta():
                self._note_first_token()
                self._last_part(TextPart).append(event.text)
            case ReasoningDelta():
                self._note_first_token()
                part = self._last_part(ReasoningPart)
                part.append(event.text)
                if event.details:
                    part.add_details(event.details)
            case ToolCallDelta():
                self._note_first_token()
                self._apply_tool_call(event)
            case Usage():
                self.message.usage = event
            case ResponseStarted():
                self.message.generation_id = event.generation_id
                self.message.model = event.model or self.message.model
                self.message.provider = event.provider
            case Finished():
                self.message.finish_reason = event.reason
                self._end(MessageStatus.COMPLETE)
            case StreamFailed():
                self.message.parts.append(ErrorPart(event))
                self._end(MessageStatus.FAILED)
            case KeepAlive() | Retrying():
                pass  # nothing of the message: the view shows them
            case _:
                assert_never(event)

    def stop(self) -> None:
        """The user stopped the reply: keep what arrived."""
        if self.message.status is MessageStatus.STREAMING:
            self._end(MessageStatus.STOPPED)

    def interrupt(self) -> None:
        """Rill is closing (quit, SIGTERM, the terminal gone) while the reply streams."""
        if self.message.status is MessageStatus.STREAMING:
            self._end(MessageStatus.INTERRUPTED)

    def _end(self, status: MessageStatus) -> None:
        self.message.status = status
        self.message.duration = self._clock() - self._started_at
        structured = self.message.structured
        if structured is not None and status is MessageStatus.COMPLETE:
            structured.problems = check_answer(structured.schema, self.message.text)

    def _note_first_token(self) -> None:
        if self.message.time_to_first_token is None:
            self.message.time_to_first_token = self._clock() - self._started_at

    def _last_part(self, part_type: type[_Growing]) -> _Growing:
        parts = self.message.parts
        last = parts[-1] if parts else None
        if type(last) is part_type:
            return last
        part = part_type()
        parts.append(part)
        return part

    def _apply_tool_call(self, event: ToolCallDelta) -> None:
        part = self._tool_calls.get(event.index)
        if part is None:
            part = ToolCallPart(index=event.index)
            self._tool_calls[event.index] = part
            self.message.parts.append(part)
        if event.id:
            part.id = event.id
        if event.name:
            part.name = event.name
        part.arguments += event.arguments
