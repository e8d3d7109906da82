"""Messages the turn's worker posts to the chat screen, and the history's thread to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from rillchat.store.problems import HistoryProblem
    from rillchat.store.recorder import Recorder


class TurnNews(Message):
    """What the chat's turn told is waiting in the screen's inbox.

    The worker posts one of these only when none is pending, and the screen shows every event
    that arrived meanwhile: a burst of a thousand tokens becomes a few UI updates instead of a
    thousand, and the reader still sees each token as soon as the UI is free."""


@dataclass
class SavingPaused(Message):
    """The history's thread could not write (posted from that thread): why, in words."""

    problem: HistoryProblem


@dataclass
class SavingResumed(Message):
    """The history's thread wrote what had waited (posted from that thread)."""


@dataclass
class HistoryOpened(Message):
    """The history, locked at start-up, could be opened (posted from the thread that tried)."""

    recorder: Recorder


@dataclass
class HistoryFailed(Message):
    """The history, locked at start-up, failed to open for another reason (posted from the
    thread that tried)."""

    text: str
