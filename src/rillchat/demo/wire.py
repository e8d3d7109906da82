"""What the demo server can put on the wire: the steps of a streamed reply and the chunks in it.

Scenarios (scenarios.py and the *_scenarios.py modules) return these; the HTTP handler
(server.py) writes them. Keeping the two apart lets a scenario be read and tested as plain data.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

DEMO_PROVIDER = "Rill Demo"


@dataclass(frozen=True, slots=True)
class Data:
    """One `data: <json>` event."""

    payload: dict[str, Any] | str
    """A chunk, or its JSON text already serialised (the benchmark path avoids re-encoding)."""


@dataclass(frozen=True, slots=True)
class Comment:
    """A keep-alive comment, as OpenRouter sends while a provider is thinking."""

    text: str = "OPENROUTER PROCESSING"


@dataclass(frozen=True, slots=True)
class RawBytes:
    """Bytes written exactly as given: recordings, and deliberately broken lines."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Pause:
    seconds: float


@dataclass(frozen=True, slots=True)
class Drop:
    """Cut the connection in the middle of the body."""


@dataclass(frozen=True, slots=True)
class Stall:
    """Go silent, keeping the connection open, until the client gives up."""


@dataclass(frozen=True, slots=True)
class Done:
    """`data: [DONE]`."""


Step = Data | Comment | RawBytes | Pause | Drop | Stall | Done


@dataclass(frozen=True, slots=True)
class StreamPlan:
    steps: Iterable[Step]
    generation_id: str = ""


@dataclass(frozen=True, slots=True)
class HttpError:
    status: int
    error: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlainBody:
    """A whole non-SSE body, like the HTML page of a proxy."""

    status: int
    content_type: str
    body: bytes


Plan = StreamPlan | HttpError | PlainBody

_TOKEN = re.compile(r"\s*\S+|\s+")


def split_tokens(text: str) -> list[str]:
    """Cut text into word-sized pieces the way a model streams it, keeping every character."""
    return _TOKEN.findall(text)


class ChunkMaker:
    """Builds the chunks of one generation with OpenRouter's fields and quirks: `role` on
    every delta, `content: ""` beside reasoning, the finish chunk repeated with the usage."""

    def __init__(self, model: str, *, provider: str = DEMO_PROVIDER) -> None:
        self.generation_id = f"gen-{int(time.time())}-{secrets.token_hex(10)}"
        self.model = model
        self.provider = provider
        self.created = int(time.time())

    def chunk(
        self,
        delta: dict[str, Any],
        *,
        finish_reason: str | None = None,
        native_finish_reason: str | None = None,
        **top: Any,
    ) -> dict[str, Any]:
        return {
            "id": self.generation_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "provider": self.provider,
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", **delta},
                    "finish_reason": finish_reason,
                    "native_finish_reason": native_finish_reason or finish_reason,
                }
            ],
            **top,
        }

    def text(self, text: str) -> dict[str, Any]:
        return self.chunk({"content": text})

    def reasoning(
        self, text: str, *, detail_format: str = "anthropic-claude-v1"
    ) -> dict[str, Any]:
        detail = {"type": "reasoning.text", "text": text, "format": detail_format, "index": 0}
        return self.chunk({"content": "", "reasoning": text, "reasoning_details": [detail]})

    def finish(self, reason: str, usage: dict[str, Any] | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {"usage": usage} if usage is not None else {}
        return self.chunk({"content": ""}, finish_reason=reason, **extra)

    def text_chunk_template(self) -> tuple[str, str]:
        """The JSON text of a text chunk split around its content, for writing many fast."""
        marker = "\x00RILL\x00"
        encoded = json.dumps(self.text(marker), separators=(",", ":"))
        before, after = encoded.split(json.dumps(marker)[1:-1], 1)
        return before[:-1], after[1:]

    def text_chunks_fast(self, tokens: Iterable[str]) -> Iterator[Data]:
        before, after = self.text_chunk_template()
        dumps = json.dumps
        for token in tokens:
            yield Data(before + dumps(token) + after)


def usage_for(
    prompt_tokens: int,
    completion_tokens: int,
    *,
    reasoning_tokens: int = 0,
    prompt_price: float = 0.0,
    completion_price: float = 0.0,
) -> dict[str, Any]:
    """An OpenRouter usage object; prices are USD per token, as in the /models catalogue."""
    cost = round(prompt_tokens * prompt_price + completion_tokens * completion_price, 10)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "cost": cost,
        "is_byok": False,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "cost_details": {"upstream_inference_cost": None},
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens, "image_tokens": 0},
    }


def encode_event(step: Data | Comment | Done) -> bytes:
    if isinstance(step, Data):
        payload = step.payload
        text = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
        return b"data: " + text.encode() + b"\n\n"
    if isinstance(step, Comment):
        return b": " + step.text.encode() + b"\n\n"
    return b"data: [DONE]\n\n"
