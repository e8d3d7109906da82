"""What a `ChatEngine` turn tells whoever shows it (the chat screen, `rill ask`): one prompt's
replies as they stream, the tool calls they make, and how the turn ended. Each event refers
to domain messages the engine has already updated and saved; showing it is all that is left."""

from __future__ import annotations

from dataclasses import dataclass

from rillchat.chat.conversation import Decision, Message
from rillchat.chat.structured import Schema
from rillchat.chat.tools.toolbox import CheckedCall
from rillchat.openrouter.events import StreamEvent
from rillchat.openrouter.request import ChatRequest


@dataclass(frozen=True, slots=True)
class ReplyStarted:
    """A new reply is in the conversation (empty, streaming) and its request is on its way."""

    reply: Message
    request: ChatRequest
    schema: Schema | None


@dataclass(frozen=True, slots=True)
class ReplyProgress:
    """One event of the reply's stream, already folded into `reply`."""

    reply: Message
    event: StreamEvent


@dataclass(frozen=True, slots=True)
class ReplyEnded:
    """The reply is complete, failed or stopped. `turn`: the replies of the turn it ends (one
    per round of tool calls, then the answer), or None when its tool calls come next."""

    reply: Message
    turn: list[Message] | None


@dataclass(frozen=True, slots=True)
class ToolsNotRun:
    """The reply has tool calls that are not run, and why ("the reply did not finish")."""

    reply: Message
    why: str


@dataclass(frozen=True, slots=True)
class ToolRoundStarted:
    """The reply's calls, checked: each is run, asked about, or answered with its problem."""

    reply: Message
    calls: tuple[CheckedCall, ...]


@dataclass(frozen=True, slots=True)
class ToolCallWaiting:
    """The call waits for `ChatEngine.decide`."""

    reply: Message
    call: CheckedCall


@dataclass(frozen=True, slots=True)
class ToolCallRunning:
    reply: Message
    call: CheckedCall
    decision: Decision


@dataclass(frozen=True, slots=True)
class ToolResultKept:
    """A call's result (or why it was not run), in the conversation and saved."""

    reply: Message
    result: Message


@dataclass(frozen=True, slots=True)
class ToolAllowedInChat:
    """The user let this tool run without asking for the rest of the conversation."""

    name: str


@dataclass(frozen=True, slots=True)
class ToolsStopped:
    """The user stopped the calls waiting or running; the model is not asked again."""

    reply: Message


@dataclass(frozen=True, slots=True)
class RoundLimitReached:
    """The reply asked for tools once more than one prompt may take: its calls were answered
    "not run" and the turn ends. `turn`: all its replies."""

    reply: Message
    limit: int
    turn: list[Message]


TurnEvent = (
    ReplyStarted
    | ReplyProgress
    | ReplyEnded
    | ToolsNotRun
    | ToolRoundStarted
    | ToolCallWaiting
    | ToolCallRunning
    | ToolResultKept
    | ToolAllowedInChat
    | ToolsStopped
    | RoundLimitReached
)
