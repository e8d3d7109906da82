"""Asking again for a reply (in place, or as a new branch) and switching between the
branches of a conversation, on screen and in the engine."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

from textual.screen import Screen

from rillchat.chat.conversation import Conversation
from rillchat.chat.engine import ChatEngine
from rillchat.chat.turn_events import TurnEvent
from rillchat.ui.screens.prompt_editing import PromptEditing
from rillchat.ui.widgets.conversation_view import ConversationView
from rillchat.ui.widgets.error_banner import ErrorBanner
from rillchat.ui.widgets.messages_view import AssistantMessage


class BranchMoves:
    def __init__(
        self,
        screen: Screen[None],
        view: ConversationView,
        engine: Callable[[], ChatEngine],
        conversation: Callable[[], Conversation],
        *,
        editing: PromptEditing,
        run_turn: Callable[[AsyncGenerator[TurnEvent, None]], None],
    ) -> None:
        self._screen = screen
        self._view = view
        self._engine = engine
        """The screen's engine now (Ctrl+N starts another)."""
        self._conversation = conversation
        self._editing = editing
        self._run_turn = run_turn

    def _refused_while_busy(self) -> bool:
        """A reply or its tool calls still going: nothing moves, and the user is told why."""
        if self._engine().busy:
            self._screen.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
        return self._engine().busy

    async def retry_from_banner(self, banner: ErrorBanner) -> None:
        """The last reply is asked for again in place; an older one as a new branch."""
        last = self._view.last_reply_view()
        reply_view = banner.parent
        if last is not None and reply_view is last:
            await self.retry_last()
        elif isinstance(reply_view, AssistantMessage):
            await self.retry_as_branch(reply_view.message_id)

    async def retry_as_branch(self, message_id: str) -> None:
        """Ask again for an older reply: it and every turn after it stay as a branch (the
        ‹ 1 of 2 › switch above it), and the new answer to the same prompt is shown."""
        if self._refused_while_busy():
            return
        messages = self._conversation().messages
        message = next((shown for shown in messages if shown.id == message_id), None)
        if message is None:
            self._screen.notify("That reply is no longer on the branch shown.", severity="warning")
            return
        self._editing.cancel()
        await self._view.remove_turns_from(message.id, self._view.index_of(message))
        turn = self._engine().retry_as_branch(message)
        self._view.forget_hidden_views()
        self._run_turn(turn)
        self._screen.notify(
            "Asking again as a new branch; the old reply and what followed are kept "
            "(‹ › above it).",
            timeout=4,
        )

    async def retry_last(self) -> None:
        if self._refused_while_busy():
            return
        await self._view.draw_latest()
        messages = self._conversation().messages
        if messages and messages[-1].role == "tool":
            # The tools were stopped or ran out of rounds: go on from their results.
            self._screen.notify("Going on: the model gets the tool results so far.", timeout=3)
        elif self._view.last_reply_view() is None:
            self._screen.notify("There is no reply to retry yet.", severity="warning")
            return
        else:
            await self._view.remove_turns_from(messages[-1].id, len(messages) - 1)
        turn = self._engine().retry()
        self._view.forget_hidden_views()
        self._run_turn(turn)

    async def switch_last(self, step: int) -> None:
        """Alt+Left/Right: switch the last message on screen that has other branches."""
        for index in range(len(self._conversation().messages) - 1, -1, -1):
            if len(self._conversation().alternatives(index)) > 1:
                await self.switch_branch(self._conversation().messages[index].id, step)
                return
        self._screen.notify(
            "This conversation has no other branches. Edit a prompt (F2, or click "
            "it) or retry a reply (Ctrl+R) to make one.",
            timeout=4,
        )

    async def switch_branch(self, message_id: str, step: int) -> None:
        if self._refused_while_busy():
            return
        index = self._engine().switch_branch(message_id, step)
        if index is None:
            return
        self._editing.cancel()
        view = self._view
        await view.remove_turns_from(message_id, index)  # the widgets of the branch left
        view.forget_hidden_views()
        bar = await view.redraw_from(index)
        if bar is not None:
            view.show_widget(bar)
