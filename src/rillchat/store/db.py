"""Opening the history database: WAL, foreign keys, a busy timeout, and the schema brought up
to date. Problems come out as `StoreError`s whose message says what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rillchat.paths import data_dir
from rillchat.store.migrations import LATEST_VERSION, MIGRATIONS

DATABASE_NAME = "history.sqlite3"
BUSY_TIMEOUT = 5.0
"""Seconds a write waits for another program holding the database before giving up."""
LOG_SIZE_LIMIT = 4 << 20
"""Bytes the write-ahead log is cut back to once folded into the database: a log that grew
large (a big import) gives the space back."""


class StoreError(Exception):
    """The history cannot be used as it is; the message says why and what to do."""


class NotADatabase(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is not a Rill history database (SQLite could not read it). "
                         "Move it aside to start a fresh history; Rill never deletes it.")
        self.path = path


class NewerDatabase(StoreError):
    def __init__(self, path: Path, version: int) -> None:
        super().__init__(f"{path} was written by a newer Rill (schema {version}, this Rill knows "
                         f"up to {LATEST_VERSION}). Update Rill to open it.")
        self.path = path
        self.version = version


def default_path() -> Path:
    return data_dir() / DATABASE_NAME


def open_database(path: Path | None = None, *,
                  busy_timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the history database. `busy_timeout`: seconds
    to wait for another program's lock, at each statement."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                                 check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA journal_size_limit = {LOG_SIZE_LIMIT}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
        migrate(connection, path)
    except sqlite3.DatabaseError as exc:
        connection.close()
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise NotADatabase(path) from exc
        raise
    except StoreError:
        connection.close()
        raise
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlite3.Connection, path: Path, *, to: int = LATEST_VERSION) -> None:
    """Apply every migration newer than the database up to `to`, each in its own
    transaction. (`to` below the latest builds old databases for the migration tests.)"""
    version = schema_version(connection)
    if version > LATEST_VERSION:
        raise NewerDatabase(path, version)
    for number in range(version + 1, to + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(connection) >= number:  # another Rill migrated meanwhile
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[number - 1]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements; a trigger body's `;` stays inside its statement."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements
