"""Where the user writes: multi-line, Enter sends, Up in an empty prompt recalls earlier ones."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Document, Edit, EditResult

from rillchat.terminal_text import visible_controls
from rillchat.ui.paste_fold import is_big, placeholder

NEWLINE_KEYS = frozenset({"shift+enter", "ctrl+j", "newline", "alt+enter"})
"""Many terminals cannot send Shift+Enter, so Ctrl+J (and Alt+Enter) insert a newline too."""


class PromptInput(TextArea):
    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 12;
        border: tall $primary 40%;
        padding: 0 1;
    }
    PromptInput:focus { border: tall $primary; }
    """

    BINDINGS = [
        Binding("f6", "expand_pastes", "Expand pastes", show=False, id="rill.expand-pastes")
    ]

    @dataclass
    class Submitted(Message):
        prompt_input: PromptInput
        text: str
        """All of it, each folded paste in full."""
        pastes: tuple[str, ...] = ()
        """The folded pastes in it, for the transcript to fold again."""

    class TakeBackQueued(Message):
        """Up in the empty prompt while a prompt is queued: the user wants it back to edit."""

    def __init__(
        self, *, placeholder: str = "", cursor_blink: bool = True, id: str | None = None
    ) -> None:
        super().__init__(
            id=id,
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            placeholder=placeholder,
        )
        self.cursor_blink = cursor_blink
        self.sent_prompts: list[str] = []
        """Prompts sent, oldest first."""
        self._recall_index: int | None = None
        self.queued = False
        """A prompt waits to be sent (the screen holds it): Up in the empty prompt asks for it
        back before it recalls earlier ones."""
        self._pastes: dict[str, str] = {}
        """Placeholder shown -> the paste it stands for, for the prompt being written."""

    # What is pasted (or loaded from a saved prompt) may hold escape sequences: the text area
    # would write them to the terminal as they are. Line ends become newlines; every other
    # control character shows as its symbol (ESC as ␛), so nothing pasted is hidden or lost,
    # and what is sent is what the prompt showed.

    def load_text(self, text: str) -> None:
        super().load_text(_typeable(text))

    def edit(self, edit: Edit) -> EditResult:
        edit.text = _typeable(edit.text)
        self._keep_placeholders_whole(edit)
        return super().edit(edit)

    def _keep_placeholders_whole(self, edit: Edit) -> None:
        """A paste's placeholder is one piece, so what is sent is never a half-edited
        placeholder standing for nothing: an edit that cuts into one takes it whole (one
        Backspace removes the paste, Ctrl+Z brings it back), and typing inside one goes
        after it."""
        if not self._pastes:
            return
        document, text = self.document, self.text
        assert isinstance(document, Document)  # a TextArea's own, not a syntax tree's
        first, last = sorted((edit.from_location, edit.to_location))
        start = document.get_index_from_location(first)
        end = document.get_index_from_location(last)
        for shown in self._pastes:
            at = text.find(shown)
            while at != -1:
                stop = at + len(shown)
                if start == end and at < start < stop:
                    start = end = stop
                elif start < stop and end > at and (start > at or end < stop):
                    start, end = min(start, at), max(end, stop)
                at = text.find(shown, stop)
        edit.from_location = document.get_location_from_index(start)
        edit.to_location = document.get_location_from_index(end)

    async def _on_paste(self, event: events.Paste) -> None:
        if self.read_only:
            return
        event.stop()
        event.prevent_default()
        self.paste(event.text)

    def paste(self, pasted: str) -> None:
        """Put a paste where the cursor is (over the selection), a big one folded."""
        text = _typeable(pasted)
        shown = self._fold(text) if is_big(text) else text
        if result := self._replace_via_keyboard(shown, *self.selection):
            self.move_cursor(result.end_location)
        self.focus()

    def _fold(self, pasted: str) -> str:
        """The placeholder for `pasted`. Each keeps its paste for as long as the prompt lives,
        so one brought back by Ctrl+Z (after sending, too) still expands."""
        shown = placeholder(pasted, len(self._pastes) + 1)
        self._pastes[shown] = pasted
        return shown

    @property
    def full_text(self) -> str:
        """The prompt as it will be sent: every folded paste in full."""
        text = self.text
        for shown, pasted in self._pastes.items():
            text = text.replace(shown, pasted)
        return text

    def _folded_pastes(self) -> tuple[str, ...]:
        """The pastes still folded, in the order they stand in the prompt."""
        text = self.text
        placed = sorted(
            (text.find(shown), pasted) for shown, pasted in self._pastes.items() if shown in text
        )
        return tuple(pasted for _, pasted in placed)

    class UnfoldTranscript(Message):
        """F6 with no folded paste in the prompt: unfold the prompts above instead."""

    def action_expand_pastes(self) -> None:
        """Put the folded pastes back in as text, to read or edit them; with none here, the
        transcript's folded prompts are shown in full."""
        if self._folded_pastes():
            self.load_text(self.full_text)
            self.move_cursor(self.document.end)
        else:
            self.post_message(self.UnfoldTranscript())

    async def _on_key(self, event: events.Key) -> None:
        key = event.key
        if key == "enter":
            event.stop()
            event.prevent_default()
            self._submit()
            return
        if key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if key == "up" and self.queued and not self.text:
            event.stop()
            event.prevent_default()
            self.post_message(self.TakeBackQueued())
            return
        if key == "up" and self._may_recall(older=True):
            event.stop()
            event.prevent_default()
            self._recall(older=True)
            return
        if key == "down" and self._may_recall(older=False):
            event.stop()
            event.prevent_default()
            self._recall(older=False)
            return
        await super()._on_key(event)

    def _submit(self) -> None:
        # Emptied here, as the Enter is read: keys that came in the same read as the Enter
        # (fast typing, a terminal sending a line at once) are handled before the screen
        # sees the Submitted message, and must start the next prompt, not be cleared with
        # this one. A prompt the screen does not send is given back.
        text = self.full_text
        if not text.strip():
            return
        pastes = self._folded_pastes()
        self.clear()
        self.post_message(self.Submitted(self, text, pastes))

    def give_back(self, text: str, pastes: tuple[str, ...] = ()) -> None:
        """Put a prompt that was not sent back in front of what was typed since, its big
        pastes folded again."""
        for pasted in pastes:
            text = text.replace(pasted, self._fold(pasted), 1)
        self.load_text(text + self.text)
        self.move_cursor(self.document.end)

    def remember(self, text: str) -> None:
        """Keep a sent prompt for recall, and start the next one afresh."""
        if not self.sent_prompts or self.sent_prompts[-1] != text:
            self.sent_prompts.append(text)
        self._recall_index = None

    def _may_recall(self, *, older: bool) -> bool:
        if not self.sent_prompts:
            return False
        if self._recall_index is None:
            return older and not self.text
        # Still showing a recalled prompt, unedited: keep walking through history from its
        # first line (older) or its last line (newer), as shells do.
        if self.text != self.sent_prompts[self._recall_index]:
            return False
        row = self.cursor_location[0]
        return row == 0 if older else row == self.document.line_count - 1

    def _recall(self, *, older: bool) -> None:
        index = self._recall_index
        if index is None:
            index = len(self.sent_prompts) - 1
        elif older:
            index = max(0, index - 1)
        else:
            index += 1
        if index >= len(self.sent_prompts):
            self._recall_index = None
            self.clear()
            return
        self._recall_index = index
        self.load_text(self.sent_prompts[index])
        self.move_cursor(self.document.end)


def _typeable(text: str) -> str:
    return visible_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
