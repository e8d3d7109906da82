"""Why the history could not be written, in words for the user: another program holding its
lock, a full disk (and how much of it the write-ahead log takes), or anything else SQLite
said. The chat, `rill ask` and `rill history` each add what they do about it."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

BIG_LOG = 1 << 20
"""A write-ahead log this big is worth naming when the disk is full."""
NEARLY_FULL = 1 << 16
"""Free bytes under which an I/O error counts as a full disk (SQLite does not always say)."""


class ProblemKind(StrEnum):
    BUSY = "busy"
    """Another program holds the database's write lock; it goes when that program is done."""
    FULL = "full"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class HistoryProblem:
    kind: ProblemKind
    reason: str
    """What is wrong, one sentence without its full stop."""
    advice: str
    """What the user can do about it, whole sentences (or empty)."""


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite gave up waiting for another connection's lock."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or (
        isinstance(exc, sqlite3.OperationalError) and "database is locked" in str(exc)
    )


def diagnose(exc: sqlite3.Error, database: Path) -> HistoryProblem:
    if is_busy(exc):
        return HistoryProblem(
            ProblemKind.BUSY,
            f"another program holds the history locked ({database})",
            "It lets go when that program (a database browser, a backup, another Rill "
            "importing) is done or closed.",
        )
    folder = database.parent
    name = getattr(exc, "sqlite_errorname", "") or ""
    free = _free_bytes(folder)
    if name == "SQLITE_FULL" or (
        name.startswith("SQLITE_IOERR") and free is not None and free < NEARLY_FULL
    ):
        where = folder if free is None else f"{folder}, {size_in_words(free)} free"
        return HistoryProblem(
            ProblemKind.FULL,
            f"the disk holding the history is full ({where})",
            "Free some space there." + _log_advice(database),
        )
    return HistoryProblem(
        ProblemKind.OTHER,
        f"the history could not be written ({exc})",
        f"Check the data folder {folder}: its permissions and its disk.",
    )


def _log_advice(database: Path) -> str:
    log = database.with_name(f"{database.name}-wal")
    try:
        size = log.stat().st_size
    except OSError:
        return ""
    if size < BIG_LOG:
        return ""
    return (
        f" The history's write-ahead log, {log.name}, takes {size_in_words(size)} of it: "
        "Rill folds it back into the history and cuts it short once it can. A program "
        "keeping the history open (a database browser, another Rill) can keep it from "
        "shrinking: close it. Never delete that file: it holds saved conversations."
    )


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def size_in_words(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        if size < 1000**2 or unit == "GB":
            shown = size / 1000
            return f"{shown:.0f} {unit}" if shown >= 10 else f"{shown:.1f} {unit}"
        size //= 1000
    raise AssertionError("unreachable")
