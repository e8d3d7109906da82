"""The demo's replies that fail: HTTP errors, streams that break off partway (an error in the
stream or in a choice, a dropped connection, a stall, a line that is not JSON), an HTML page
instead of a stream, and servers that quote the caller's key back in their errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from rillchat.demo import texts
from rillchat.demo.pacing import Pacing
from rillchat.demo.turn import Turn
from rillchat.demo.wire import (
    ChunkMaker,
    Data,
    Done,
    Drop,
    HttpError,
    PlainBody,
    Plan,
    RawBytes,
    Stall,
    Step,
    StreamPlan,
    split_tokens,
)

RATE_LIMIT_RETRY_AFTER = 7


def _http_error(
    status: int,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Callable[[Turn, Pacing], Plan]:
    def build(turn: Turn, pacing: Pacing) -> Plan:
        error: dict[str, Any] = {"code": status, "message": message}
        if metadata:
            error["metadata"] = metadata
        return HttpError(status, error, dict(headers or {}))

    return build


def _partial_then(ending: Callable[[ChunkMaker], list[Step]]) -> Callable[[Turn, Pacing], Plan]:
    """A reply that starts normally, then ends the way `ending` says."""

    def build(turn: Turn, pacing: Pacing) -> Plan:
        maker = ChunkMaker(turn.model)

        def steps() -> Iterator[Step]:
            yield from pacing.waiting()
            for token in split_tokens(texts.PARTIAL_ANSWER):
                yield Data(maker.text(token))
                yield from pacing.between_tokens()
            yield from ending(maker)

        return StreamPlan(steps(), maker.generation_id)

    return build


def _midstream_error(maker: ChunkMaker) -> list[Step]:
    error = {
        "code": 502,
        "message": "Upstream provider disconnected while generating.",
        "metadata": {"provider_name": maker.provider, "error_type": "provider_overloaded"},
    }
    chunk = maker.chunk({"content": ""}, finish_reason="error", error=error)
    return [Data(chunk), Done()]


def _choice_error(maker: ChunkMaker) -> list[Step]:
    chunk = maker.chunk({"content": ""}, finish_reason="error")
    chunk["choices"][0]["error"] = {
        "code": 500,
        "message": "The model produced an invalid response.",
    }
    return [Data(chunk), Done()]


def _echo_key(status: int) -> Callable[[Turn, Pacing], Plan]:
    """A server that quotes the Authorization header back in its error, as some proxies do."""

    def build(turn: Turn, pacing: Pacing) -> Plan:
        words = "Invalid key" if status == 401 else "Upstream rejected"
        return HttpError(status, {"code": status, "message": f"{words}: {turn.authorization}"})

    return build


def _echo_key_midstream(turn: Turn, pacing: Pacing) -> Plan:
    """A provider that fails mid-stream quoting the credentials it was given, in the message,
    in its raw error and in the metadata."""

    def ending(maker: ChunkMaker) -> list[Step]:
        quoted = turn.authorization
        bare = quoted.removeprefix("Bearer ")
        error = {
            "code": 502,
            "message": f"Upstream refused the credentials {quoted}",
            "metadata": {
                "provider_name": maker.provider,
                "raw": json.dumps({"error": {"message": f"denied key {bare}"}}),
                "headers": {"Authorization": quoted},
            },
        }
        return [Data(maker.chunk({"content": ""}, finish_reason="error", error=error)), Done()]

    return _partial_then(ending)(turn, pacing)


def _not_json(maker: ChunkMaker) -> list[Step]:
    return [
        RawBytes(b'data: {"id": "' + maker.generation_id.encode() + b'", "choices": [{"delt\n\n')
    ]


def _html(turn: Turn, pacing: Pacing) -> Plan:
    return PlainBody(200, "text/html; charset=utf-8", texts.HTML_PAGE)


FAILURES: dict[str, Callable[[Turn, Pacing], Plan]] = {
    "error-401": _http_error(401, "User not found."),
    "error-402": _http_error(
        402,
        "This request requires more credits, or fewer max_tokens. You requested up to 16384 "
        "tokens, but can only afford 2048. To increase, visit https://openrouter.ai/settings/credits "
        "and add more credits",
    ),
    "error-429": _http_error(
        429,
        "Rate limit exceeded: the demo provider allows 1 request per minute. Please retry shortly.",
        headers={"Retry-After": str(RATE_LIMIT_RETRY_AFTER)},
        metadata={"provider_name": "Rill Demo"},
    ),
    "error-500": _http_error(500, "Internal Server Error"),
    "error-502": _http_error(
        502, "Provider returned error", metadata={"provider_name": "Demo", "raw": "Bad Gateway"}
    ),
    "error-503": _http_error(
        503,
        "No allowed providers are available for the selected model.",
        metadata={"provider_name": None},
    ),
    "error-midstream": _partial_then(_midstream_error),
    "error-choice": _partial_then(_choice_error),
    "drop": _partial_then(lambda maker: [Drop()]),
    "stall": _partial_then(lambda maker: [Stall()]),
    "not-json": _partial_then(_not_json),
    "html": _html,
    "echo-key-401": _echo_key(401),
    "echo-key-502": _echo_key(502),
    "echo-key-midstream": _echo_key_midstream,
}
"""Each failure scenario's name and the reply it builds."""

FAILURE_SCENARIOS = frozenset(FAILURES)
