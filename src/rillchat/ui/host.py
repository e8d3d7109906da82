"""What the screens and dialogs may ask of the app that shows them, as a type of its own: a
screen depends on this, not on `RillApp`, so the app can import its screens without the
screens importing it back. News travels down from the app through its signals."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.signal import Signal

    from rillchat.catalogue import ModelInfo
    from rillchat.chat.tools.session import ToolSession
    from rillchat.config.settings import Settings
    from rillchat.openrouter.events import StreamEvent
    from rillchat.openrouter.request import ChatRequest
    from rillchat.store.recorder import Recorder
    from rillchat.ui.opened import Opened


@dataclass(frozen=True, slots=True)
class SettingChanged:
    """A setting took a new value (`key`), or the model catalogue was read again (None)."""

    key: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationRenamed:
    """The history screen gave a saved conversation a new title."""

    conversation_id: str
    title: str


@dataclass(frozen=True, slots=True)
class ConversationDeleted:
    """The history screen deleted a saved conversation."""

    conversation_id: str


HistoryChange = ConversationRenamed | ConversationDeleted


class RillHost(Protocol):
    settings: Settings
    demo: bool
    """Talking to the built-in local server."""
    clock: Callable[[], float]
    cursor_blink: bool
    session_cost: float
    catalogue: dict[str, ModelInfo]
    tools: ToolSession

    # Read-only: the app's history keeps them.
    @property
    def recorder(self) -> Recorder | None:
        """Saves the conversation as it happens; None when the history cannot be opened."""
        ...

    @property
    def history_problem(self) -> str | None:
        """Why the history is off, in words for the user."""
        ...

    @property
    def unreadable_history(self) -> Path | None:
        """The history file, when it is not a database and could be moved aside."""
        ...

    @property
    def setting_changes(self) -> Signal[SettingChanged]:
        """Published after a setting or the catalogue changed, for every screen that shows
        one."""
        ...

    @property
    def history_changes(self) -> Signal[HistoryChange]:
        """Published when the history screen renames a conversation (before it is saved: the
        chat showing it saves the title itself) or has deleted one."""
        ...

    def stream(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        """The events of one reply."""
        ...

    def remember_catalogue(self, models: list[ModelInfo]) -> None:
        """The model catalogue as last read, for what the chat says of a model."""

    def model_reasons(self, model: str) -> bool | None:
        """Whether the model can reason; None when the catalogue does not know it."""
        ...

    def model_can(self, model: str, ability: str) -> bool | None:
        """Whether the catalogue says the model has an ability; None when unknown."""
        ...

    def save_setting(self, key: str, value: object) -> bool:
        """Keep a setting in config.toml; whether it was saved."""
        ...

    def change_setting(self, key: str, value: object) -> bool:
        """Apply a setting now, keep it in config.toml and tell the screens; whether it was
        saved."""
        ...

    def shows_conversation(self, conversation_id: str) -> bool:
        """Whether the chat in use has that conversation open (and saves it itself)."""
        ...

    def conversation_busy(self, conversation_id: str) -> bool:
        """Whether a reply or its tool calls are still going in that conversation."""
        ...

    def open_conversation(
        self, opened: Opened, *, draft: str = "", sent_prompts: list[str] | None = None
    ) -> None:
        """Show a saved conversation in place of the chat."""

    def move_history_aside(self) -> Path:
        """Rename the unreadable history file and start a fresh one; where the old one went."""
        ...


def host_of(node: MessagePump) -> RillHost:
    """The app a screen or widget runs in, as the host it may ask things of."""
    return cast("RillHost", node.app)
