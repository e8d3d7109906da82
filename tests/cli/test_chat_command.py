"""`rill` with no command opens the chat; it needs a terminal, and it survives being killed."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time

from rillchat.demo.scenarios import generated_markdown
from rillchat.store.db import DATABASE_NAME
from tests.cli.test_ask import run_rill
from tests.conftest import TEST_API_KEY


class Terminal:
    """`rill` running in a pseudo-terminal, as a person would run it."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        import pty

        env = {**env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
        self.primary, secondary = pty.openpty()
        os.set_blocking(self.primary, False)
        self.process = subprocess.Popen([sys.executable, "-m", "rillchat", *args],
                                        stdin=secondary, stdout=secondary, stderr=secondary,
                                        env=env)
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

    def type(self, text: bytes) -> None:
        os.write(self.primary, text)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.primary)


def environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL")}
    env.update(extra)
    return env


def test_the_chat_without_a_terminal_says_what_to_use_instead():
    result = run_rill(stdin="hello")
    assert result.returncode == 2
    assert result.stderr == "rill: the chat needs a terminal; to pipe a question, use: rill ask -\n"


def test_demo_chat_opens_in_a_terminal_answers_and_quits_cleanly(tmp_path):
    terminal = Terminal("--demo", env=environment(RILL_DATA_DIR=str(tmp_path)))
    try:
        terminal.read_until(b"Demo")
        terminal.type(b"hello\r")
        terminal.read_until(b"Rill Demo")  # the reply footer names the provider
        terminal.type(b"\x11")  # Ctrl+Q
        assert terminal.process.wait(timeout=10) == 0
    finally:
        terminal.close()


def test_kill_9_while_a_reply_streams_keeps_it_up_to_the_last_save(demo_server, tmp_path):
    env = environment(RILL_DATA_DIR=str(tmp_path), OPENROUTER_API_KEY=TEST_API_KEY,
                      OPENROUTER_BASE_URL=demo_server.url)
    database = tmp_path / DATABASE_NAME
    terminal = Terminal("-m", "demo/generate/100000/100", env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"go\r")
        deadline = time.monotonic() + 20
        saved = ""
        while len(saved) < 300:  # wait until a few saves of the growing reply have landed
            assert time.monotonic() < deadline, "the reply was never saved while streaming"
            terminal.read(0.2)
            saved = _saved_reply(database)[1]
        terminal.process.send_signal(signal.SIGKILL)
        terminal.process.wait(timeout=5)
    finally:
        terminal.close()

    check = sqlite3.connect(database)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    status, text = _saved_reply(database)
    assert status == "streaming"
    assert len(text) >= 300 and generated_markdown(100000).startswith(text)

    again = Terminal(env=env)  # relaunch: the cut reply is found and marked interrupted
    try:
        again.read_until(b"Type a message")
        again.type(b"\x11")
        assert again.process.wait(timeout=10) == 0
    finally:
        again.close()
    assert _saved_reply(database) == ("interrupted", text)


def _saved_reply(database) -> tuple[str, str]:
    if not database.exists():
        return "", ""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT m.status, coalesce(group_concat(p.text, ''), '') FROM messages AS m "
            "LEFT JOIN parts AS p ON p.message_id = m.id AND p.kind = 'text' "
            "WHERE m.role = 'assistant' GROUP BY m.id").fetchone()
    except sqlite3.OperationalError:  # the schema is being created
        return "", ""
    finally:
        connection.close()
    return (row[0], row[1]) if row else ("", "")
