"""A prompt sent while a reply streams waits, shown above the prompt box, and goes once the
reply ends well; otherwise it is given back to edit. One left unsent when Rill closes is kept
with its conversation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.screen import Screen

from rillchat.chat.conversation import Conversation, MessageStatus
from rillchat.store.recorder import Recorder
from rillchat.ui.widgets.prompt_input import PromptInput
from rillchat.ui.widgets.queued_prompt import QueuedPromptBar


class PromptQueue:
    def __init__(self, screen: Screen[None], prompt: PromptInput, bar: QueuedPromptBar) -> None:
        self._screen = screen
        self._prompt = prompt
        self._bar = bar
        self.text: str | None = None
        """The prompt waiting for the reply to end."""
        self._pastes: tuple[str, ...] = ()
        """The folded pastes in it, to fold again in the transcript."""

    def hold(self, text: str, pastes: tuple[str, ...]) -> bool:
        """Queue a prompt; False (having said why) when one is queued already."""
        if self.text is not None:
            self._screen.notify(
                "A prompt is queued already: Up in the empty prompt takes it back to "
                "edit. Your message is still in the prompt.",
                severity="warning",
                markup=False,
            )
            return False
        self._prompt.remember(text)
        self._pastes = pastes
        self._show(text)
        return True

    def _show(self, text: str | None) -> None:
        self.text = text
        self._prompt.queued = text is not None
        self._bar.show_queued(text)

    def take_back(self) -> None:
        """The queued prompt back in the prompt box, before what was typed since."""
        text = self.text
        if text is None:
            return
        self._show(None)
        self._prompt.give_back(text + ("\n" if self._prompt.text else ""), self._pastes)
        self._prompt.focus()

    async def settle(
        self,
        conversation: Conversation,
        send: Callable[[str, tuple[str, ...]], Awaitable[bool]],
    ) -> None:
        """The turn ended: send the queued prompt if its last reply ended well; else give
        it back."""
        if self.text is None:
            return
        last = next(
            (
                message
                for message in reversed(conversation.messages)
                if message.role == "assistant"
            ),
            None,
        )
        status = last.status if last is not None else MessageStatus.FAILED
        if status is MessageStatus.COMPLETE:
            text, pastes = self.text, self._pastes
            self._show(None)
            if not await send(text, pastes):
                self._prompt.give_back(text + ("\n" if self._prompt.text else ""), pastes)
            return
        self.give_back(
            "the reply failed"
            if status is MessageStatus.FAILED
            else f"the reply was {status.value}"
        )

    def give_back(self, why: str) -> None:
        """Not sent after all: back in the prompt box, and the user is told why."""
        if self.text is None:
            return
        self.take_back()
        self._screen.notify(
            f"Your queued message was not sent, as {why}: it is back in the prompt.",
            timeout=6,
            markup=False,
        )


def keep_unsent_prompt(recorder: Recorder | None, conversation: Conversation, unsent: str) -> None:
    """Rill is closing with a prompt unsent: it is kept with the conversation."""
    if recorder is None or not unsent.strip() or not conversation.messages:
        return  # a conversation not saved yet has no place for it
    conversation_id = conversation.id
    recorder.change(lambda history: history.save_draft(conversation_id, unsent))


def take_saved_draft(recorder: Recorder | None, conversation: Conversation) -> str:
    """The prompt left unsent when Rill last closed on this conversation, for the prompt box
    (and no longer kept apart from it)."""
    draft, conversation.draft = conversation.draft, ""
    conversation_id = conversation.id
    if recorder is not None:
        recorder.change(lambda history: history.save_draft(conversation_id, None))
    return draft
