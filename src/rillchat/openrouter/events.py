"""The small vocabulary that every OpenRouter stream is turned into.

`stream.stream_reply` yields these; the assembler, the UI and `rill ask` consume them. Nothing
else in Rill needs to know what a chunk looks like on the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from rillchat.redaction import mask_secrets, mask_secrets_in


@dataclass(frozen=True, slots=True)
class ResponseStarted:
    """The first chunk arrived: which generation, model and provider answer."""

    generation_id: str | None
    model: str | None
    provider: str | None


@dataclass(frozen=True, slots=True)
class KeepAlive:
    """The server sent a keep-alive comment: the provider is alive but has nothing to say yet."""


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


READABLE_DETAIL_FIELDS = {"reasoning.text": "text", "reasoning.summary": "summary"}
"""The `reasoning_details` types that carry readable text, and the field that holds it."""


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str
    """Readable reasoning text in this fragment (may be empty when only details arrived)."""
    details: tuple[dict[str, Any], ...] = ()
    """The raw `reasoning_details` items of this fragment, kept to send back to the provider."""


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    index: int
    id: str | None
    name: str | None
    arguments: str
    """A fragment of the JSON arguments; concatenate fragments of the same index."""


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    reasoning_tokens: int = 0
    cached_tokens: int = 0
    cost: float | None = None
    """In credits (US dollars); None when the server does not report it."""
    is_byok: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class Finished:
    reason: str
    """stop, length, tool_calls, content_filter, ...; tool_calls is inferred when a model
    asked for tools but said stop or nothing."""
    native_reason: str | None = None


class FailureKind(StrEnum):
    AUTH = "auth"
    CREDITS = "credits"
    MODERATION = "moderation"
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    RATE_LIMIT = "rate_limit"
    TIMEOUT = "timeout"
    PROVIDER = "provider"
    NETWORK = "network"
    STALLED = "stalled"
    PROTOCOL = "protocol"


@dataclass(frozen=True, slots=True)
class StreamFailed:
    """The request or the stream failed. Always the last event of a stream."""

    kind: FailureKind
    message: str
    """What the server or provider said, as they said it."""
    hint: str
    """One short sentence telling the user what to do about it."""
    status: int | None = None
    """The HTTP status, when the failure came before the stream started."""
    code: int | str | None = None
    """The error code in the body (OpenRouter uses ints, providers mid-stream sometimes strings)."""
    provider: str | None = None
    retry_after: float | None = None
    """Seconds to wait before retrying, when the server said so."""
    retryable: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return FAILURE_TITLES[self.kind]

    def without_secrets(self, api_key: str | None = None) -> StreamFailed:
        """This failure with `api_key` (and anything shaped like a key) masked in every text
        it holds: a server or proxy may quote the request's Authorization header back."""
        return replace(
            self,
            message=mask_secrets(self.message, api_key),
            hint=mask_secrets(self.hint, api_key),
            provider=None if self.provider is None else mask_secrets(self.provider, api_key),
            code=mask_secrets(self.code, api_key) if isinstance(self.code, str) else self.code,
            metadata=mask_secrets_in(self.metadata, api_key),
        )


FAILURE_TITLES: dict[FailureKind, str] = {
    FailureKind.AUTH: "Not authorised",
    FailureKind.CREDITS: "Out of credits",
    FailureKind.MODERATION: "Blocked by moderation",
    FailureKind.BAD_REQUEST: "Request rejected",
    FailureKind.NOT_FOUND: "Not found",
    FailureKind.RATE_LIMIT: "Rate limited",
    FailureKind.TIMEOUT: "Timed out",
    FailureKind.PROVIDER: "Provider error",
    FailureKind.NETWORK: "Connection failed",
    FailureKind.STALLED: "Stream stalled",
    FailureKind.PROTOCOL: "Unexpected response",
}


@dataclass(frozen=True, slots=True)
class Retrying:
    """Rill is about to retry after a failure that happened before any content arrived."""

    attempt: int
    delay: float
    failure: StreamFailed


StreamEvent = (
    ResponseStarted
    | KeepAlive
    | TextDelta
    | ReasoningDelta
    | ToolCallDelta
    | Usage
    | Finished
    | StreamFailed
    | Retrying
)
