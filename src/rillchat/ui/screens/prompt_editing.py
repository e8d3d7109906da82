"""Editing an earlier prompt: it goes in the prompt box, marked in the conversation, and
sending it starts a new branch there; cancelling gives back what was being written."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Static

from rillchat.chat.conversation import Conversation, Message
from rillchat.ui.widgets.conversation_view import ConversationView
from rillchat.ui.widgets.prompt_input import PromptInput


class EditingNotice(Static):
    """The line above the prompt that says which prompt is being edited."""

    DEFAULT_CSS = """
    EditingNotice {
        height: auto; display: none; padding: 0 2;
        background: $warning 25%; color: $text;
    }
    EditingNotice.-visible { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)


class PromptEditing:
    def __init__(
        self,
        screen: Screen[None],
        prompt: PromptInput,
        view: ConversationView,
        notice: EditingNotice,
        conversation: Callable[[], Conversation],
        busy: Callable[[], bool],
    ) -> None:
        self._screen = screen
        self._conversation = conversation
        """The screen's conversation now (Ctrl+N starts another)."""
        self._busy = busy
        self._prompt = prompt
        self._view = view
        self._notice = notice
        """The line above the prompt that says which prompt is being edited."""
        self.editing: Message | None = None
        """The earlier prompt being edited, to be sent again as a new branch."""
        self._draft = ""
        """What was in the prompt before editing began, given back if the edit is cancelled."""

    def editable_prompts(self) -> list[tuple[int, Message]]:
        """The prompts of the shown branch, numbered from 1, for the palette."""
        messages = self._conversation().messages
        return list(enumerate([message for message in messages if message.role == "user"], 1))

    def start_last(self) -> None:
        prompts = self.editable_prompts()
        if not prompts:
            self._screen.notify("No prompt to edit yet.", severity="warning")
            return
        self.start(prompts[-1][1])

    def start(self, message: Message) -> None:
        """Put an earlier prompt in the prompt box; sending it starts a new branch there."""
        if self._busy():
            self._screen.notify(
                "A reply or its tool calls are still going: press Escape to stop them first.",
                severity="warning",
            )
            return
        conversation = self._conversation()
        if self.editing is None:
            self._draft = self._prompt.full_text
        else:
            self._unmark()
        self.editing = message
        messages = conversation.messages
        position = sum(
            1 for shown in messages[: messages.index(message) + 1] if shown.role == "user"
        )
        self._notice.update(
            f"Editing prompt {position}: Enter sends it as a new branch (the old "
            "one is kept) · Escape cancels"
        )
        self._notice.add_class("-visible")
        widget = self._view.widget_of(message.id)
        if widget is not None:
            widget.add_class("-editing")
            self._view.show_widget(widget)
        self._prompt.load_text(message.text)
        self._prompt.move_cursor(self._prompt.document.end)
        self._prompt.focus()

    def finish(self) -> Message | None:
        """The prompt being sent in place of the edited one, if one was being edited."""
        edited, self._draft = self.editing, ""
        if edited is not None:
            self._stop()
        return edited

    def cancel(self) -> bool:
        """Stop editing, with the prompt box as it was before; whether anything was."""
        if self.editing is None:
            return False
        self._stop()
        self._prompt.load_text(self._draft)
        self._prompt.move_cursor(self._prompt.document.end)
        self._draft = ""
        return True

    def _stop(self) -> None:
        self._unmark()
        self.editing = None
        self._notice.remove_class("-visible")

    def _unmark(self) -> None:
        for widget in self._view.query(".-editing"):
            widget.remove_class("-editing")
