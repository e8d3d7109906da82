"""A full disk: the data folder on a small real filesystem (a tmpfs, see
tests/small_filesystem.py), filled while a reply streams and freed after it ended. What could not
be saved is kept and written whole once there is room; the notices say when it is not saved
and when it is again."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from rillchat.demo.generated_scenarios import generated_markdown
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.history import History
from tests.cli.terminal import Terminal, environment, open_and_quit, saved_reply
from tests.conftest import TEST_API_KEY

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and tmpfs")

TOKENS = 1000
MODEL = f"demo/generate/{TOKENS}/150"
"""About seven seconds of Markdown."""


def test_a_reply_cut_by_a_full_disk_is_saved_whole_once_there_is_room(
    demo_server, small_filesystem
):
    data = small_filesystem.folder / "rill"
    env = environment(
        RILL_DATA_DIR=str(data),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    database = data / DATABASE_NAME
    answer = generated_markdown(TOKENS)
    terminal = Terminal("-m", MODEL, env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"go\r")
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            terminal.read(0.05)
        small_filesystem.fill()
        terminal.read_until(b"Not saved yet", timeout=10)
        terminal.read_until("✓".encode(), timeout=20)  # the reply ended, on screen
        status, cut = saved_reply(database)
        assert status == "streaming" and len(cut) < len(answer), "the disk was full"
        small_filesystem.free()
        terminal.read_until(b"Saved again", timeout=10)
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.shown
    open_and_quit(env)  # a start marks interrupted what a Rill left streaming
    history = History(open_database(database))
    (reply,) = [m for m in history.load(history.latest_id()).messages if m.role == "assistant"]
    history.close()
    assert reply.status.value == "complete"
    assert reply.text == answer, f"saved {len(reply.text)} of {len(answer)} characters"
    assert reply.usage is not None and reply.usage.cost, "its usage and cost are kept"
    print(
        f"cut at {len(cut)} of {len(answer)} characters while the disk was full; "
        "saved whole once it was freed"
    )


READER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN")
connection.execute("SELECT count(*) FROM messages").fetchone()
print("reading", flush=True)
sys.stdin.readline()
"""
"""Another program in a long read: the log cannot start over while it reads, so it grows."""


def test_a_log_that_fills_the_disk_is_named_and_given_back_once_it_can_be(small_filesystem):
    from rillchat.chat.conversation import Conversation, Message, MessageStatus, TextPart
    from rillchat.store.problems import ProblemKind
    from rillchat.store.recorder import open_recorder

    path = small_filesystem.folder / DATABASE_NAME
    log = path.with_name(f"{DATABASE_NAME}-wal")
    reserve = small_filesystem.folder / "other-files"
    reserve.write_bytes(b"\0" * (1 << 20))  # what the user will delete to make room
    History(open_database(path)).close()
    problems, resumed = [], threading.Event()
    recorder = open_recorder(path, on_paused=problems.append, on_resumed=resumed.set)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline() == "reading\n"
        conversation = Conversation(model="m", title="long")
        reply = Message(role="assistant", parts=[TextPart()], status=MessageStatus.STREAMING)
        conversation.messages += [Message.user("go"), reply]
        deadline = time.monotonic() + 30
        while not problems:
            assert time.monotonic() < deadline, "the disk never filled"
            reply.parts[0].append("a fairly long line of an answer that keeps coming\n" * 200)
            recorder.save(conversation, reply)
            recorder.flush(0.5)
        (problem,) = problems
        assert problem.kind is ProblemKind.FULL
        assert f"{DATABASE_NAME}-wal, takes" in problem.advice
        assert "close it" in problem.advice and "Never delete that file" in problem.advice
        full_log = log.stat().st_size
        reply.status = MessageStatus.COMPLETE
        recorder.save(conversation, reply)
    finally:
        reader.communicate("\n", timeout=10)
    reserve.unlink()
    assert resumed.wait(10), "saving never resumed"
    assert recorder.flush(10)
    assert log.stat().st_size < full_log // 4, "the log was folded in and cut short"
    assert recorder.close(5) == []
    history = History(open_database(path))
    assert history.load(conversation.id).messages[-1].text == reply.text
    history.close()
    print(
        f"the log filled the disk at {full_log:,} bytes; folded in and cut back once the "
        f"reader let go and there was room"
    )
