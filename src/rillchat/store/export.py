"""Conversations as files: Rill JSON (everything, to import again) and Markdown (to read)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from rillchat.chat.conversation import (
    Conversation,
    ErrorPart,
    Message,
    MessageStatus,
    ReasoningPart,
    StructuredPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from rillchat.chat.summary import timing_pieces, usage_pieces, who_answered
from rillchat.openrouter.events import Usage
from rillchat.store.codec import decode_part, encode_part
from rillchat.terminal_text import BIDI_CONTROLS, one_line, strip_control

FORMAT = "rill.conversation"
FORMAT_VERSION = 1


class NotAConversation(ValueError):
    """The file is not a Rill conversation; the message names what is wrong."""


# JSON ------------------------------------------------------------------------------------------


def to_json(conversation: Conversation) -> str:
    text = json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "conversation": _conversation_dict(conversation),
        },
        ensure_ascii=False,
        indent=2,
    )
    # JSON escapes only C0 controls. DEL, the C1 controls and bidi overrides would act on a
    # terminal that shows the file; escaped, they are inert and read back the same.
    return _NOT_SHOWN_RAW.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


_NOT_SHOWN_RAW = re.compile(r"[\x7f-\x9f" + BIDI_CONTROLS + "]")


def _conversation_dict(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "title": conversation.title,
        "model": conversation.model,
        "system_prompt": conversation.system_prompt,
        "created": conversation.created,
        "options": conversation.settings_dict(),
        "messages": [_message_dict(message) for message in conversation.messages],
        "branches": [
            {**_message_dict(message), "parent_id": message.parent_id}
            for message in conversation.other_branches
        ],
    }


def _message_dict(message: Message) -> dict[str, Any]:
    usage = message.usage
    return {
        "id": message.id,
        "role": message.role,
        "status": message.status.value,
        "created": message.created,
        "model": message.model,
        "provider": message.provider,
        "generation_id": message.generation_id,
        "finish_reason": message.finish_reason,
        "usage": None
        if usage is None
        else {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "reasoning_tokens": usage.reasoning_tokens,
            "cached_tokens": usage.cached_tokens,
            "cost": usage.cost,
            "is_byok": usage.is_byok,
        },
        "time_to_first_token": message.time_to_first_token,
        "duration": message.duration,
        "parts": [
            {"kind": kind, "text": text, "data": data}
            for kind, text, data in map(encode_part, message.parts)
        ],
    }


def from_json(text: str) -> Conversation:
    """A conversation from Rill JSON, exactly as it was exported."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise NotAConversation(f"the file is not JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise NotAConversation(
            f'the file is JSON but not a Rill conversation (no "format": "{FORMAT}" at the top)'
        )
    if document.get("version") != FORMAT_VERSION:
        raise NotAConversation(
            f"the file is a Rill conversation of version "
            f"{document.get('version')!r}; this Rill reads version {FORMAT_VERSION}"
        )
    try:
        return _conversation(document["conversation"])
    except NotAConversation:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise NotAConversation(
            f"the conversation in the file is incomplete or damaged ({type(exc).__name__}: {exc})"
        ) from exc


def _conversation(data: dict[str, Any]) -> Conversation:
    conversation = Conversation(
        model=_text(data, "model"),
        system_prompt=data.get("system_prompt"),
        title=data.get("title"),
        id=_text(data, "id"),
        created=float(data["created"]),
    )
    conversation.apply_settings(data.get("options"))
    for number, message in enumerate(data["messages"], start=1):
        try:
            conversation.messages.append(_message(message))
        except (KeyError, TypeError, ValueError) as exc:
            raise NotAConversation(
                f"message {number} is incomplete or damaged ({type(exc).__name__}: {exc})"
            ) from exc
    known = {message.id for message in conversation.messages}
    for number, branch in enumerate(data.get("branches") or [], start=1):
        try:
            message = _message(branch)
            message.parent_id = branch.get("parent_id")
        except (KeyError, TypeError, ValueError) as exc:
            raise NotAConversation(
                f"branch message {number} is incomplete or damaged ({type(exc).__name__}: {exc})"
            ) from exc
        conversation.other_branches.append(message)
        known.add(message.id)
    for number, message in enumerate(conversation.other_branches, start=1):
        if message.parent_id is not None and message.parent_id not in known:
            raise NotAConversation(
                f"branch message {number} follows a message that is not in "
                f"the file ({message.parent_id!r})"
            )
    return conversation


def _message(data: dict[str, Any]) -> Message:
    usage = data.get("usage")
    return Message(
        role=_text(data, "role"),
        id=_text(data, "id"),
        created=float(data["created"]),
        status=MessageStatus(data["status"]),
        model=data.get("model"),
        provider=data.get("provider"),
        generation_id=data.get("generation_id"),
        finish_reason=data.get("finish_reason"),
        usage=None if usage is None else Usage(**usage),
        time_to_first_token=data.get("time_to_first_token"),
        duration=data.get("duration"),
        parts=[decode_part(part["kind"], part["text"], part["data"]) for part in data["parts"]],
    )


def _text(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty string")
    return value


def write_export(conversation: Conversation, kind: str, path: Path) -> None:
    """Write `conversation` as `kind` ("md" or "json") to a new file; an existing one is
    never replaced (FileExistsError)."""
    text = to_json(conversation) + "\n" if kind == "json" else to_markdown(conversation)
    with path.open("x", encoding="utf-8") as file:
        file.write(text)


# Markdown --------------------------------------------------------------------------------------


def to_markdown(conversation: Conversation) -> str:
    """Readable Markdown: reasoning folded in <details>, tool calls as code, errors quoted.
    Control characters are stripped, so the file is safe to print to a terminal."""
    created = dt.datetime.fromtimestamp(conversation.created).strftime("%Y-%m-%d %H:%M")
    chosen = [
        f"{name.replace('_', ' ')} {value}"
        for name, value in conversation.options.to_dict().items()
        if name != "preset"
    ]
    heading = " · ".join([one_line(conversation.model), created, *chosen])
    lines = [f"# {one_line(conversation.title or 'Conversation')}", "", f"*{heading}*", ""]
    if conversation.system_prompt:
        lines += ["**System prompt:**", "", _quote(conversation.system_prompt), ""]
    for message in conversation.messages:
        lines += _message_markdown(message)
    if conversation.other_branches:
        count = len(conversation.other_branches)
        lines += [
            f"*This is the branch last shown; {count} message{'s' if count > 1 else ''} "
            "on other branches are in the JSON export.*",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _message_markdown(message: Message) -> list[str]:
    if message.role == "user":
        return ["## You", "", strip_control(message.text).strip("\n"), ""]
    if message.role == "tool":
        result = next(part for part in message.parts if isinstance(part, ToolResultPart))
        label = "Tool error" if result.is_error else "Tool result"
        about = [
            f"`{one_line(result.name)}`" if result.name else "",
            f"(`{one_line(result.tool_call_id)}`)",
            result.decision.value if result.decision else "",
            f"ran {result.duration:.1f} s" if result.duration is not None else "",
        ]
        return [
            f"**{label}** " + " · ".join(piece for piece in about if piece),
            "",
            *_fence(result.content, "json"),
            "",
        ]
    lines = [f"## {one_line(who_answered(message))}", ""]
    for part in message.parts:
        if isinstance(part, ReasoningPart):
            body = strip_control(part.text).strip("\n") or "*(encrypted)*"
            lines += ["<details><summary>Reasoning</summary>", "", body, "", "</details>", ""]
        elif isinstance(part, TextPart) and message.structured is not None:
            lines += [*_fence(part.text.strip("\n"), "json"), ""]
        elif isinstance(part, TextPart):
            lines += [strip_control(part.text).strip("\n"), ""]
        elif isinstance(part, ToolCallPart):
            arguments = part.arguments
            try:
                arguments = json.dumps(json.loads(arguments or "{}"), indent=2, ensure_ascii=False)
            except ValueError:
                pass
            lines += [
                f"**Tool call** `{one_line(part.name or '?')}`",
                "",
                *_fence(arguments, "json"),
                "",
            ]
        elif isinstance(part, StructuredPart):
            verdict = (
                ""
                if part.problems is None
                else " It fits the schema."
                if not part.problems
                else " It does not fit the schema: "
                + "; ".join(one_line(problem) for problem in part.problems)
                + "."
            )
            lines += [
                f"*Asked to answer as JSON following the schema "
                f"`{one_line(part.name)}`.{verdict}*",
                "",
            ]
        elif isinstance(part, ErrorPart):
            failure = part.failure
            lines += [_quote(f"**{failure.title}:** {failure.message}\n{failure.hint}"), ""]
    if message.status is MessageStatus.STOPPED:
        lines += ["*Stopped by the user.*", ""]
    elif message.status is MessageStatus.INTERRUPTED:
        lines += ["*Interrupted: Rill went away while this reply streamed.*", ""]
    figures = [*usage_pieces(message), *timing_pieces(message)]
    if figures:
        lines += [f"*{' · '.join(figures)}*", ""]
    return lines


def _fence(text: str, language: str) -> list[str]:
    text = strip_control(text)
    longest = max(
        (len(run.strip()) for run in text.split("\n") if set(run.strip()) == {"`"}), default=0
    )
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", text, fence]


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in strip_control(text).splitlines())
