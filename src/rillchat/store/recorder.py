"""Saving a conversation while it happens: the prompt when it is sent, the reply from its first
event, at most every half second while it streams, and once more when it ends."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from rillchat.chat.conversation import Conversation, Message
from rillchat.store.history import History

FLUSH_INTERVAL = 0.5
"""Seconds between saves of a streaming reply: a crash loses at most this much of it."""


class Recorder:
    """Writes through `History`; a failed write is reported once to `on_error` and the chat
    goes on, since losing the ability to save must not lose the reply on screen."""

    def __init__(self, history: History, *, on_error: Callable[[str], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.history = history
        self._on_error = on_error
        self._clock = clock
        self._last_flush: dict[str, float] = {}
        self._failed = False

    def save(self, conversation: Conversation, message: Message) -> None:
        """Save now: a prompt just sent, a reply that ended, a title that changed."""
        self._last_flush[message.id] = self._clock()
        self._write(conversation, message)

    def progress(self, conversation: Conversation, message: Message) -> None:
        """A reply grew: save it when it is new or the last save is old enough."""
        last = self._last_flush.get(message.id)
        if last is None or self._clock() - last >= FLUSH_INTERVAL:
            self.save(conversation, message)

    def save_conversation(self, conversation: Conversation) -> None:
        """The conversation itself changed (its title, the branch shown), not a message."""
        self._write(conversation, None)

    def _write(self, conversation: Conversation, message: Message | None) -> None:
        try:
            if message is None:
                self.history.save_conversation(conversation)
            else:
                self.history.save_message(conversation, message)
        except sqlite3.Error as exc:
            if not self._failed:
                self._failed = True
                self._on_error(f"Could not save to the history ({exc}); the conversation stays "
                               "on screen. Check free space and the data folder.")
        else:
            self._failed = False
