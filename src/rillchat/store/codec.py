"""Message parts to and from their stored form: a kind, a text, and JSON data."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from rillchat.chat.conversation import (
    Decision,
    ErrorPart,
    Part,
    ReasoningPart,
    StructuredPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from rillchat.openrouter.events import FailureKind, StreamFailed, Usage


def encode_part(part: Part) -> tuple[str, str, dict[str, Any]]:
    """(kind, text, data) for one part."""
    if isinstance(part, TextPart):
        return "text", part.text, {}
    if isinstance(part, ReasoningPart):
        return "reasoning", part.text, {"details": part.details}
    if isinstance(part, ToolCallPart):
        return (
            "tool_call",
            "",
            {"index": part.index, "id": part.id, "name": part.name, "arguments": part.arguments},
        )
    if isinstance(part, ToolResultPart):
        return (
            "tool_result",
            part.content,
            {
                "tool_call_id": part.tool_call_id,
                "is_error": part.is_error,
                "name": part.name,
                "decision": part.decision and part.decision.value,
                "duration": part.duration,
            },
        )
    if isinstance(part, StructuredPart):
        return (
            "structured",
            "",
            {"name": part.name, "schema": part.schema, "problems": part.problems},
        )
    if isinstance(part, ErrorPart):
        # The stream layer masked the key already; anything shaped like one that still came
        # through (an older Rill's part being imported) is not saved either.
        masked = part.failure.without_secrets()
        failure = asdict(masked)
        failure["kind"] = masked.kind.value
        return "error", masked.message, failure
    raise TypeError(f"cannot store a {type(part).__name__}")


def decode_part(kind: str, text: str, data: dict[str, Any]) -> Part:
    if kind == "text":
        return TextPart(text)
    if kind == "reasoning":
        return ReasoningPart(text, details=data.get("details") or [])
    if kind == "tool_call":
        return ToolCallPart(
            index=data["index"],
            id=data.get("id"),
            name=data.get("name"),
            arguments=data.get("arguments") or "",
        )
    if kind == "tool_result":
        decision = data.get("decision")
        return ToolResultPart(
            data["tool_call_id"],
            text,
            bool(data.get("is_error")),
            data.get("name"),
            Decision(decision) if decision in DECISIONS else None,
            data.get("duration"),
        )
    if kind == "structured":
        return StructuredPart(
            data.get("name") or "answer", data.get("schema") or {}, data.get("problems")
        )
    if kind == "error":
        fields = dict(data)
        fields["kind"] = FailureKind(fields["kind"])
        return ErrorPart(StreamFailed(**fields))
    raise ValueError(f"unknown part kind {kind!r}")


DECISIONS = {decision.value for decision in Decision}


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def usage_columns(usage: Usage | None) -> dict[str, Any]:
    if usage is None:
        return dict.fromkeys(
            (
                "prompt_tokens",
                "completion_tokens",
                "reasoning_tokens",
                "cached_tokens",
                "cost",
                "is_byok",
            )
        )
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cached_tokens": usage.cached_tokens,
        "cost": usage.cost,
        "is_byok": int(usage.is_byok),
    }


def usage_from_row(row: Any) -> Usage | None:
    if row["prompt_tokens"] is None:
        return None
    return Usage(
        row["prompt_tokens"],
        row["completion_tokens"],
        row["reasoning_tokens"] or 0,
        row["cached_tokens"] or 0,
        row["cost"],
        bool(row["is_byok"]),
    )
