"""Opening the history database: WAL, foreign keys, a busy timeout, and the schema brought up
to date. Problems come out as `StoreError`s whose message says what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rillchat.config.paths import data_dir
from rillchat.private_files import create_private_file, private_file, private_folder
from rillchat.store.migrations import LATEST_VERSION, MIGRATIONS, statements

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
        super().__init__(
            f"{path} is not a Rill history database (SQLite could not read it). "
            "Move it aside to start a fresh history; Rill never deletes it."
        )
        self.path = path


class NewerDatabase(StoreError):
    def __init__(self, path: Path, version: int) -> None:
        super().__init__(
            f"{path} was written by a newer Rill (schema {version}, this Rill knows "
            f"up to {LATEST_VERSION}). Update Rill to open it."
        )
        self.path = path
        self.version = version


def default_path() -> Path:
    return data_dir() / DATABASE_NAME


def open_database(
    path: Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT
) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the history database. `busy_timeout`: seconds
    to wait for another program's lock, at each statement. The database, its -wal and -shm
    and their folder are made readable by their owner only."""
    path = path or default_path()
    private_folder(path.parent)
    create_private_file(path)
    companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    for companion in companions:  # left by an older Rill, or one that died
        private_file(companion)
    connection = sqlite3.connect(
        path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA journal_size_limit = {LOG_SIZE_LIMIT}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = NORMAL")
        migrate(connection, path)
        for companion in companions:  # SQLite gives new ones the database's mode; made sure
            private_file(companion)
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
    transaction. (`to` below the latest builds old databases for the migration tests.)
    What a migration rewrites or deletes is overwritten in the file, not just unlinked, and
    the write-ahead log is emptied afterwards: a migration that masks a key must leave no
    copy of it behind."""
    version = schema_version(connection)
    if version > LATEST_VERSION:
        raise NewerDatabase(path, version)
    if version >= to:
        return
    secure_delete = connection.execute("PRAGMA secure_delete").fetchone()[0]
    connection.execute("PRAGMA secure_delete = ON")
    try:
        for number in range(version + 1, to + 1):
            _apply(connection, number)
    finally:
        connection.execute(f"PRAGMA secure_delete = {int(secure_delete)}")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _apply(connection: sqlite3.Connection, number: int) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        if schema_version(connection) >= number:  # another Rill migrated meanwhile
            connection.execute("ROLLBACK")
            return
        migration = MIGRATIONS[number - 1]
        if callable(migration):
            migration(connection)
        else:
            for statement in statements(migration):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
