"""The one place that knows what OpenRouter chunks and errors look like.

`stream_reply` sends a request and yields `events`: content as it arrives, then `Usage` and
`Finished`, or a `StreamFailed` as the last event. API failures never escape as exceptions;
cancellation does, so a caller can stop a reply at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import openai

from rillchat.openrouter import loose
from rillchat.openrouter.client import KEEPALIVE_OBJECT
from rillchat.openrouter.events import (
    READABLE_DETAIL_FIELDS,
    FailureKind,
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
from rillchat.openrouter.failures import (
    auth_hint,
    describe_unexpected_body,
    failure_from_error_object,
    failure_from_exception,
    failure_from_status,
    make_failure,
)
from rillchat.openrouter.request import ChatRequest

AUTO_RETRY_KINDS = frozenset({FailureKind.NETWORK, FailureKind.PROVIDER, FailureKind.TIMEOUT})
"""Failures worth a retry, announced with `Retrying`, when nothing has been shown yet. Rate
limits are not among them: waiting is the user's call, and the UI shows the countdown."""

_CONTENT_EVENTS = (TextDelta, ReasoningDelta, ToolCallDelta)
_KEEP_ALIVE = KeepAlive()


async def stream_reply(
    client: openai.AsyncOpenAI,
    request: ChatRequest,
    *,
    retries: int = 0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> AsyncGenerator[StreamEvent, None]:
    """Stream one reply. Retries network and provider failures up to `retries` times, but only
    while no content has arrived, announcing each retry with a `Retrying` event. No failure
    it yields holds the client's key, whatever the server quoted back."""
    for attempt in range(retries + 1):
        content_seen = False
        async with contextlib.aclosing(_stream_once(client, request)) as events:
            async for event in events:
                if type(event) is StreamFailed:
                    event = event.without_secrets(client.api_key)
                    if event.kind is FailureKind.AUTH:
                        event = replace(event, hint=auth_hint(getattr(client, "key_source", "")))
                    if not content_seen and attempt < retries and event.kind in AUTO_RETRY_KINDS:
                        break
                    yield event
                    return
                if not content_seen and isinstance(event, _CONTENT_EVENTS):
                    content_seen = True
                yield event
            else:
                return
        delay = retry_delay(attempt, event.retry_after)
        yield Retrying(attempt=attempt + 1, delay=delay, failure=event)
        await sleep(delay)


def retry_delay(attempt: int, retry_after: float | None) -> float:
    if retry_after is not None:
        return min(retry_after, 30.0)
    return min(1.0 * 2**attempt, 8.0)


async def _stream_once(
    client: openai.AsyncOpenAI, request: ChatRequest
) -> AsyncGenerator[StreamEvent, None]:
    base_url = str(client.base_url).rstrip("/")
    read_timeout = _read_timeout(client)
    try:
        # The SDK's documented way to post any body: its framing, status errors and mid-stream
        # APIError stay the SDK's, but chunks arrive as plain dicts. Building a pydantic model
        # per chunk is most of the SDK's cost per token, and Rill reads a handful of fields.
        stream = await client.post(
            "/chat/completions",
            body=request.body(),
            cast_to=object,
            stream=True,
            stream_cls=openai.AsyncStream[object],
        )
    except (openai.OpenAIError, json.JSONDecodeError) as exc:
        yield failure_from_exception(exc, base_url=base_url, read_timeout=read_timeout)
        return
    async with stream:
        not_sse = await _failure_if_not_event_stream(stream.response, base_url)
        if not_sse is not None:
            yield not_sse
            return
        reader = ChunkReader(base_url=base_url)
        try:
            async for chunk in stream:
                for event in reader.feed(chunk):
                    yield event
                if reader.failed:
                    return
        except (openai.OpenAIError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield failure_from_exception(
                exc, base_url=base_url, read_timeout=read_timeout, streaming=True
            )
            return
        yield reader.finish()


class ChunkReader:
    """Folds decoded chunks (plain dicts, as they came on the wire) into events. One per
    attempt; not reusable."""

    def __init__(self, *, base_url: str = "") -> None:
        self.base_url = base_url
        self.started = False
        self.failed = False
        self.finish_reason: str | None = None
        self.native_finish_reason: str | None = None
        self.saw_tool_calls = False

    def feed(self, chunk: Any) -> list[StreamEvent]:
        if not isinstance(chunk, dict):
            return []
        if chunk.get("object") == KEEPALIVE_OBJECT:
            return [_KEEP_ALIVE]
        events: list[StreamEvent] = []
        if not self.started:
            self.started = True
            events.append(
                ResponseStarted(
                    generation_id=loose.optional_text(chunk.get("id")),
                    model=loose.optional_text(chunk.get("model")),
                    provider=loose.optional_text(chunk.get("provider")),
                )
            )
        for choice in loose.items(chunk.get("choices")):
            if isinstance(choice, dict) and loose.index(choice.get("index")) == 0:
                self._read_choice(choice, events)
        usage = loose.mapping(chunk.get("usage"))
        if usage:
            events.append(_usage_event(usage))
        return events

    def _read_choice(self, choice: dict[str, Any], events: list[StreamEvent]) -> None:
        delta = loose.mapping(choice.get("delta"))
        if delta:
            content, thinking = _content_and_thinking(delta.get("content"))
            reasoning = _reasoning_event(delta, thinking)
            if reasoning is not None:
                events.append(reasoning)
            self._read_tool_calls(loose.items(delta.get("tool_calls")), events)
            if content:
                events.append(TextDelta(content))
        reason = choice.get("finish_reason")
        if reason == "error":
            self.failed = True
            error = choice.get("error") or {"message": "The provider stopped with an error."}
            events.append(failure_from_error_object(error, base_url=self.base_url))
        elif isinstance(reason, str):
            self.finish_reason = reason
            self.native_finish_reason = loose.optional_text(choice.get("native_finish_reason"))

    def _read_tool_calls(self, tool_calls: list[Any], events: list[StreamEvent]) -> None:
        for call in tool_calls:
            if not isinstance(call, dict):
                continue
            function = loose.mapping(call.get("function"))
            name = loose.optional_text(function.get("name"))
            arguments = loose.text(function.get("arguments"))
            call_id = loose.optional_text(call.get("id"))
            if call_id or name or arguments:
                self.saw_tool_calls = True
                events.append(
                    ToolCallDelta(
                        index=loose.index(call.get("index")),
                        id=call_id,
                        name=name,
                        arguments=arguments,
                    )
                )

    def finish(self) -> StreamEvent:
        """The event that closes a stream which ended without an error."""
        if self.finish_reason is None and self.saw_tool_calls:
            return Finished(reason="tool_calls")
        if self.finish_reason is None:
            return make_failure(
                FailureKind.PROTOCOL,
                "The stream ended before the reply was finished.",
                base_url=self.base_url,
            )
        reason = self.finish_reason
        if self.saw_tool_calls and reason == "stop":
            reason = "tool_calls"
        return Finished(reason=reason, native_reason=self.native_finish_reason)


_TEXT_PARTS = frozenset({"text", "output_text"})
_THINKING_PARTS = frozenset({"thinking", "reasoning"})


def _content_and_thinking(content: object) -> tuple[str, str]:
    """(answer text, reasoning text) of `delta.content`: a string, or, as Mistral's and
    Magistral's endpoints send it, an array of typed parts, `{"type": "text", "text": …}`
    for the answer and `{"type": "thinking", "thinking": […]}` for reasoning. Parts of any
    other type (images, references) carry no text to show."""
    if isinstance(content, str):
        return content, ""
    answer: list[str] = []
    thinking: list[str] = []
    for part in loose.items(content):
        if isinstance(part, str):
            answer.append(part)
            continue
        part = loose.mapping(part)
        kind = loose.text(part.get("type", "text"))
        if kind in _TEXT_PARTS:
            answer.append(loose.text(part.get("text")))
        elif kind in _THINKING_PARTS:
            thinking.append(_part_text(part.get(kind)) or loose.text(part.get("text")))
    return "".join(answer), "".join(thinking)


def _part_text(value: object) -> str:
    """A thinking part's body: text, or text parts (`[{"type": "text", "text": …}]`)."""
    if isinstance(value, str):
        return value
    return "".join(
        item if isinstance(item, str) else loose.text(loose.mapping(item).get("text"))
        for item in loose.items(value)
    )


def _reasoning_event(delta: dict[str, Any], thinking: str = "") -> ReasoningDelta | None:
    """`thinking`: reasoning that came as parts of `delta.content`."""
    text = loose.text(delta.get("reasoning")) or loose.text(delta.get("reasoning_content"))
    details = tuple(
        detail
        for detail in loose.items(delta.get("reasoning_details"))
        if isinstance(detail, dict)
    )
    if details and not text:
        text = "".join(
            loose.text(detail.get(READABLE_DETAIL_FIELDS.get(loose.text(detail.get("type")), "")))
            for detail in details
        )
    text += thinking
    if text or details:
        return ReasoningDelta(text=text, details=details)
    return None


def _usage_event(usage: dict[str, Any]) -> Usage:
    completion_details = loose.mapping(usage.get("completion_tokens_details"))
    prompt_details = loose.mapping(usage.get("prompt_tokens_details"))
    return Usage(
        prompt_tokens=loose.count(usage.get("prompt_tokens")),
        completion_tokens=loose.count(usage.get("completion_tokens")),
        reasoning_tokens=loose.count(completion_details.get("reasoning_tokens")),
        cached_tokens=loose.count(prompt_details.get("cached_tokens")),
        cost=loose.amount(usage.get("cost")),
        is_byok=usage.get("is_byok") is True,
    )


async def _failure_if_not_event_stream(response: Any, base_url: str) -> StreamFailed | None:
    """A proxy or a wrong base URL can answer 200 with HTML or JSON instead of SSE."""
    content_type = response.headers.get("content-type", "")
    if "text/event-stream" in content_type:
        return None
    head = bytearray()
    async for piece in response.aiter_bytes():  # enough to describe it, not a whole download
        head += piece
        if len(head) >= 65536:
            break
    body = head.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
            status = parsed["error"].get("code")
            status = status if isinstance(status, int) else response.status_code
            return failure_from_status(
                status, parsed["error"], response.headers, base_url=base_url
            )
    shown_type = content_type.split(";")[0] or "no content type"
    return make_failure(
        FailureKind.PROTOCOL,
        f"Expected an event stream but got {shown_type}: {describe_unexpected_body(body)}",
        base_url=base_url,
    )


def _read_timeout(client: openai.AsyncOpenAI) -> float | None:
    timeout = client.timeout
    return getattr(timeout, "read", timeout if isinstance(timeout, (int, float)) else None)
