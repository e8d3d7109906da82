"""The history the app saves in: opened at start-up with the conversation asked for, opened
later if another program held its lock then, moved aside when it is not a database, closed
when Rill ends; and the notices that say when saving pauses and resumes."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rillchat.store.db import NotADatabase, StoreError, default_path
from rillchat.store.problems import ProblemKind, is_busy
from rillchat.store.recorder import (
    START_BUSY_TIMEOUT,
    Recorder,
    open_recorder,
    open_recorder_when_free,
)
from rillchat.ui.messages import HistoryFailed, HistoryOpened, SavingPaused, SavingResumed
from rillchat.ui.screens.chat import ChatScreen

if TYPE_CHECKING:
    from textual.app import App

    from rillchat.chat.conversation import Conversation
    from rillchat.store.history import History
    from rillchat.store.problems import HistoryProblem

LATEST = "latest"
"""`reopen` value for the most recently updated conversation (`rill --continue`)."""


class AppHistory:
    """The app's hold on the history file. The history's threads tell the app by message
    (`HistoryOpened`, `HistoryFailed`, `SavingPaused`, `SavingResumed`, posted to `app`), and
    the app hands each message to the method here that answers it."""

    def __init__(self, app: App[Any], path: Path | None, reopen: str | None) -> None:
        self._app = app
        self._path = path
        self._reopen = reopen
        """A saved conversation to open: an id (or its start), or LATEST."""
        self.reopened: Conversation | None = None
        """That conversation, once the history is open and has it."""
        self.recorder: Recorder | None = None
        """Saves the conversation as it happens; None when the history cannot be opened."""
        self.problem: str | None = None
        """Why the history is off, in words for the user."""
        self.unreadable: Path | None = None
        """The history file, when it is not a database and could be moved aside."""
        self._locked = False
        """Another program held the history's lock at start-up: it is tried again."""
        self._stop_reopening: threading.Event | None = None

    def open(self) -> None:
        path = self._path or default_path()
        try:
            recorder = self._open_recorder(path, busy_timeout=START_BUSY_TIMEOUT)
        except (StoreError, sqlite3.Error, OSError) as exc:
            self._locked = is_busy(exc)
            self.problem = (
                f"Another program holds the history locked ({path}). Rill tries again every "
                "few seconds, and saves this conversation once it opens."
                if self._locked
                else str(exc)
            )
            self.unreadable = exc.path if isinstance(exc, NotADatabase) else None
            if self._locked:
                self._open_when_free()
            return
        self.problem = self.unreadable = None
        self.recorder = recorder
        if self._reopen is not None:
            self.reopened = self._load(recorder.history, self._reopen)

    def _open_recorder(self, path: Path, *, busy_timeout: float) -> Recorder:
        return open_recorder(
            path,
            busy_timeout=busy_timeout,
            on_paused=self._saving_paused,
            on_resumed=self._saving_resumed,
        )

    # The history's thread tells the app, thread-safely (by message), when saving stops and
    # starts again.
    def _saving_paused(self, problem: HistoryProblem) -> None:
        self._app.post_message(SavingPaused(problem))

    def _saving_resumed(self) -> None:
        self._app.post_message(SavingResumed())

    def _open_when_free(self) -> None:
        """The history was locked at start-up: open it, off the UI thread, once it is not."""

        def opened(recorder: Recorder) -> None:
            if not self._app.post_message(HistoryOpened(recorder)):  # the app is gone
                recorder.close(0)

        def failed(exc: Exception) -> None:
            self._app.post_message(HistoryFailed(f"The history still cannot be opened: {exc}"))

        self._stop_reopening = open_recorder_when_free(
            self._path or default_path(),
            on_open=opened,
            on_failed=failed,
            on_paused=self._saving_paused,
            on_resumed=self._saving_resumed,
        )

    def failed(self, message: HistoryFailed) -> None:
        self._app.notify(
            message.text, title="History is off", severity="error", timeout=10, markup=False
        )

    def opened(self, message: HistoryOpened) -> None:
        if self.recorder is not None or not self._locked:  # moved aside meanwhile
            # Closing waits for its thread (up to an attempt on a lock): not on this one.
            threading.Thread(target=message.recorder.close, args=(0,), daemon=True).start()
            return
        self.recorder = message.recorder
        self.problem = None
        self._locked = False
        for screen in self._app.screen_stack:
            if isinstance(screen, ChatScreen):
                screen.history_came_on()
        self._app.notify(
            "The other program let go of it; this conversation is saved.",
            title="History is on",
            timeout=6,
            markup=False,
        )

    def saving_paused(self, message: SavingPaused) -> None:
        problem = message.problem
        self._app.notify(
            f"{problem.reason[0].upper()}{problem.reason[1:]}. {problem.advice} "
            "What arrives meanwhile is kept, and saved as soon as it can be; a notice "
            "says when.",
            title="Not saved yet",
            severity="warning" if problem.kind is ProblemKind.BUSY else "error",
            timeout=30,
            markup=False,
        )

    def saving_resumed(self, message: SavingResumed) -> None:
        self._app.notify(
            "The history has everything that had to wait.",
            title="Saved again",
            timeout=6,
            markup=False,
        )

    def move_aside(self) -> Path:
        """Rename the unreadable history file (never delete it) and start a fresh one.
        Returns where the old file went."""
        old = self.unreadable
        assert old is not None
        kept = old.with_name(f"{old.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        old.rename(kept)
        self._path = old
        self.open()
        return kept

    def _load(self, history: History, wanted: str) -> Conversation | None:
        try:
            conversation_id = history.latest_id() if wanted == LATEST else history.find_id(wanted)
        except LookupError as exc:
            self._app.notify(exc.args[0], title="Not reopened", severity="warning", markup=False)
            return None
        if conversation_id is None:
            self._app.notify(
                "There is no saved conversation to continue yet.",
                title="Not reopened",
                severity="warning",
            )
            return None
        return history.load(conversation_id)

    async def close(self, wait: float) -> str | None:
        """Stop trying the lock and close the history, waiting up to `wait` seconds for it to
        take what is not saved yet. What it could not take, in words for the terminal."""
        if self._stop_reopening is not None:
            self._stop_reopening.set()
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        unsaved = await asyncio.to_thread(recorder.close, wait)
        if not unsaved:
            return None
        problem = recorder.problem
        why = f" Why: {problem.reason}." if problem is not None else ""
        return f"not saved in the history: {', '.join(unsaved)}.{why}"
