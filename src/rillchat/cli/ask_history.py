"""Where `rill ask` keeps its exchange."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from rillchat.chat.conversation import Conversation, Message, title_from_prompt
from rillchat.cli.errors import UsageError

if TYPE_CHECKING:
    from rillchat.store.problems import HistoryProblem
    from rillchat.store.recorder import Recorder

SAVE_WAIT = 5.0
"""Seconds `rill ask` waits at the end for the history to take the exchange (another program
may hold its lock)."""


class AskHistory:
    """Where `rill ask` keeps its exchange: the history, unless told not to or it cannot be
    opened (then it says so once and the answer still comes). Saving happens on the history's
    own thread, so a locked history or a full disk never holds up the answer. What it has to
    say goes to `say` (a line for stderr), from that thread too."""

    def __init__(
        self,
        recorder: Recorder | None,
        say: Callable[[str], None],
        *,
        save: bool,
        not_saved: str | None = None,
    ) -> None:
        self._recorder = recorder
        self._history = recorder.history if recorder is not None else None
        self._say = say
        self._save = save and recorder is not None
        self.not_saved = not_saved
        """Why the exchange is not in the history, when it should have been: it could not be
        written (another program holding it, a full disk)."""

    @classmethod
    def open(cls, say: Callable[[str], None], *, save: bool, needed: bool) -> AskHistory:
        if not save and not needed:
            return cls(None, say, save=False)
        from rillchat.store.db import StoreError, default_path
        from rillchat.store.problems import diagnose, is_busy
        from rillchat.store.recorder import open_recorder

        def paused(problem: HistoryProblem) -> None:
            say(f"rill: saving waits: {problem.reason}. {problem.advice}".rstrip())

        def resumed() -> None:
            say("rill: saved after all")

        path = default_path()
        try:
            recorder = open_recorder(path, on_paused=paused, on_resumed=resumed)
        except (StoreError, sqlite3.Error, OSError) as exc:
            reason = diagnose(exc, path).reason if isinstance(exc, sqlite3.Error) else str(exc)
            if needed:
                raise UsageError(f"cannot continue: {reason}") from exc
            say(f"rill: not saving this exchange: {reason}")
            busy = isinstance(exc, sqlite3.Error) and is_busy(exc)
            return cls(None, say, save=False, not_saved=reason if busy else None)
        return cls(recorder, say, save=save)

    def conversation(self, args: argparse.Namespace, model: str) -> Conversation:
        if not args.continue_latest:
            return Conversation(model=model, system_prompt=args.system)
        history = self._history
        latest = history.latest_id() if history is not None else None
        conversation = history.load(latest) if history is not None and latest else None
        if conversation is None:
            raise UsageError("there is no saved conversation to continue yet")
        if args.model:
            conversation.model = args.model
        if args.system:
            conversation.system_prompt = args.system
        return conversation

    def save(self, conversation: Conversation, message: Message) -> None:
        """Save now: the prompt, a reply that ended, a tool result."""
        if self._recorder is not None and self._save:
            if conversation.title is None and message.role == "user":
                conversation.title = title_from_prompt(message.text)
            self._recorder.save(conversation, message)

    def progress(self, conversation: Conversation, message: Message) -> None:
        """A reply grew: saved when the last save is old enough."""
        if self._recorder is not None and self._save:
            self._recorder.progress(conversation, message)

    def save_conversation(self, conversation: Conversation) -> None:
        if self._recorder is not None and self._save:
            self._recorder.save_conversation(conversation)

    def close(self) -> None:
        """Wait (a while) for the exchange to be written, and say so when it could not be."""
        if self._recorder is None:
            return
        unsaved = self._recorder.close(SAVE_WAIT if self._save else 0)
        if not unsaved:
            return
        problem = self._recorder.problem
        self.not_saved = problem.reason if problem is not None else "it could not be written"
        self._say(
            f"rill: not saved in the history: {self.not_saved}, still after "
            f"{SAVE_WAIT:g} s. The answer above is all there is of this exchange; try "
            "again once that is over, or use --no-save."
        )
