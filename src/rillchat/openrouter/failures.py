"""Turn every way a request can fail into one `StreamFailed` with a kind and a hint.

Three shapes reach us (see openrouter-wire.md): an HTTP status with an error body before the
stream starts, an error object inside the stream after tokens were sent, and transport or
framing failures (dropped connection, silence, a line that is not JSON, a body that is not SSE).
"""

from __future__ import annotations

import email.utils
import html
import json
import re
import time
from collections.abc import Mapping
from typing import Any

import openai

from rillchat.openrouter import loose
from rillchat.openrouter.events import FailureKind, StreamFailed

KEYS_URL = "https://openrouter.ai/settings/keys"
CREDITS_URL = "https://openrouter.ai/settings/credits"
MODELS_URL = "https://openrouter.ai/models"

RETRYABLE_KINDS = frozenset(
    {
        FailureKind.RATE_LIMIT,
        FailureKind.TIMEOUT,
        FailureKind.PROVIDER,
        FailureKind.NETWORK,
        FailureKind.STALLED,
    }
)

_ERROR_TYPE_KINDS = {
    "rate_limit_exceeded": FailureKind.RATE_LIMIT,
    "provider_overloaded": FailureKind.PROVIDER,
    "timeout": FailureKind.TIMEOUT,
}


def kind_for_status(status: int, metadata: Mapping[str, Any]) -> FailureKind:
    if status == 401:
        return FailureKind.AUTH
    if status == 402:
        return FailureKind.CREDITS
    if status == 403:
        flagged = "reasons" in metadata or "flagged_input" in metadata
        return FailureKind.MODERATION if flagged else FailureKind.AUTH
    if status == 404:
        return FailureKind.NOT_FOUND
    if status in (408, 524):
        return FailureKind.TIMEOUT
    if status == 429:
        return FailureKind.RATE_LIMIT
    if status >= 500:
        return FailureKind.PROVIDER
    return FailureKind.BAD_REQUEST


DROPPED_HINT = (
    "The connection dropped in the middle of the reply, after the server had "
    "answered; what arrived is kept. Retrying asks again."
)
"""For a stream cut off after it started: the URL and the key worked, the network did not."""


def auth_hint(key_source: str = "") -> str:
    """What to do about a refused key, naming where the key in use came from (see
    `Settings.api_key_source`) when that is known."""
    if not key_source:
        return (
            f"Check that the key in use (OPENROUTER_API_KEY, or api_key in config.toml) "
            f"is valid ({KEYS_URL})."
        )
    return (
        f"The key from {key_source} was refused: replace it there with a valid one ({KEYS_URL})."
    )


def hint_for(
    kind: FailureKind,
    *,
    retry_after: float | None = None,
    base_url: str = "",
    read_timeout: float | None = None,
) -> str:
    if kind is FailureKind.AUTH:
        return auth_hint()
    if kind is FailureKind.CREDITS:
        return f"Add credits at {CREDITS_URL}, or lower max tokens, or pick a cheaper model."
    if kind is FailureKind.MODERATION:
        return "The input was flagged; rephrase it or choose another model."
    if kind is FailureKind.NOT_FOUND:
        return f"Check the model id; the list is at {MODELS_URL}."
    if kind is FailureKind.BAD_REQUEST:
        return "Check the model id and the request parameters."
    if kind is FailureKind.RATE_LIMIT:
        if retry_after is not None:
            return f"Retry in {retry_after:.0f} s, or choose another model."
        return "Wait a moment and retry, or choose another model."
    if kind is FailureKind.TIMEOUT:
        return "The provider took too long; retry, or choose another model."
    if kind is FailureKind.PROVIDER:
        return "Retry, or choose another model."
    if kind is FailureKind.NETWORK:
        return f"Check the connection and the base URL ({base_url})."
    if kind is FailureKind.STALLED:
        silence = f" for {read_timeout:g} s" if read_timeout else ""
        return f"No data arrived{silence}; retry, or choose another model."
    return f"The server at {base_url} did not answer like OpenRouter; check the base URL or proxy."


def make_failure(
    kind: FailureKind,
    message: str,
    *,
    base_url: str = "",
    read_timeout: float | None = None,
    retry_after: float | None = None,
    hint: str | None = None,
    **details: Any,
) -> StreamFailed:
    """`hint`: instead of the one for the kind."""
    return StreamFailed(
        kind=kind,
        message=message,
        hint=hint
        or hint_for(kind, retry_after=retry_after, base_url=base_url, read_timeout=read_timeout),
        retry_after=retry_after,
        retryable=kind in RETRYABLE_KINDS,
        **details,
    )


def failure_from_status(
    status: int, body: object, headers: Mapping[str, str], *, base_url: str = ""
) -> StreamFailed:
    """An HTTP error before the stream started. `body` is the inner error object when the
    server sent JSON, or the raw text when it did not (a proxy's HTML page)."""
    metadata: Mapping[str, Any]
    if isinstance(body, Mapping):
        metadata = _metadata(body)
        message = _message_with_raw(str(body.get("message") or f"HTTP {status}"), metadata)
        code = loose.code(body.get("code", status))
    else:
        metadata = {}
        message = f"HTTP {status}: {describe_unexpected_body(str(body or ''))}"
        code = status
    kind = kind_for_status(status, metadata)
    return make_failure(
        kind,
        message,
        base_url=base_url,
        retry_after=_retry_after(headers, metadata),
        status=status,
        code=code,
        provider=loose.optional_text(metadata.get("provider_name")) or None,
        metadata=dict(metadata),
    )


def _metadata(error: Mapping[str, Any]) -> Mapping[str, Any]:
    found = error.get("metadata")
    return found if isinstance(found, Mapping) else {}


def failure_from_error_object(error: object, *, base_url: str = "") -> StreamFailed:
    """An error that arrived inside the stream, at the top level or in a choice."""
    if not isinstance(error, Mapping):
        error = {"message": str(error)}
    metadata = _metadata(error)
    code = loose.code(error.get("code"))
    kind = _ERROR_TYPE_KINDS.get(str(metadata.get("error_type")))
    if kind is None:
        kind = kind_for_status(code, metadata) if isinstance(code, int) else FailureKind.PROVIDER
    message = _message_with_raw(
        str(error.get("message") or "The provider stopped with an error."), metadata
    )
    return make_failure(
        kind,
        message,
        base_url=base_url,
        retry_after=_retry_after({}, metadata),
        code=code,
        provider=loose.optional_text(metadata.get("provider_name")) or None,
        metadata=dict(metadata),
    )


def failure_from_exception(
    exc: BaseException,
    *,
    base_url: str = "",
    read_timeout: float | None = None,
    streaming: bool = False,
) -> StreamFailed:
    """Map what the SDK raises, before or during iteration, to a failure."""
    if isinstance(exc, openai.APIStatusError):
        return failure_from_status(
            exc.status_code, exc.body, exc.response.headers, base_url=base_url
        )
    if isinstance(exc, openai.APITimeoutError):
        cause = type(exc.__cause__).__name__ if exc.__cause__ else ""
        if "Connect" in cause:
            return make_failure(
                FailureKind.NETWORK, f"Could not connect to {base_url} in time.", base_url=base_url
            )
        what = "The stream went silent." if streaming else "No response from the server."
        return make_failure(
            FailureKind.STALLED, what, base_url=base_url, read_timeout=read_timeout
        )
    if isinstance(exc, openai.APIConnectionError):
        cause = str(exc.__cause__ or exc) or type(exc.__cause__).__name__
        if streaming:
            return make_failure(
                FailureKind.NETWORK,
                f"The connection closed before the reply was complete ({cause}).",
                base_url=base_url,
                hint=DROPPED_HINT,
            )
        return make_failure(
            FailureKind.NETWORK, f"Could not reach {base_url} ({cause}).", base_url=base_url
        )
    if isinstance(exc, openai.APIError) and exc.body is not None:
        return failure_from_error_object(exc.body, base_url=base_url)
    if isinstance(exc, json.JSONDecodeError):
        sample = exc.doc[:80]
        return make_failure(
            FailureKind.PROTOCOL,
            f"The server sent a data line that is not JSON: {sample!r}",
            base_url=base_url,
        )
    if isinstance(exc, UnicodeDecodeError):
        undecoded = exc.object[max(0, exc.start - 40) : exc.end + 40]
        return make_failure(
            FailureKind.PROTOCOL,
            f"The server sent bytes that are not UTF-8: {undecoded!r}",
            base_url=base_url,
        )
    return make_failure(FailureKind.PROTOCOL, f"{type(exc).__name__}: {exc}", base_url=base_url)


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def describe_unexpected_body(text: str, limit: int = 160) -> str:
    """A one-line description of a body that is not what an OpenRouter endpoint sends."""
    title = _TITLE.search(text)
    if title:
        text = title.group(1)
    elif "<" in text:
        text = _TAG.sub(" ", text)
    text = _SPACE.sub(" ", html.unescape(text)).strip()
    if not text:
        return "an empty body"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _message_with_raw(message: str, metadata: Mapping[str, Any]) -> str:
    """OpenRouter's message for an upstream failure is often generic ('Provider returned
    error'); the provider's own words in `metadata.raw` usually name the real cause."""
    raw = metadata.get("raw")
    if not raw:
        return message
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            pass
    if isinstance(raw, Mapping):
        inner = raw.get("error", raw)
        raw = inner.get("message", inner) if isinstance(inner, Mapping) else inner
    raw_text = describe_unexpected_body(str(raw), limit=300)
    if raw_text in message:
        return message
    return f"{message}: {raw_text}"


def _retry_after(headers: Mapping[str, str], metadata: Mapping[str, Any]) -> float | None:
    value = headers.get("retry-after")
    if value:
        return _seconds_from_retry_after(value)
    limit_headers = metadata.get("headers")
    if isinstance(limit_headers, Mapping):
        reset_ms = limit_headers.get("X-RateLimit-Reset")
        if not isinstance(reset_ms, (int, float, str)):
            return None
        try:
            return max(0.0, int(float(reset_ms)) / 1000 - time.time())
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def _seconds_from_retry_after(value: str) -> float | None:
    """Retry-After holds either seconds or an HTTP date."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
