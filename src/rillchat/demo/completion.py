"""Fold a streamed plan into the single JSON body of a non-streaming completion."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rillchat.demo.wire import Data, Drop, RawBytes, Stall, Step


def completion_from_steps(steps: Iterable[Step]) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body). Status 0 means: drop the connection, as the stream would have."""
    content: list[str] = []
    reasoning: list[str] = []
    tool_calls: dict[int, dict[str, Any]] = {}
    first: dict[str, Any] | None = None
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    for step in steps:
        if isinstance(step, (Drop, Stall)):
            return 0, {}
        if isinstance(step, RawBytes):
            chunk = _chunk_from_raw(step.data)
            if chunk is None:
                continue
        elif isinstance(step, Data):
            chunk = step.payload if isinstance(step.payload, dict) else json.loads(step.payload)
        else:
            continue
        if "error" in chunk:
            error = chunk["error"]
            status = error.get("code") if isinstance(error.get("code"), int) else 502
            return status, {"error": error}
        first = first or chunk
        usage = chunk.get("usage") or usage
        for choice in chunk.get("choices") or ():
            delta = choice.get("delta") or {}
            if choice.get("error"):
                return 502, {"error": choice["error"]}
            content.append(delta.get("content") or "")
            reasoning.append(delta.get("reasoning") or "")
            for call in delta.get("tool_calls") or ():
                merged = tool_calls.setdefault(
                    call["index"],
                    {"id": None, "type": "function", "function": {"name": None, "arguments": ""}},
                )
                merged["id"] = call.get("id") or merged["id"]
                function = call.get("function") or {}
                merged["function"]["name"] = function.get("name") or merged["function"]["name"]
                merged["function"]["arguments"] += function.get("arguments") or ""
            finish_reason = choice.get("finish_reason") or finish_reason
    first = first or {}
    message: dict[str, Any] = {"role": "assistant", "content": "".join(content) or None}
    if any(reasoning):
        message["reasoning"] = "".join(reasoning)
    if tool_calls:
        message["tool_calls"] = [tool_calls[index] for index in sorted(tool_calls)]
    return 200, {
        "id": first.get("id"),
        "object": "chat.completion",
        "created": first.get("created"),
        "model": first.get("model"),
        "provider": first.get("provider"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": usage,
    }


def _chunk_from_raw(data: bytes) -> dict[str, Any] | None:
    """The chunk in a recorded event, or None for comments and [DONE]. A broken line makes the
    whole completion a 502, as a real gateway would answer."""
    for line in data.decode().splitlines():
        if line.startswith("data: ") and line != "data: [DONE]":
            try:
                return json.loads(line[6:])
            except ValueError:
                return {
                    "error": {"code": 502, "message": "The provider sent a malformed response."}
                }
    return None
