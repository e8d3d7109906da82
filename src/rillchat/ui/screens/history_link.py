"""The chat's side of the history: opening the history screen and a conversation chosen
there, a rename or deletion made there, and the history coming on after being off."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import assert_never

from textual.screen import Screen

from rillchat.chat.conversation import Conversation, Message
from rillchat.ui.host import ConversationDeleted, ConversationRenamed, HistoryChange, RillHost
from rillchat.ui.opened import Opened
from rillchat.ui.screens.prompt_editing import PromptEditing
from rillchat.ui.widgets.prompt_input import PromptInput


class AppHistoryKeeper:
    """The engine's keeper: the app's history, which can come on later (a lock let go)."""

    def __init__(self, host: RillHost) -> None:
        self._host = host

    def save(self, conversation: Conversation, message: Message) -> None:
        if (recorder := self._host.recorder) is not None:
            recorder.save(conversation, message)

    def progress(self, conversation: Conversation, message: Message) -> None:
        if (recorder := self._host.recorder) is not None:
            recorder.progress(conversation, message)

    def save_conversation(self, conversation: Conversation) -> None:
        if (recorder := self._host.recorder) is not None:
            recorder.save_conversation(conversation)


class HistoryLink:
    def __init__(
        self,
        screen: Screen[None],
        host: RillHost,
        conversation: Callable[[], Conversation],
        prompt: PromptInput,
        *,
        busy: Callable[[], bool],
        editing: PromptEditing,
        new_chat: Callable[[], Awaitable[None]],
    ) -> None:
        self._screen = screen
        self._host = host
        self._conversation = conversation
        """The screen's conversation now (Ctrl+N starts another)."""
        self._prompt = prompt
        self._busy = busy
        self._editing = editing
        self._new_chat = new_chat

    def found_message(self, message_id: str) -> Message | None:
        """A search hit's message, with its branch shown if it was on another one."""
        conversation = self._conversation()
        found = conversation.message_by_id(message_id)
        if found is None:
            return None
        if not any(message is found for message in conversation.messages):
            conversation.switch_to(found)
            if self._host.recorder is not None:
                self._host.recorder.save_conversation(conversation)
        return found

    async def move_aside(self) -> None:
        """The history file is not a database: rename it and start a fresh one."""
        try:
            kept = self._host.move_history_aside()
        except OSError as exc:
            self._screen.notify(
                f"Could not move it: {exc.strerror}", severity="error", markup=False
            )
            return
        if self._host.recorder is None:
            await self._screen.query_one("#history-off").remove()
            self._screen.notify(
                f"Moved to {kept}, but the fresh history failed too: {self._host.history_problem}",
                severity="error",
                markup=False,
            )
            return
        self.came_on()
        self._screen.notify(
            f"The old file is kept as {kept.name}; a fresh history starts now.", markup=False
        )

    def came_on(self) -> None:
        """The history was off and is on now: the notice goes, and what is on screen is
        saved."""
        self._screen.query("#history-off").remove()
        recorder = self._host.recorder
        if recorder is not None:
            for message in self._conversation().messages:
                recorder.save(self._conversation(), message)
            recorder.save_branches(self._conversation())

    def open_history(self) -> None:
        recorder = self._host.recorder
        if recorder is None:
            self._screen.notify(
                f"History is off: {self._host.history_problem}", severity="warning", markup=False
            )
            return
        from rillchat.ui.screens.history import HistoryScreen

        self._screen.app.push_screen(HistoryScreen(recorder), self._opened)

    def _opened(self, opened: Opened | None) -> None:
        if opened is None:
            return
        if opened.conversation_id == self._conversation().id and opened.message_id is None:
            return
        if self._busy():
            self._screen.notify(
                "A reply or its tool calls are still going here: press Escape to stop it, or wait, then "
                "open the other conversation.",
                severity="warning",
            )
            return
        self._editing.cancel()
        self._host.open_conversation(
            opened, draft=self._prompt.full_text, sent_prompts=self._prompt.sent_prompts
        )

    def changed(self, change: HistoryChange) -> None:
        if change.conversation_id != self._conversation().id:
            return
        match change:
            case ConversationRenamed(title=title):
                self._conversation().title = title
                if self._host.recorder is not None:  # it waits out a lock, as every save does
                    self._host.recorder.save_conversation(self._conversation())
            case ConversationDeleted():
                self._screen.call_later(self._new_chat)
            case _:
                assert_never(change)
