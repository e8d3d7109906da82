"""The data folder is 0700 and everything Rill writes in it 0600, under the usual umask 022:
fresh, and after starting over files an older Rill left readable by everyone. Real files, the
real `rill ask` writing them."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from rillchat.catalogue import read_cache, write_cache
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.writers import WriterLease, leases_folder
from tests.conftest import TEST_API_KEY

fcntl = pytest.importorskip("fcntl", reason="file modes and locks as POSIX has them")


@pytest.fixture(autouse=True)
def usual_umask():
    before = os.umask(0o022)
    yield
    os.umask(before)


def modes(folder) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


def private(found: dict[str, int]) -> bool:
    return all(mode & 0o077 == 0 for mode in found.values())


def test_a_fresh_data_folder_and_its_files_are_for_their_owner_only(demo_server, tmp_path):
    data = tmp_path / "data"
    asked = subprocess.run(
        [sys.executable, "-m", "rillchat", "ask", "-m", "demo/markdown", "hi"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "RILL_DATA_DIR": str(data),
            "OPENROUTER_API_KEY": TEST_API_KEY,
            "OPENROUTER_BASE_URL": demo_server.url,
        },
    )
    assert asked.returncode == 0, asked.stderr
    assert modes(data)["."] == 0o700 and modes(data)[DATABASE_NAME] == 0o600

    # While a Rill runs: the database with its -wal and -shm, the writers' locks, the
    # model catalogue.
    path = data / DATABASE_NAME
    connection = open_database(path)
    lease = WriterLease(leases_folder(path))
    connection.execute(
        "INSERT INTO conversations (id, model, created, updated) VALUES ('c', 'm', 0, 0)"
    )
    write_cache("http://example.test/api/v1", [{"id": "a/b"}], data / "models.json")
    try:
        found = modes(data)
        assert {
            DATABASE_NAME + "-wal",
            DATABASE_NAME + "-shm",
            "writers",
            "models.json",
            f"writers/{lease.token}.lock",
        } <= set(found)
        assert private(found), {name: oct(mode) for name, mode in found.items()}
        assert found["writers"] == 0o700 and found[DATABASE_NAME + "-wal"] == 0o600
    finally:
        lease.release()
        connection.close()


def test_files_an_older_rill_left_readable_are_made_private_on_start(tmp_path):
    data = tmp_path / "data"
    (data / "writers").mkdir(parents=True)
    path = data / DATABASE_NAME
    older = sqlite3.connect(path)  # still open, as another Rill would be: -wal and -shm stay
    older.execute("PRAGMA journal_mode = WAL")
    older.execute("CREATE TABLE t (x)")
    older.execute("INSERT INTO t VALUES (1)")
    older.commit()
    other_lock = data / "writers" / "0123abcd.lock"
    held = os.open(other_lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a Rill still running holds it
    write_cache("http://example.test/api/v1", [{"id": "a/b"}], data / "models.json")
    for folder in (data, data / "writers"):
        folder.chmod(0o755)
    for name in (
        DATABASE_NAME,
        DATABASE_NAME + "-wal",
        DATABASE_NAME + "-shm",
        "models.json",
        "writers/0123abcd.lock",
    ):
        (data / name).chmod(0o644)
    assert not private(modes(data))
    try:
        # What starting Rill opens: the history, its writers' folder, the cached catalogue.
        connection = open_database(path)
        lease = WriterLease(leases_folder(path))
        assert read_cache("http://example.test/api/v1", data / "models.json") is not None
        found = modes(data)
        assert private(found), {name: oct(mode) for name, mode in found.items()}
        assert found["."] == found["writers"] == 0o700
        assert (
            found[DATABASE_NAME] == found["models.json"] == found["writers/0123abcd.lock"] == 0o600
        )
        lease.release()
        connection.close()
    finally:
        os.close(held)
        older.close()
