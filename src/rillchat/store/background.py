"""The thread that writes the history, with a connection of its own, so no one waits on SQLite.

It keeps the latest unsaved state of each conversation and message (rows taken by whoever
handed them over, see store/rows.py): a newer state replaces an older one not yet written, and
what could not be written (another program holding the lock, a full disk) stays and is tried
again until it is. It folds the write-ahead log back into the database file regularly, so the
main file holds what was saved even if the log is lost."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from rillchat.store.history import History
from rillchat.store.problems import HistoryProblem, ProblemKind, diagnose
from rillchat.store.rows import ConversationRow, MessageSave

T = TypeVar("T")

RETRY_INTERVAL = 0.5
"""Seconds between attempts while the history cannot be written."""
RESUMED_AFTER = 1.5
"""Seconds saving must work again, without failing, before it is said to have resumed: a
log given back on a full disk lets a few saves in before it is full again."""
CHECKPOINT_INTERVAL = 5.0
"""At most this long between foldings of the log into the database while a reply streams; a
finished message is folded in as soon as it is written."""

Job = Callable[[History], Any]


class BackgroundWriter:
    def __init__(
        self,
        history: History,
        database: Path,
        *,
        on_paused: Callable[[HistoryProblem], None],
        on_resumed: Callable[[], None],
    ) -> None:
        """`history` is this thread's own (a connection no other thread uses). `on_paused`
        is told once why saving stopped (again if the reason changes), `on_resumed` once it
        works again; both are called on this thread."""
        self._history = history
        self.database = database
        self._on_paused = on_paused
        self._on_resumed = on_resumed
        self._changed = threading.Condition()
        self._conversations: dict[str, ConversationRow] = {}
        self._messages: dict[str, MessageSave] = {}
        self._jobs: list[tuple[Job, Future[Any], bool]] = []
        self._deleted: set[str] = set()
        """Conversations deleted: a save of one that arrives later (a title that was on its
        way) must not bring it back."""
        self._writing = False
        self._closing = False
        self._hurry = threading.Event()
        self._problem: HistoryProblem | None = None
        self._working_since: float | None = None
        """While paused: when saving last started to work again."""
        self._unfolded = False
        """Something was written since the log was last folded into the database."""
        self._last_fold = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="rill-history", daemon=True)
        self._thread.start()

    # Handing over ------------------------------------------------------------------------

    def put(self, conversation: ConversationRow, message: MessageSave | None = None) -> None:
        """Write this state of the conversation (and of one of its messages) soon."""
        with self._changed:
            if conversation.id in self._deleted:
                return
            self._conversations[conversation.id] = conversation
            if message is not None:
                self._messages[message.row.id] = message
            self._changed.notify_all()

    def submit(self, job: Callable[[History], T], *, until_done: bool = False) -> Future[T]:
        """Run `job` with this thread's History. Its exception goes to the future, unless
        `until_done`: then it is tried again, as a save is, until the history lets it."""
        future: Future[T] = Future()
        with self._changed:
            self._jobs.append((job, future, until_done))
            self._changed.notify_all()
        return future

    def delete(self, conversation_id: str) -> Future[bool]:
        """Delete a conversation. What waits to be written of it is written first (in the
        same turn, before the delete), so a delete that fails (another program's lock)
        loses nothing; once it is done, later saves of it are ignored."""

        def delete(history: History) -> bool:
            deleted = history.delete(conversation_id)
            with self._changed:
                self._deleted.add(conversation_id)
                self._conversations.pop(conversation_id, None)
                self._messages = {
                    key: save
                    for key, save in self._messages.items()
                    if save.row.columns["conversation_id"] != conversation_id
                }
            return deleted

        return self.submit(delete)

    def flush(self, timeout: float) -> bool:
        """Wait until all that was handed over is written: False if it is not after
        `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._pending():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    def close(self, timeout: float) -> list[str]:
        """Write what is waiting (for `timeout` seconds at most, and one more attempt),
        fold the log into the database and close. Returns what could not be written, in
        words."""
        self.flush(timeout)
        with self._changed:
            self._closing = True
            self._hurry.set()
            self._changed.notify_all()
        self._thread.join(timeout=2)  # at most one attempt's wait on a lock
        with self._changed:
            return self._unsaved()

    @property
    def problem(self) -> HistoryProblem | None:
        """Why saving is paused now, or None while it works."""
        return self._problem

    # The thread --------------------------------------------------------------------------

    def _pending(self) -> bool:
        return bool(self._conversations or self._messages or self._jobs or self._writing)

    def _run(self) -> None:
        try:
            while (batch := self._take()) is not None:
                try:
                    failure = self._write_batch(*batch)
                finally:
                    with self._changed:
                        self._writing = False
                        self._changed.notify_all()
                if failure is not None:
                    if self._closing:
                        break
                    self._hurry.wait(RETRY_INTERVAL)
            if self._problem is None or self._working_since is not None:  # else it would fail
                self._fold(truncate=True)
        finally:
            self._history.close()

    def _write_batch(
        self,
        conversations: dict[str, ConversationRow],
        messages: dict[str, MessageSave],
        jobs: list[tuple[Job, Future[Any], bool]],
    ) -> sqlite3.Error | None:
        failure = self._write(conversations, messages)
        if failure is None:
            failure = self._run_jobs(jobs)
        else:  # they would only meet the same lock or full disk again
            self._answer_jobs_with(failure, jobs)
        if failure is None:
            self._written(
                settled=not messages or any(not save.row.streaming for save in messages.values())
            )
        else:
            self._paused(failure)
        return failure

    def _take(
        self,
    ) -> (
        tuple[
            dict[str, ConversationRow], dict[str, MessageSave], list[tuple[Job, Future[Any], bool]]
        ]
        | None
    ):
        """Wait for something to write (or for the log to be due for folding); None once
        closing with nothing left."""
        with self._changed:
            while not (self._pending() or self._closing):
                if not self._changed.wait(self._time_to_wake()) and (
                    self._unfolded or self._working_since is not None
                ):
                    break
            if self._closing and not self._pending():
                return None
            conversations, self._conversations = self._conversations, {}
            messages, self._messages = self._messages, {}
            jobs, self._jobs = self._jobs, []
            self._writing = True
            return conversations, messages, jobs

    def _written(self, *, settled: bool) -> None:
        """A batch went in: say so if saving had paused, and fold the log in when a message
        is finished (or it is time)."""
        if self._problem is not None:
            now = time.monotonic()
            if self._working_since is None:
                self._working_since = now
                if self._problem.kind is ProblemKind.FULL:  # the log grew while it could
                    self._fold(truncate=True)  # not start over: give it back
                    return
            if now - self._working_since < RESUMED_AFTER:
                return
            self._problem = self._working_since = None
            self._tell(self._on_resumed)
        if settled or time.monotonic() - self._last_fold >= CHECKPOINT_INTERVAL:
            self._fold()

    def _write(
        self, conversations: dict[str, ConversationRow], messages: dict[str, MessageSave]
    ) -> sqlite3.Error | None:
        if not conversations and not messages:
            return None
        try:
            self._history.write(conversations.values(), messages.values())
        except sqlite3.OperationalError as exc:  # busy, full, an I/O error: try again later
            self._give_back(conversations, messages)
            return exc
        except Exception:
            return self._write_one_by_one(conversations, messages)
        self._unfolded = True
        return None

    def _write_one_by_one(
        self, conversations: dict[str, ConversationRow], messages: dict[str, MessageSave]
    ) -> sqlite3.Error | None:
        """A row SQLite refuses for good (a bug) is reported and dropped; the rest go in. A
        lock or a full disk met on the way puts back all that is not written yet."""
        left_conversations, left_messages = dict(conversations), dict(messages)
        dropped: Exception | None = None
        for conversation in conversations.values():
            try:
                self._history.write([conversation], [])
            except sqlite3.OperationalError as exc:
                self._give_back(left_conversations, left_messages)
                return exc
            except Exception as exc:
                dropped = dropped or exc
            del left_conversations[conversation.id]
        for save in messages.values():
            owner = conversations.get(save.row.columns["conversation_id"])
            try:
                self._history.write([owner] if owner else [], [save])
            except sqlite3.OperationalError as exc:
                self._give_back({}, left_messages)
                return exc
            except Exception as exc:
                dropped = dropped or exc
            del left_messages[save.row.id]
        self._unfolded = True
        if dropped is not None:  # once for the turn, not once for each row it cost
            self._tell(
                self._on_paused,
                HistoryProblem(
                    ProblemKind.OTHER,
                    f"Rill could not save part of the conversation ({dropped}); "
                    "this is a bug in Rill",
                    "The conversation stays on screen: export it to keep it.",
                ),
            )
        return None

    @staticmethod
    def _tell(callback: Callable[..., None], *arguments: Any) -> None:
        """Call back whoever listens; what goes wrong there must not stop the saving."""
        try:
            callback(*arguments)
        except Exception:
            pass

    def _give_back(
        self, conversations: dict[str, ConversationRow], messages: dict[str, MessageSave]
    ) -> None:
        """Put back what was not written, under anything newer handed over meanwhile."""
        with self._changed:
            self._conversations = {**conversations, **self._conversations}
            kept = dict(messages)
            kept.update(self._messages)
            self._messages = kept

    def _answer_jobs_with(
        self, failure: sqlite3.Error, jobs: list[tuple[Job, Future[Any], bool]]
    ) -> None:
        """The jobs that wait for their turn go back in line; the others fail at once."""
        waiting = [job for job in jobs if job[2]]
        for _, future, until_done in jobs:
            if not until_done:
                future.set_exception(failure)
        with self._changed:
            self._jobs = waiting + self._jobs

    def _run_jobs(self, jobs: list[tuple[Job, Future[Any], bool]]) -> sqlite3.Error | None:
        failure = None
        for job, future, until_done in jobs:
            try:
                result = job(self._history)
            except sqlite3.OperationalError as exc:
                if not until_done:
                    future.set_exception(exc)
                    continue
                failure = exc
                with self._changed:
                    self._jobs.append((job, future, until_done))
            except BaseException as exc:
                future.set_exception(exc)
            else:
                self._unfolded = True
                future.set_result(result)
        return failure

    def _paused(self, failure: sqlite3.Error) -> None:
        problem = diagnose(failure, self.database)
        if problem.kind is ProblemKind.FULL:
            self._fold(truncate=True)  # a log grown large frees its space once folded in
        self._working_since = None
        if self._problem is None or self._problem.kind is not problem.kind:
            self._tell(self._on_paused, problem)
        self._problem = problem

    def _time_to_wake(self) -> float | None:
        """Seconds until the log is due for folding or a resumption for announcing."""
        moments = []
        if self._unfolded:
            moments.append(self._last_fold + CHECKPOINT_INTERVAL)
        if self._working_since is not None:
            moments.append(self._working_since + RESUMED_AFTER)
        return max(0.0, min(moments) - time.monotonic()) if moments else None

    def _fold(self, *, truncate: bool = False) -> None:
        """Copy the log's pages into the database file (a checkpoint). Passive: readers and
        other Rills are not waited for; what they hold is folded in next time."""
        mode = "TRUNCATE" if truncate else "PASSIVE"
        self._last_fold = time.monotonic()
        try:
            busy, pages, folded = self._history.connection.execute(
                f"PRAGMA wal_checkpoint({mode})"
            ).fetchone()
        except sqlite3.Error:
            return
        if not busy and pages == folded:
            self._unfolded = False

    def _unsaved(self) -> list[str]:
        titles = {row.id: row.title for row in self._conversations.values()}
        described = []
        for save in self._messages.values():
            columns = save.row.columns
            title = titles.get(columns["conversation_id"])
            what = {"user": "your prompt", "assistant": "a reply", "tool": "a tool's result"}.get(
                columns["role"], "a message"
            )
            where = f" in “{title}”" if title else ""
            described.append(f"{what}{where} ({save.row.text_length:,} characters)")
        return described
