"""Copying from the chat (a reply, the focused message, a code block) and exporting its
conversation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen

from rillchat.chat.conversation import Conversation, Message
from rillchat.terminal_text import one_line
from rillchat.ui.code_blocks import CodeBlock
from rillchat.ui.widgets.branch_bar import BranchBar
from rillchat.ui.widgets.conversation_view import Reply


class ChatCopier:
    def __init__(
        self,
        screen: Screen[None],
        conversation: Callable[[], Conversation],
        replies: Callable[[], list[Reply]],
    ) -> None:
        self._screen = screen
        self._conversation = conversation
        """The screen's conversation now (Ctrl+N starts another)."""
        self._replies = replies

    def last_reply_text(self) -> str | None:
        for reply in reversed(self._replies()):
            if reply.message.text:
                return reply.message.text
        return None

    def last_code_blocks(self) -> list[CodeBlock]:
        text = self.last_reply_text()
        from rillchat.ui.code_blocks import code_blocks

        return code_blocks(text) if text else []

    def copy_selection(self) -> bool:
        """Copy the text selected on the screen, if any."""
        selected = self._screen.get_selected_text()
        if selected:
            self._screen.app.copy_to_clipboard(selected)
            self._screen.notify("Copied the selected text.", timeout=2)
        return bool(selected)

    def copy_focused_or_say(self) -> None:
        """Ctrl+C with nothing to stop: copy the message that has the focus, else say what
        Ctrl+C does."""
        if self.focused_message() is not None:
            self.copy_message()
            return
        self._screen.notify(
            "Nothing to stop or copy: Ctrl+C stops a reply, or copies the selected "
            "text or the message that has the focus (Shift+Tab reaches them). "
            "Ctrl+Q quits.",
            timeout=4,
        )

    def copy_last_reply(self) -> None:
        text = self.last_reply_text()
        if text is None:
            self._screen.notify("No reply to copy yet.", severity="warning")
            return
        self._screen.app.copy_to_clipboard(text)
        self._screen.notify(f"Copied the last reply ({len(text):,} characters) to the clipboard.")

    def copy_message(self) -> None:
        """Copy the message that holds the focus (Tab reaches a reply's reasoning, tool
        calls and buttons), or else the last reply, and say which was copied."""
        message, focused = self.focused_message(), True
        if message is None:
            focused = False
            message = next(
                (
                    shown
                    for shown in reversed(self._conversation().messages)
                    if shown.role == "assistant" and shown.text
                ),
                None,
            )
        if message is None:
            self._screen.notify("No message to copy yet.", severity="warning")
            return
        part = message.tool_result_part
        text = part.content if part is not None else message.text
        what = {"user": "prompt", "tool": "tool result"}.get(message.role, "reply")
        if not text:
            self._screen.notify(f"The focused {what} has no text to copy.", severity="warning")
            return
        self._screen.app.copy_to_clipboard(text)
        which = f"the focused {what}" if focused else "the last reply (no message had the focus)"
        start = one_line(text)
        start = start if len(start) <= 40 else start[:39] + "…"
        self._screen.notify(f"Copied {which}, {len(text):,} characters: “{start}”.", markup=False)

    def focused_message(self) -> Message | None:
        widget = self._screen.focused
        while widget is not None and widget is not self._screen:
            if widget.has_class("-turn") and not isinstance(widget, BranchBar):
                message_id = getattr(widget, "message_id", None)
                return self._conversation().message_by_id(message_id) if message_id else None
            widget = widget.parent  # type: ignore[assignment]
        return None

    def export_conversation(self) -> None:
        if not self._conversation().messages:
            self._screen.notify("Nothing to export yet: send a message first.", severity="warning")
            return
        from rillchat.config.paths import export_folder
        from rillchat.ui.screens.dialogs import ExportDialog
        from rillchat.ui.screens.history import export_name

        conversation = self._conversation()
        suggested = export_folder() / export_name(conversation.title, conversation.id)
        self._screen.app.push_screen(
            ExportDialog(suggested), lambda answer: self._export_to(conversation, answer)
        )

    def _export_to(self, conversation: Conversation, answer: tuple[str, Path] | None) -> None:
        if answer is None:
            return
        from rillchat.ui.export_notice import export_and_tell

        kind, path = answer
        export_and_tell(self._screen, conversation, kind, path)

    def copy_code_block(self, block: CodeBlock) -> None:
        self._screen.app.copy_to_clipboard(block.code)
        self._screen.notify(f"Copied a code block ({block.label}) to the clipboard.", markup=False)
