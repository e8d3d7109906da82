"""Naming a conversation with its model: when asked, or after the first reply once turned
on. A small paid call, its cost shown."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from rillchat.chat.conversation import Conversation, Message, MessageStatus
from rillchat.chat.summary import format_cost
from rillchat.chat.titles import ask_for_title
from rillchat.terminal_text import one_line
from rillchat.ui.host import RillHost


class ConversationNamer:
    def __init__(
        self,
        screen: Screen[None],
        host: RillHost,
        conversation: Callable[[], Conversation],
        spent: Callable[[], None],
    ) -> None:
        self._screen = screen
        """Runs the naming request in its worker group "title"."""
        self._host = host
        self._conversation = conversation
        """The screen's conversation now (Ctrl+N starts another)."""
        self._spent = spent
        """Shows what the session has spent, once a request cost something."""

    def name_now(self) -> None:
        """Name the conversation with its model now (from the palette)."""
        if not any(
            message.role == "assistant" and message.text
            for message in self._conversation().messages
        ):
            self._screen.notify(
                "Nothing to name yet: a title needs a prompt and an answer.", severity="warning"
            )
            return
        if not self._host.settings.api_key:
            self._screen.notify("No API key: naming with a model needs one.", severity="warning")
            return
        self._name_conversation(automatic=False)

    def toggle_automatic(self) -> None:
        """Name new conversations with their model after the first reply, or stop."""
        on = not self._host.settings.generate_titles
        self._host.settings = self._host.settings.with_overrides(generate_titles=on)
        kept = self._host.save_setting("generate_titles", on)
        self._screen.notify(
            (
                "New conversations are named by their model after the first reply (a "
                "small paid call each)."
                if on
                else "New conversations are named after their first prompt (no extra call)."
            )
            + (" Saved in config.toml." if kept else ""),
            timeout=5,
        )

    def _name_conversation(self, *, automatic: bool) -> None:
        self._screen.run_worker(
            self._name(automatic=automatic), group="title", exclusive=True, exit_on_error=False
        )

    async def _name(self, *, automatic: bool) -> None:
        """Ask the conversation's model for a title: one small request, its cost shown."""
        conversation = self._conversation()
        answer = await ask_for_title(self._host.stream, conversation, self._host.settings.api_key)
        cost, title = answer.cost, answer.title
        if cost:
            self._host.session_cost += cost  # paid, even if the answer is not usable
            self._spent()
        if not title:
            self._screen.notify(
                f"Could not name the conversation ({one_line(answer.problem)}). It keeps its "
                "title; rename it from the history (F3, then F2).",
                severity="warning",
                timeout=8,
                markup=False,
            )
            return
        conversation.title = title
        if self._host.recorder is not None:
            self._host.recorder.save_conversation(conversation)
        paid = f" (cost {format_cost(cost)})" if cost else ""
        self._screen.notify(
            f"{'Named' if automatic else 'Renamed'} “{title}”{paid}.", markup=False, timeout=5
        )

    def _first_complete_reply(self, message: Message) -> bool:
        replies = [shown for shown in self._conversation().messages if shown.role == "assistant"]
        return (
            message.status is MessageStatus.COMPLETE
            and len(replies) == 1
            and replies[0] is message
            and not self._conversation().other_branches
        )

    def reply_ended(self, reply: Message) -> None:
        """A reply is complete: the first of a conversation may name it."""
        if self._host.settings.generate_titles and self._first_complete_reply(reply):
            self._name_conversation(automatic=True)
