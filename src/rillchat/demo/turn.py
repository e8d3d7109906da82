"""The parts of a chat request that the demo's scenarios look at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Turn:
    """The parts of a request a scenario looks at."""

    model: str
    prompt: str
    last_role: str
    last_content: str
    prompt_tokens: int
    tools: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    tool_rounds: int = 0
    """Replies that called tools since the prompt."""
    tool_results: tuple[tuple[str, str], ...] = ()
    """(tool name, result) of every tool result since the prompt."""
    authorization: str = ""
    """The request's Authorization header, which the echo-key scenarios quote back as some
    servers and proxies do."""
    shell_advice: bool = False
    """Advice in the reply is for `rill ask` in a shell, not for the chat's keys."""

    @classmethod
    def from_body(cls, body: dict[str, Any], authorization: str = "") -> Turn:
        messages = body["messages"]
        last = messages[-1]
        user_texts = [_content_text(m.get("content")) for m in messages if m.get("role") == "user"]
        all_text = " ".join(_content_text(m.get("content")) for m in messages)
        since_prompt = messages[_last_user_index(messages) + 1 :]
        names = {
            call.get("id"): (call.get("function") or {}).get("name", "?")
            for m in since_prompt
            if m.get("role") == "assistant"
            for call in m.get("tool_calls") or []
            if isinstance(call, dict)
        }
        return cls(
            model=body["model"],
            prompt=user_texts[-1] if user_texts else "",
            last_role=str(last.get("role")),
            last_content=_content_text(last.get("content")),
            prompt_tokens=max(1, len(all_text) // 4),
            tools=list(body.get("tools") or []),
            response_format=body.get("response_format"),
            tool_rounds=sum(
                1 for m in since_prompt if m.get("role") == "assistant" and m.get("tool_calls")
            ),
            tool_results=tuple(
                (str(names.get(m.get("tool_call_id"), "?")), _content_text(m.get("content")))
                for m in since_prompt
                if m.get("role") == "tool"
            ),
            authorization=authorization,
        )


def _last_user_index(messages: list[dict[str, Any]]) -> int:
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].get("role") == "user":
            return index
    return -1


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""
