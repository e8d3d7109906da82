"""Crash safety: the real `rill` in a pseudo-terminal, killed while a reply streams.

`kill -9` gives Rill no chance to do anything: the history must still be a sound database
holding every earlier message as it was, and the cut reply up to its last save (at most half
a second old), which the next Rill to start marks interrupted. SIGTERM and SIGHUP (the
terminal closed) are asked politely: Rill saves the reply whole as interrupted and exits.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from rillchat.demo import texts
from rillchat.demo.generated_scenarios import generated_markdown
from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment, open_and_quit, saved_messages, saved_reply
from tests.conftest import TEST_API_KEY

KILLS = 20
LONGEST_WAIT = 3.0
"""A kill comes up to this long after Enter: before the first token, or well into it."""
MODEL = "demo/generate/100000/200"
"""A reply far longer than the wait, at 200 tokens a second."""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and signals")


def integrity(database: Path) -> str:
    connection = sqlite3.connect(database)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.slow
def test_kill_9_at_twenty_random_moments_loses_nothing_saved(demo_server, tmp_path):
    seed = int(os.environ.get("RILL_CRASH_SEED", random.randrange(10**6)))
    print(f"crash seed {seed} (set RILL_CRASH_SEED to repeat)")
    draw = random.Random(seed)
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    database = tmp_path / DATABASE_NAME
    answer = generated_markdown(100000)
    cut: dict[str, tuple[str, str, str]] = {}
    cut_lengths = []
    for number in range(1, KILLS + 1):
        wait = draw.uniform(0, LONGEST_WAIT)
        where = f"kill {number} after {wait:.2f} s (seed {seed})"
        terminal = Terminal("-m", MODEL, env=env)
        try:
            terminal.read_until(b"Type a message")
            # Started: the reply the last kill cut is marked interrupted, nothing else moved.
            before = saved_messages(database)
            assert not [m for m in before.values() if m[1] == "streaming"], where
            assert all(
                before[key] == (role, "interrupted", text) for key, (role, _, text) in cut.items()
            ), where
            terminal.type(f"prompt {number}\r".encode())
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                terminal.read(0.02)
            terminal.process.send_signal(signal.SIGKILL)
            terminal.process.wait(timeout=5)
        finally:
            terminal.close()

        assert integrity(database) == "ok", where
        after = saved_messages(database)
        assert {key: after.get(key) for key in before} == before, where
        new = [after[key] for key in after.keys() - before.keys()]
        prompts = [m for m in new if m[0] == "user"]
        assert [m[2] for m in prompts] in ([], [f"prompt {number}"]), where
        assert len(new) - len(prompts) <= len(prompts), "a reply is saved after its prompt"
        for key in after.keys() - before.keys():
            role, status, text = after[key]
            if role == "assistant":
                assert status == "streaming" and answer.startswith(text), where
                cut[key] = after[key]
                cut_lengths.append(len(text))

    open_and_quit(env)
    final = saved_messages(database)
    assert all(final[key] == (role, "interrupted", text) for key, (role, _, text) in cut.items())
    print(
        f"{KILLS} kills: {len(cut_lengths)} cut replies saved, "
        f"{sorted(cut_lengths)} characters each"
    )


def _streaming(database: Path, *, at_least: int, terminal: Terminal) -> str:
    deadline = time.monotonic() + 20
    text = ""
    while len(text) < at_least:
        assert time.monotonic() < deadline, "the reply was never saved while streaming"
        terminal.read(0.1)
        text = saved_reply(database)[1]
    return text


@pytest.mark.parametrize(
    "number, terminal_gone",
    [(signal.SIGTERM, False), (signal.SIGHUP, True)],
    ids=["SIGTERM", "SIGHUP with the terminal closed"],
)
def test_a_signal_saves_the_reply_whole_and_exits(demo_server, tmp_path, number, terminal_gone):
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    database = tmp_path / DATABASE_NAME
    terminal = Terminal("-m", MODEL, env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"go\r")
        saved = _streaming(database, at_least=200, terminal=terminal)
        time.sleep(0.3)  # more arrives than the last half-second save holds
        if terminal_gone:
            os.close(terminal.primary)
            terminal.primary = os.open(os.devnull, os.O_RDONLY)  # for close() to close
        terminal.process.send_signal(number)
        code = terminal.process.wait(timeout=10) if terminal_gone else terminal.wait()
    finally:
        terminal.close()

    assert code == 128 + number
    status, text = saved_reply(database)
    assert status == "interrupted", "saved as it stopped, not left for the next start"
    assert len(text) > len(saved) and generated_markdown(100000).startswith(text)
    assert integrity(database) == "ok"
    assert not list((tmp_path / "writers").iterdir()), "its lease is given back"
    if not terminal_gone:
        assert b"\x1b[?1049l" in terminal.shown, "the terminal is put back"
        assert b"Traceback" not in terminal.shown


def _main_file_alone(database: Path, copy: Path) -> dict[str, tuple[str, str, str]]:
    """What the database file holds without its write-ahead log: a copy of it, read alone."""
    import shutil

    for leftover in copy.parent.glob(f"{copy.name}*"):
        leftover.unlink()
    shutil.copyfile(database, copy)
    try:
        return saved_messages(copy)
    except sqlite3.DatabaseError:  # copied while a checkpoint wrote into it
        return {}


def test_with_its_log_removed_a_killed_rill_keeps_what_was_saved(demo_server, tmp_path):
    env = environment(
        RILL_DATA_DIR=str(tmp_path / "data"),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    database = tmp_path / "data" / DATABASE_NAME
    copy = tmp_path / "alone.sqlite3"
    terminal = Terminal(env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"hello\r")
        deadline = time.monotonic() + 10
        while not any(
            status == "complete" and role == "assistant"
            for role, status, _ in _main_file_alone(database, copy).values()
        ):
            assert time.monotonic() < deadline, "the finished reply never reached the main file"
            terminal.read(0.1)
        database.with_name(f"{DATABASE_NAME}-wal").unlink()  # a clean-up tool, or a person
        terminal.process.send_signal(signal.SIGKILL)
        terminal.process.wait(timeout=5)
    finally:
        terminal.close()
    assert integrity(database) == "ok"
    assert sorted(saved_messages(database).values()) == [
        ("assistant", "complete", texts.WELCOME),
        ("user", "complete", "hello"),
    ]
