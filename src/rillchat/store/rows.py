"""A conversation and its messages as the rows the history keeps, taken at one moment.

A streaming reply keeps growing on the thread that shows it while another thread writes it,
so what is written is a copy taken on the first thread: these rows, plain values only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rillchat.chat.conversation import Conversation, Message, MessageStatus
from rillchat.redaction import mask_secrets
from rillchat.store.codec import dumps, encode_part, usage_columns


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: str
    title: str | None
    model: str
    system_prompt: str | None
    settings: str
    created: float
    leaf_id: str | None
    """The last message of the branch shown; None for a conversation with no message yet."""

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationRow:
        leaf = conversation.messages[-1].id if conversation.messages else None
        # A key pasted where a model id goes is refused before it gets this far; should one
        # slip through, it is not kept.
        return cls(
            conversation.id,
            conversation.title,
            mask_secrets(conversation.model),
            conversation.system_prompt,
            dumps(conversation.settings_dict()),
            conversation.created,
            leaf,
        )


@dataclass(frozen=True, slots=True)
class MessageRow:
    columns: dict[str, Any]
    """The `messages` columns but `writer`, which the writing History adds."""
    parts: tuple[tuple[str, str, str], ...]
    """(kind, text, data as JSON) for each part, in order."""

    @property
    def id(self) -> str:
        return self.columns["id"]

    @property
    def streaming(self) -> bool:
        return self.columns["status"] == MessageStatus.STREAMING.value

    @property
    def text_length(self) -> int:
        return sum(len(text) for kind, text, _ in self.parts if kind == "text")

    @classmethod
    def of(
        cls, conversation_id: str, message: Message, position: int, parent_id: str | None
    ) -> MessageRow:
        columns = {
            "id": message.id,
            "conversation_id": conversation_id,
            "parent_id": parent_id,
            "position": position,
            "role": message.role,
            "status": message.status.value,
            "model": message.model and mask_secrets(message.model),
            "provider": message.provider,
            "generation_id": message.generation_id,
            "finish_reason": message.finish_reason,
            **usage_columns(message.usage),
            "time_to_first_token": message.time_to_first_token,
            "duration": message.duration,
            "created": message.created,
        }
        parts = tuple(
            (kind, text, dumps(data)) for kind, text, data in map(encode_part, message.parts)
        )
        return cls(columns, parts)


@dataclass(frozen=True, slots=True)
class MessageSave:
    """One message of the branch shown, to write, with what comes before it."""

    row: MessageRow
    earlier: tuple[Message, ...] = ()
    """The messages before it on the branch, written too when the history does not have the
    one just before (a new conversation, or one deleted meanwhile). They are finished, so
    they are read when needed rather than copied on every save."""

    @classmethod
    def of(cls, conversation: Conversation, message: Message) -> MessageSave:
        position = position_of(conversation, message)
        earlier = tuple(conversation.messages[:position])
        parent = earlier[-1].id if earlier else None
        return cls(MessageRow.of(conversation.id, message, position, parent), earlier)

    def earlier_rows(self) -> list[MessageRow]:
        conversation_id = self.row.columns["conversation_id"]
        return [
            MessageRow.of(
                conversation_id,
                message,
                position,
                self.earlier[position - 1].id if position else None,
            )
            for position, message in enumerate(self.earlier)
        ]


def position_of(conversation: Conversation, message: Message) -> int:
    for index, candidate in enumerate(conversation.messages):
        if candidate is message:
            return index
    raise ValueError("the message is not in this conversation")


def branch_rows(conversation: Conversation) -> list[MessageRow]:
    """The rows of the branches not shown, each after its parent. Their messages are
    finished, so the rows can be taken on any thread."""
    positions = {message.id: index for index, message in enumerate(conversation.messages)}
    rows = []
    for message in _parents_first(conversation.other_branches, positions):
        parent = message.parent_id
        positions[message.id] = 0 if parent is None else positions[parent] + 1
        rows.append(MessageRow.of(conversation.id, message, positions[message.id], parent))
    return rows


def _parents_first(messages: list[Message], known: dict[str, int]) -> list[Message]:
    """`messages` ordered so each comes after its parent (parents among `known` or them)."""
    waiting = list(messages)
    ordered: list[Message] = []
    placed = set(known)
    while waiting:
        ready = [
            message
            for message in waiting
            if message.parent_id is None or message.parent_id in placed
        ]
        if not ready:
            raise ValueError("a branch's message has no parent in the conversation")
        ordered += ready
        placed.update(message.id for message in ready)
        waiting = [message for message in waiting if message.id not in placed]
    return ordered
