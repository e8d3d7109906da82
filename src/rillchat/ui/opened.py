"""What the history screen answers with, for the app to open."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Opened:
    """What the user chose: a conversation, and the search hit to open it at."""

    conversation_id: str
    message_id: str | None = None
    kind: str | None = None
