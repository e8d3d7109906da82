"""The prompt's keys as a terminal sends them: Alt+Enter arrives as ESC CR, and keys typed
quickly (or pasted by a terminal without bracketed paste) arrive in one read with the Enter."""

from __future__ import annotations

import os
import time

import pytest

from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment, saved_messages

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")


def sent_prompts(terminal: Terminal, database, count: int, timeout: float = 20) -> list[str]:
    """The prompts saved, once `count` replies are complete."""
    deadline = time.monotonic() + timeout
    while True:
        messages = list(saved_messages(database).values())
        replies = [status for role, status, _ in messages if role == "assistant"]
        if replies.count("complete") >= count:
            return [text for role, _, text in messages if role == "user"]
        assert time.monotonic() < deadline, f"never saw {count} replies: {messages}"
        terminal.read(0.1)


def chat(tmp_path) -> Terminal:
    terminal = Terminal(
        "--demo", env=environment(RILL_DATA_DIR=str(tmp_path), RILL_CONFIG_DIR=str(tmp_path))
    )
    terminal.read_until(b"Demo")
    return terminal


def test_alt_enter_from_the_terminal_adds_a_new_line_and_does_not_send(tmp_path):
    terminal = chat(tmp_path)
    try:
        terminal.type(b"one\x1b\r")  # Alt+Enter, as xterm, tmux and most terminals send it
        terminal.type(b"two\x1b\rthree\r")
        prompts = sent_prompts(terminal, tmp_path / DATABASE_NAME, 1)
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert prompts == ["one\ntwo\nthree"]


def test_keys_in_the_same_read_as_enter_are_kept_for_the_next_prompt(tmp_path):
    terminal = chat(tmp_path)
    database = tmp_path / DATABASE_NAME
    try:
        terminal.type(b"hello\rworld")  # one write: the app reads it in one burst
        sent_prompts(terminal, database, 1)
        terminal.type(b"\r")
        prompts = sent_prompts(terminal, database, 2)
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert sorted(prompts) == ["hello", "world"], "world was not cleared with hello"
