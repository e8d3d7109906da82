"""The real `rill` while another program (a real second process) holds the history's write
lock: quitting waits a bounded time for it, then says on the terminal what was not saved."""

from __future__ import annotations

import os
import signal
import time

import pytest

from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.history import History
from rillchat.ui.app import QUIT_WAIT
from tests.cli.terminal import Terminal, environment
from tests.conftest import TEST_API_KEY
from tests.held_lock import HeldLock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")


def locked_history(folder):
    database = folder / DATABASE_NAME
    History(open_database(database)).close()
    return database


def answered_and_not_saved(demo_server, folder) -> Terminal:
    """Rill in a terminal, its history locked: a reply on screen and "Not saved yet"."""
    env = environment(
        RILL_DATA_DIR=str(folder),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    terminal = Terminal(env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"hello\r")
        terminal.read_until("✓".encode())  # the reply is on screen
        terminal.read_until(b"Not saved yet")
    except BaseException:
        terminal.close()
        raise
    return terminal


def test_quitting_while_the_history_is_locked_says_what_was_not_saved(demo_server, tmp_path):
    with HeldLock(locked_history(tmp_path)):
        terminal = answered_and_not_saved(demo_server, tmp_path)
        try:
            asked = time.monotonic()
            terminal.type(b"\x11")
            code = terminal.wait(timeout=QUIT_WAIT + 10)
            took = time.monotonic() - asked
        finally:
            terminal.close()
    assert code == 0
    assert took < QUIT_WAIT + 4, f"quitting took {took:.1f} s"
    shown = bytes(terminal.shown).decode(errors="replace")
    assert (
        "rill: not saved in the history: your prompt in “hello” (5 characters), a reply "
        "in “hello” ("
    ) in shown
    assert "Why: another program holds the history locked" in shown
    assert "Traceback" not in shown
    print(f"quit {took:.1f} s after Ctrl+Q with the history locked")


def test_a_terminal_closed_while_the_history_is_locked_still_ends_rill_as_sighup(
    demo_server, tmp_path
):
    """What was not saved cannot be told to a terminal that is gone: Rill ends as the signal
    asks all the same, not with a traceback."""
    with HeldLock(locked_history(tmp_path)):
        terminal = answered_and_not_saved(demo_server, tmp_path)
        try:
            os.close(terminal.primary)
            terminal.primary = os.open(os.devnull, os.O_RDONLY)  # for close() to close
            terminal.process.send_signal(signal.SIGHUP)
            code = terminal.process.wait(timeout=QUIT_WAIT + 10)
        finally:
            terminal.close()
    assert code == 128 + signal.SIGHUP
