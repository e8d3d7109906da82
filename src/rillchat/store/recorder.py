"""Saving a conversation while it happens: the prompt when it is sent, the reply from its first
event, at most every half second while it streams, and once more when it ends.

Nobody waits for the disk: each save takes a copy of what changed (store/rows.py) and hands it
to the history's own thread (store/background.py), which writes it, and keeps it until it can
when another program holds the lock or the disk is full."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

from rillchat.chat.conversation import Conversation, Message
from rillchat.store.background import RETRY_INTERVAL, BackgroundWriter
from rillchat.store.db import BUSY_TIMEOUT, StoreError, open_database
from rillchat.store.history import History
from rillchat.store.problems import HistoryProblem, is_busy
from rillchat.store.rows import ConversationRow, MessageSave, branch_rows
from rillchat.store.writers import WriterLease, leases_folder

T = TypeVar("T")

FLUSH_INTERVAL = 0.5
"""Seconds between saves of a streaming reply: a crash loses at most this much of it."""
WRITER_BUSY_TIMEOUT = 1.0
"""How long one attempt of the history's thread waits for another program's lock before it
lets newer saves join in and tries again."""
START_BUSY_TIMEOUT = 0.1
"""How long start-up waits for a lock before leaving the work to the history's thread."""
REOPEN_BUSY_TIMEOUT = 2.0
"""How long each new attempt to open a history locked at start-up waits for the lock."""


class Recorder:
    def __init__(
        self,
        history: History,
        writer: BackgroundWriter,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.history = history
        """For reading, on the thread that made the Recorder (in WAL mode another program's
        lock does not hold up reading)."""
        self._writer = writer
        self._clock = clock
        self._last_flush: dict[str, float] = {}

    def save(self, conversation: Conversation, message: Message) -> None:
        """Save now: a prompt just sent, a reply that ended, a title that changed."""
        self._last_flush[message.id] = self._clock()
        self._writer.put(ConversationRow.of(conversation), MessageSave.of(conversation, message))

    def progress(self, conversation: Conversation, message: Message) -> None:
        """A reply grew: save it when it is new or the last save is old enough."""
        last = self._last_flush.get(message.id)
        if last is None or self._clock() - last >= FLUSH_INTERVAL:
            self.save(conversation, message)

    def save_conversation(self, conversation: Conversation) -> None:
        """The conversation itself changed (its title, the branch shown), not a message."""
        self._writer.put(ConversationRow.of(conversation))

    def change(self, job: Callable[[History], T]) -> Future[T]:
        """Another change to the history (a rename), made on its thread; the future says
        how it went."""
        return self._writer.submit(job)

    def delete(self, conversation_id: str) -> Future[bool]:
        """Delete a conversation, after what waits to be saved of it (so a delete refused by
        another program's lock loses nothing)."""
        return self._writer.delete(conversation_id)

    def save_branches(self, conversation: Conversation) -> None:
        """Save the branches not shown (the shown one is saved message by message): for a
        conversation that began while the history was off."""
        rows = branch_rows(conversation)
        if rows:
            self._writer.submit(lambda history: history.write_rows(rows), until_done=True)

    @property
    def database(self) -> Path:
        return self._writer.database

    @property
    def problem(self) -> HistoryProblem | None:
        """Why saving is paused now, or None while it works."""
        return self._writer.problem

    def flush(self, timeout: float) -> bool:
        """Wait until every save so far is written: False if not after `timeout` seconds."""
        return self._writer.flush(timeout)

    def close(self, timeout: float) -> list[str]:
        """Write what is waiting (waiting `timeout` seconds at most) and close. Returns what
        could not be saved, in words."""
        try:
            return self._writer.close(timeout)
        finally:
            self.history.close()


def open_recorder(
    path: Path,
    *,
    on_paused: Callable[[HistoryProblem], None],
    on_resumed: Callable[[], None],
    busy_timeout: float = BUSY_TIMEOUT,
) -> Recorder:
    """Open the history at `path` for reading here and writing on its own thread, and mark
    interrupted the replies Rills that went away left streaming. `on_paused` and
    `on_resumed` are called on that thread (see BackgroundWriter). `busy_timeout`: how long
    to wait for a lock while the schema is brought up to date. Raises StoreError or
    sqlite3.Error when the history cannot be opened."""
    lease = WriterLease(leases_folder(path))
    opened: list[sqlite3.Connection] = []
    try:
        opened.append(open_database(path, busy_timeout=busy_timeout))
        opened.append(open_database(path, busy_timeout=WRITER_BUSY_TIMEOUT))
    except BaseException:
        for connection in opened:
            connection.close()
        lease.release()
        raise
    reader, writing = History(opened[0]), History(opened[1], writer=lease)
    marked = _mark_interrupted_now(writing)
    writer = BackgroundWriter(writing, path, on_paused=on_paused, on_resumed=on_resumed)
    if not marked:
        writer.submit(History.mark_interrupted, until_done=True)
    return Recorder(reader, writer)


def open_recorder_when_free(
    path: Path,
    *,
    on_open: Callable[[Recorder], None],
    on_failed: Callable[[Exception], None],
    on_paused: Callable[[HistoryProblem], None],
    on_resumed: Callable[[], None],
) -> threading.Event:
    """For a history another program held locked when it was first opened: try again on a
    thread of its own until it opens (`on_open`) or fails for another reason (`on_failed`),
    both called on that thread. Setting the event returned stops trying."""
    stop = threading.Event()

    def keep_trying() -> None:
        while not stop.is_set():
            try:
                recorder = open_recorder(
                    path,
                    on_paused=on_paused,
                    on_resumed=on_resumed,
                    busy_timeout=REOPEN_BUSY_TIMEOUT,
                )
            except (StoreError, sqlite3.Error, OSError) as exc:
                if is_busy(exc):
                    # Mostly the attempt waited for the lock already; SQLite also says busy
                    # at once (a recovery under way), which must not spin.
                    stop.wait(RETRY_INTERVAL)
                    continue
                on_failed(exc)
                return
            if stop.is_set():
                recorder.close(0)
            else:
                on_open(recorder)
            return

    threading.Thread(target=keep_trying, name="rill-history-reopen", daemon=True).start()
    return stop


def _mark_interrupted_now(history: History) -> bool:
    """Try at once, so a conversation reopened at start shows its cut reply as such; False
    when the history cannot be written now (another program's lock, a full disk): the
    history's thread tries again."""
    connection = history.connection
    connection.execute(f"PRAGMA busy_timeout = {int(START_BUSY_TIMEOUT * 1000)}")
    try:
        history.mark_interrupted()
    except sqlite3.OperationalError:
        return False
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(WRITER_BUSY_TIMEOUT * 1000)}")
    return True
