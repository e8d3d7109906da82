"""`rill` with no command opens the chat; it needs a terminal, and it survives being killed."""

from __future__ import annotations

import signal
import sqlite3
import time

from rillchat.demo.generated_scenarios import generated_markdown
from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment, open_and_quit, saved_reply
from tests.cli.test_ask import run_rill
from tests.conftest import TEST_API_KEY


def test_the_chat_without_a_terminal_says_what_to_use_instead():
    result = run_rill(stdin="hello")
    assert result.returncode == 2
    assert (
        result.stderr == "rill: the chat needs a terminal; to pipe a question, use: rill ask -\n"
    )


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
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
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
            saved = saved_reply(database)[1]
        terminal.process.send_signal(signal.SIGKILL)
        terminal.process.wait(timeout=5)
    finally:
        terminal.close()

    check = sqlite3.connect(database)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()
    status, text = saved_reply(database)
    assert status == "streaming"
    assert len(text) >= 300 and generated_markdown(100000).startswith(text)

    open_and_quit(env)  # relaunch: the cut reply is found and marked interrupted
    assert saved_reply(database) == ("interrupted", text)
