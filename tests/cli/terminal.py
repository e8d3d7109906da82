"""`rill` running in a pseudo-terminal, and reading what it saved, for tests of the real
process: start-up, signals, kills."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


class Terminal:
    """`rill` running in a pseudo-terminal, as a person would run it."""

    def __init__(
        self,
        *args: str,
        env: dict[str, str],
        cwd: Path | None = None,
        term: str = "xterm-256color",
        extra: dict[str, str] | None = None,
        controlling: bool = False,
    ) -> None:
        """`controlling`: the pseudo-terminal becomes rill's controlling terminal, in a
        session of its own, so /dev/tty is it and Ctrl+C typed there sends SIGINT."""
        import pty

        env = {**env, "TERM": term, "COLUMNS": "100", "LINES": "30", **(extra or {})}
        self.primary, secondary = pty.openpty()
        os.set_blocking(self.primary, False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rillchat", *args],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            env=env,
            cwd=cwd,
            start_new_session=controlling,
            preexec_fn=_take_as_controlling if controlling else None,
        )
        os.close(secondary)
        self.shown = bytearray()

    def read_until(self, needle: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.shown:
            assert time.monotonic() < deadline, f"never saw {needle!r}"
            self.read(0.1)

    def read(self, wait: float) -> None:
        """Take what the app wrote; an app whose terminal is not read blocks on its output."""
        ready, _, _ = select.select([self.primary], [], [], wait)
        if ready:
            try:
                self.shown.extend(os.read(self.primary, 65536))
            except OSError:
                pass

    def wait(self, timeout: float = 10) -> int:
        """The exit code, reading what the app writes meanwhile (its last frames, the
        terminal put back), which it could not write to a terminal nobody reads."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            assert time.monotonic() < deadline, "rill did not exit"
            self.read(0.05)
        self.read(0)
        return self.process.returncode

    def type(self, text: bytes) -> None:
        os.write(self.primary, text)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.primary)


def _take_as_controlling() -> None:
    """In the child, after setsid: make its stdin (the pseudo-terminal) its controlling one."""
    import fcntl
    import termios

    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def open_and_quit(env: dict[str, str], cwd: Path | None = None) -> Terminal:
    """Start the chat and quit it with Ctrl+Q once it is up: a start is when Rill marks the
    replies a killed Rill left streaming. Returns the terminal, closed, with what it showed."""
    terminal = Terminal(env=env, cwd=cwd)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    return terminal


def environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL")
    }
    env.update(extra)
    return env


def saved_messages(database: Path) -> dict[str, tuple[str, str, str]]:
    """Every message in the history, read as another process would: id to (role, status,
    text). Empty while there is no database yet or its schema is being created."""
    if not database.exists():
        return {}
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT m.id, m.role, m.status, coalesce(group_concat(p.text, ''), '') "
            "FROM messages AS m LEFT JOIN parts AS p ON p.message_id = m.id "
            "AND p.kind = 'text' GROUP BY m.id"
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        connection.close()
    return {row[0]: tuple(row[1:]) for row in rows}


def saved_reply(database: Path) -> tuple[str, str]:
    """The status and text of the reply in a history of one exchange, or empty strings."""
    replies = [
        (status, text)
        for role, status, text in saved_messages(database).values()
        if role == "assistant"
    ]
    return replies[0] if replies else ("", "")
