"""What Rill asks for, and how it becomes the SDK call's arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    messages: list[dict[str, Any]]
    temperature: float | None = None
    max_tokens: int | None = None
    reasoning_effort: str | None = None
    tools: list[dict[str, Any]] | None = None
    response_format: dict[str, Any] | None = None
    extra_body: dict[str, Any] = field(default_factory=dict)
    """Further OpenRouter fields (provider routing, plugins, ...), sent as given."""

    def body(self) -> dict[str, Any]:
        """The JSON body of `POST /chat/completions`."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": self.messages,
            "stream": True,
            # A no-op on OpenRouter (usage always comes last), needed by other
            # OpenAI-compatible servers to send usage at all.
            "stream_options": {"include_usage": True},
        }
        if self.temperature is not None:
            body["temperature"] = self.temperature
        if self.max_tokens is not None:
            body["max_tokens"] = self.max_tokens
        if self.tools:
            body["tools"] = self.tools
        if self.response_format is not None:
            body["response_format"] = self.response_format
        if self.reasoning_effort is not None:
            body["reasoning"] = {"effort": self.reasoning_effort}
        body.update(self.extra_body)
        return body
