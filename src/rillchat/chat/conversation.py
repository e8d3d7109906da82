"""Conversations and messages as Rill keeps them: each message an ordered list of parts."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rillchat.chat.options import ReplyOptions
from rillchat.openrouter.events import READABLE_DETAIL_FIELDS, StreamFailed, Usage
from rillchat.openrouter.request import ChatRequest
from rillchat.redaction import mask_secrets
from rillchat.terminal_text import one_line


class MessageStatus(StrEnum):
    STREAMING = "streaming"
    COMPLETE = "complete"
    STOPPED = "stopped"
    """The user stopped it; what arrived is kept."""
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    """Rill itself went away mid-stream: quit, closed by a signal (saved then), or a crash or
    a kill (found so by the next Rill to start)."""


class GrowingText:
    """Text that grows by fragments. Appending is O(1): `attribute += fragment` would copy the
    whole text for every token, which is quadratic on long replies."""

    __slots__ = ("_pieces",)

    def __init__(self, text: str = "") -> None:
        self._pieces: list[str] = [text] if text else []

    def append(self, fragment: str) -> None:
        self._pieces.append(fragment)

    @property
    def text(self) -> str:
        pieces = self._pieces
        if len(pieces) > 1:
            pieces[:] = ["".join(pieces)]
        return pieces[0] if pieces else ""

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.text == other.text and self._state() == other._state()

    def _state(self) -> tuple[Any, ...]:
        return ()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"


class TextPart(GrowingText):
    __slots__ = ()


class ReasoningPart(GrowingText):
    __slots__ = ("_fragments", "_merged")

    def __init__(self, text: str = "", details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(text)
        self._fragments: list[dict[str, Any]] = list(details or [])
        self._merged: list[dict[str, Any]] | None = None

    def add_details(self, fragments: Iterable[dict[str, Any]]) -> None:
        self._fragments.extend(fragments)
        self._merged = None

    @property
    def details(self) -> list[dict[str, Any]]:
        """`reasoning_details` with fragments of the same block merged, ready to send back."""
        if self._merged is None:
            self._merged = merge_reasoning_details(self._fragments)
        return self._merged

    def _state(self) -> tuple[Any, ...]:
        return (self.details,)

    @property
    def encrypted(self) -> bool:
        """True when some of the reasoning is only available encrypted or redacted."""
        return any(detail.get("type") == "reasoning.encrypted" for detail in self.details)


def merge_reasoning_details(fragments: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold streamed `reasoning_details` fragments into blocks: consecutive fragments of the
    same text or summary block (same type and index) are concatenated, a late signature joins
    its block, and anything else (encrypted blocks) is kept as it came."""
    merged: list[dict[str, Any]] = []
    pieces: list[str] = []  # text of the last merged block, joined once at the end

    def close_block() -> None:
        if pieces:
            merged[-1][READABLE_DETAIL_FIELDS[merged[-1]["type"]]] = "".join(pieces)
            pieces.clear()

    for fragment in fragments:
        text_field = READABLE_DETAIL_FIELDS.get(fragment.get("type", ""))
        last = merged[-1] if merged else None
        if (
            text_field
            and last is not None
            and last.get("type") == fragment.get("type")
            and last.get("index") == fragment.get("index")
        ):
            pieces.append(fragment.get(text_field) or "")
            for key, value in fragment.items():
                if key != text_field and value not in (None, ""):
                    last[key] = value
            continue
        close_block()
        merged.append(dict(fragment))
        if text_field:
            pieces.append(fragment.get(text_field) or "")
    close_block()
    return merged


@dataclass(slots=True)
class ToolCallPart:
    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""

    @property
    def call_id(self) -> str:
        return self.id or f"call_{self.index}"

    def parsed_arguments(self) -> Any:
        """The arguments as JSON, or None while they are incomplete or not valid JSON."""
        try:
            return json.loads(self.arguments or "{}")
        except ValueError:
            return None


class Decision(StrEnum):
    """Who let a tool call run, or why it did not."""

    ALLOWED_ONCE = "allowed once"
    ALLOWED_IN_CHAT = "allowed in this conversation"
    """Allowed for every call of this tool in the conversation (this call, or an earlier one)."""
    ALLOWED_BY_FLAG = "allowed by --yes"
    DENIED = "denied"
    STOPPED = "stopped"
    """The user stopped it while it waited or ran."""
    INVALID = "invalid"
    """Never asked: the tool is unknown or its arguments do not fit."""
    NOT_RUN = "not run"
    """The round limit was reached before it could run."""


@dataclass(slots=True)
class ToolResultPart:
    tool_call_id: str
    content: str
    is_error: bool = False
    name: str | None = None
    """The tool that answered, as the model called it."""
    decision: Decision | None = None
    duration: float | None = None
    """Seconds the tool ran; None when it never ran."""


@dataclass(slots=True)
class StructuredPart:
    """The JSON Schema a reply was asked to follow, and how its answer measured up."""

    name: str
    schema: dict[str, Any]
    problems: list[str] | None = None
    """None until the answer is checked; empty when it fits the schema."""


@dataclass(slots=True)
class ErrorPart:
    """Where a reply failed, with everything the stream layer knew about the failure."""

    failure: StreamFailed


Part = TextPart | ReasoningPart | ToolCallPart | ToolResultPart | ErrorPart | StructuredPart


def new_id() -> str:
    return uuid.uuid4().hex


def title_from_prompt(prompt: str) -> str:
    """A conversation's title until someone names it: its first prompt, on one line, any
    key pasted into it masked (the title is listed everywhere the prompt is not)."""
    return mask_secrets(one_line(prompt))[:80]


@dataclass(slots=True)
class Message:
    role: str
    parts: list[Part] = field(default_factory=list)
    id: str = field(default_factory=new_id, compare=False)
    created: float = field(default_factory=time.time, compare=False)
    status: MessageStatus = MessageStatus.COMPLETE
    model: str | None = None
    provider: str | None = None
    generation_id: str | None = None
    usage: Usage | None = None
    finish_reason: str | None = None
    time_to_first_token: float | None = None
    duration: float | None = None
    parent_id: str | None = field(default=None, compare=False)
    """The message this one answers or follows. Kept up to date for messages off the shown
    branch; on it, the parent is simply the message before."""

    @classmethod
    def user(cls, text: str) -> Message:
        return cls(role="user", parts=[TextPart(text)])

    @classmethod
    def tool_result(
        cls,
        tool_call_id: str,
        content: str,
        *,
        is_error: bool = False,
        name: str | None = None,
        decision: Decision | None = None,
        duration: float | None = None,
    ) -> Message:
        return cls(
            role="tool",
            parts=[ToolResultPart(tool_call_id, content, is_error, name, decision, duration)],
        )

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts if isinstance(part, TextPart))

    @property
    def reasoning(self) -> str:
        return "".join(part.text for part in self.parts if isinstance(part, ReasoningPart))

    @property
    def reasoning_details(self) -> list[dict[str, Any]]:
        return [
            detail
            for part in self.parts
            if isinstance(part, ReasoningPart)
            for detail in part.details
        ]

    @property
    def tool_calls(self) -> list[ToolCallPart]:
        return [part for part in self.parts if isinstance(part, ToolCallPart)]

    @property
    def tool_result_part(self) -> ToolResultPart | None:
        return next((part for part in self.parts if isinstance(part, ToolResultPart)), None)

    @property
    def structured(self) -> StructuredPart | None:
        return next((part for part in self.parts if isinstance(part, StructuredPart)), None)

    @property
    def error(self) -> StreamFailed | None:
        return next((part.failure for part in self.parts if isinstance(part, ErrorPart)), None)

    def to_api(self) -> dict[str, Any] | None:
        """This message as the API expects it in `messages`, or None when there is nothing to
        send (a reply that failed before saying anything)."""
        if self.role == "tool":
            result = next(part for part in self.parts if isinstance(part, ToolResultPart))
            return {"role": "tool", "tool_call_id": result.tool_call_id, "content": result.content}
        if self.role != "assistant":
            return {"role": self.role, "content": self.text}
        text = self.text
        tool_calls = self.tool_calls
        if not text and not tool_calls:
            return None
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if tool_calls:
            message["tool_calls"] = [
                {
                    "id": call.call_id,
                    "type": "function",
                    "function": {"name": call.name or "", "arguments": call.arguments or "{}"},
                }
                for call in tool_calls
            ]
        details = self.reasoning_details
        if details:
            message["reasoning_details"] = details
        return message


@dataclass(slots=True)
class Conversation:
    model: str
    messages: list[Message] = field(default_factory=list)
    system_prompt: str | None = None
    title: str | None = None
    id: str = field(default_factory=new_id, compare=False)
    created: float = field(default_factory=time.time, compare=False)
    other_branches: list[Message] = field(default_factory=list)
    """Messages off the shown branch: earlier continuations kept when a reply was retried or
    a prompt edited, each knowing its parent."""
    options: ReplyOptions = field(default_factory=ReplyOptions)
    allowed_tools: set[str] = field(default_factory=set)
    """Tools the user allowed for every call in this conversation."""
    draft: str = field(default="", compare=False)
    """What was in the prompt, unsent, when Rill last closed on this conversation."""

    def settings_dict(self) -> dict[str, Any]:
        """What is kept in the conversation's settings: its reply options and its tool
        approvals."""
        settings = self.options.to_dict()
        if self.allowed_tools:
            settings["allowed_tools"] = sorted(self.allowed_tools)
        return settings

    def apply_settings(self, data: object) -> None:
        self.options = ReplyOptions.from_dict(data)
        allowed = data.get("allowed_tools") if isinstance(data, dict) else None
        self.allowed_tools = (
            {name for name in allowed if isinstance(name, str)}
            if isinstance(allowed, list)
            else set()
        )

    # Branches ------------------------------------------------------------------------------

    def alternatives(self, index: int) -> list[Message]:
        """The message at `index` of the shown branch and its siblings (the other answers to
        the same parent), oldest first."""
        message = self.messages[index]
        parent = self.messages[index - 1].id if index else None
        siblings = [other for other in self.other_branches if other.parent_id == parent]
        if not siblings:
            return [message]
        return sorted([message, *siblings], key=lambda candidate: candidate.created)

    def branch_off(self, index: int) -> None:
        """Set aside the shown branch from `index` on, keeping it as a branch to come back to."""
        for position in range(index, len(self.messages)):
            self.messages[position].parent_id = (
                self.messages[position - 1].id if position else None
            )
        self.other_branches.extend(self.messages[index:])
        del self.messages[index:]

    def switch_to(self, message: Message) -> int:
        """Show the branch through `message` (a message off the shown branch whose parent is on
        it), continuing with the newest message at each step. Returns the index of the shown
        branch from which it changed."""
        parent = message.parent_id
        index = (
            0
            if parent is None
            else 1
            + next(
                position
                for position, candidate in enumerate(self.messages)
                if candidate.id == parent
            )
        )
        self.branch_off(index)
        following: dict[str | None, list[Message]] = {}
        for other in self.other_branches:
            following.setdefault(other.parent_id, []).append(other)
        taken = {id(message)}
        current: Message | None = message
        while current is not None:
            self.messages.append(current)
            taken.add(id(current))
            children = following.get(current.id)
            current = max(children, key=lambda child: child.created) if children else None
        self.other_branches = [other for other in self.other_branches if id(other) not in taken]
        return index

    def message_by_id(self, message_id: str) -> Message | None:
        return next(
            (
                message
                for message in itertools.chain(self.messages, self.other_branches)
                if message.id == message_id
            ),
            None,
        )

    def request_messages(self) -> list[dict[str, Any]]:
        """The shown branch as the API takes it. A tool call with no result (its reply was
        stopped, or it was never run) is left out: the API refuses a call left unanswered."""
        messages: list[dict[str, Any]] = []
        if self.system_prompt:
            messages.append({"role": "system", "content": self.system_prompt})
        answered = {
            part.tool_call_id
            for message in self.messages
            if (part := message.tool_result_part) is not None
        }
        for message in self.messages:
            api_message = message.to_api()
            if api_message is None:
                continue
            calls = api_message.get("tool_calls")
            if calls:
                kept = [call for call in calls if call["id"] in answered]
                if kept:
                    api_message["tool_calls"] = kept
                else:
                    del api_message["tool_calls"]
                    if not api_message["content"]:
                        continue
            messages.append(api_message)
        return messages

    def build_request(self, *, reasoning: bool = True, **overrides: Any) -> ChatRequest:
        """The request for the next reply, with this conversation's options (the effort only
        when the model reasons); `overrides` are ChatRequest fields that win over them."""
        fields = self.options.request_fields(reasoning=reasoning)
        fields.update({name: value for name, value in overrides.items() if value is not None})
        return ChatRequest(model=self.model, messages=self.request_messages(), **fields)
