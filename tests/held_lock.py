"""Another program holding the history's write lock: a real second process in `BEGIN
EXCLUSIVE`, as a database browser or a backup script would, until it is told to let go."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
connection.close()
"""


class HeldLock:
    """`with HeldLock(database):` holds the lock; `release()` lets go earlier."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> HeldLock:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(self.database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        assert line == "held\n", "the other process could not take the lock"
        return self

    def release(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        try:
            process.stdin.write("\n")
            process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()

    def __exit__(self, *exc_info: object) -> None:
        self.release()
