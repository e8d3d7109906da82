"""Messages the reply worker posts to the chat screen."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message



@dataclass
class ReplyChunk(Message):
    """New events of a streaming reply are waiting in its inbox.

    The worker posts one of these only when none is pending, and the screen drains every event
    that arrived meanwhile: a burst of a thousand tokens becomes a few UI updates instead of a
    thousand, and the reader still sees each token as soon as the UI is free."""

    reply_id: int


@dataclass
class ReplyStopped(Message):
    """The user stopped the reply; posted after every chunk that arrived before the stop."""

    reply_id: int
