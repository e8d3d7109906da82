"""Two Rills writing one history at once: each sends 100 prompts in its own terminal, one after
the other as its replies end, while the other does the same. Nothing may be lost or mixed up,
and neither may mark the other's streaming reply interrupted."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from rillchat.demo import texts
from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment
from tests.conftest import TEST_API_KEY

REPLIES = 100
NAMES = ("left", "right")


def answered(database: Path, name: str) -> int:
    """How many of `name`'s prompts have a complete reply saved."""
    if not database.exists():
        return 0
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return connection.execute(
            "SELECT count(*) FROM messages AS reply JOIN parts AS prompt "
            "ON prompt.message_id = reply.parent_id AND prompt.kind = 'text' "
            "WHERE reply.role = 'assistant' AND reply.status = 'complete' "
            "AND prompt.text LIKE ?",
            (f"{name} %",),
        ).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is being created
        return 0
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_two_rills_on_one_history_lose_nothing(demo_server, tmp_path):
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    database = tmp_path / DATABASE_NAME
    terminals = {name: Terminal(env=env) for name in NAMES}
    sent = dict.fromkeys(NAMES, 0)
    started = time.monotonic()
    try:
        for terminal in terminals.values():
            terminal.read_until(b"Type a message")
        deadline = time.monotonic() + 300
        while min(answered(database, name) for name in NAMES) < REPLIES:
            assert time.monotonic() < deadline, f"stuck at {sent}"
            for name, terminal in terminals.items():
                terminal.read(0.01)
                if sent[name] < REPLIES and answered(database, name) == sent[name]:
                    sent[name] += 1
                    terminal.type(f"{name} {sent[name]}: hello\r".encode())
        took = time.monotonic() - started
        for terminal in terminals.values():
            terminal.type(b"\x11")
        assert [terminal.wait() for terminal in terminals.values()] == [0, 0]
    finally:
        for terminal in terminals.values():
            terminal.close()
    print(f"two Rills, {REPLIES} replies each, one history: {took:.1f} s")

    connection = sqlite3.connect(database)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conversations = connection.execute("SELECT id FROM conversations").fetchall()
    assert len(conversations) == 2
    for (conversation_id,) in conversations:
        rows = connection.execute(
            "SELECT m.role, m.status, group_concat(p.text, '') FROM messages AS m "
            "JOIN parts AS p ON p.message_id = m.id AND p.kind = 'text' "
            "WHERE m.conversation_id = ? GROUP BY m.id ORDER BY m.position",
            (conversation_id,),
        ).fetchall()
        name = rows[0][2].split()[0]
        assert rows == [
            row
            for number in range(1, REPLIES + 1)
            for row in (
                ("user", "complete", f"{name} {number}: hello"),
                ("assistant", "complete", texts.WELCOME),
            )
        ]
    connection.close()
