"""`kill -9` in the middle of a tool round, in `rill ask --tools` and in the chat (the real
`rill` in a pseudo-terminal): of the round's two calls, `quick` has finished and `slow` still
runs, with a child of its own (`sleep 30`). The finished result is in the history, no process
of the slow command outlives Rill, and the conversation reopened goes on with a request the
API takes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rillchat.chat.conversation import Conversation
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.history import History
from tests.cli.terminal import Terminal, environment
from tests.conftest import TEST_API_KEY
from tests.processes import read_pids, still_alive

SLOW_COMMAND = Path(__file__).parent.parent / "fixtures" / "commands" / "sleeps_with_a_child.py"
GONE_WITHIN = 2.0
"""Seconds the slow command's processes have to end after Rill's kill: they take a few
milliseconds; the rest is room for a busy CI machine."""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and signals")


def two_tools(tmp_path: Path, server_url: str) -> tuple[dict[str, str], Path]:
    """A Rill with the command tools `slow` and `quick` (the demo model calls both in one
    round, in that order), and the file `slow` writes its pid and its child's to."""
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    data.mkdir()
    pid_file = tmp_path / "slow.pids"
    python = json.dumps(sys.executable)
    (config / "config.toml").write_text(f"""
[[tools]]
name = "slow"
description = "Takes its time"
command = [{python}, {json.dumps(str(SLOW_COMMAND))}, {json.dumps(str(pid_file))}]

[[tools]]
name = "quick"
description = "Answers at once"
command = [{python}, "-c", "print('quick answer')"]
""")
    env = environment(
        RILL_CONFIG_DIR=str(config),
        RILL_DATA_DIR=str(data),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=server_url,
    )
    return env, pid_file


def saved_results(database: Path) -> list[str]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [
            text
            for (text,) in connection.execute(
                "SELECT text FROM parts WHERE kind = 'tool_result' ORDER BY id"
            )
        ]
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        connection.close()


def kill_9_mid_round(
    process: subprocess.Popen, database: Path, pid_file: Path, wait: Callable[[float], object]
) -> tuple[bool, list[int]]:
    """Kill Rill once `slow` runs and `quick`'s result is saved (or after 20 s without it).
    Returns whether it was saved in time, and the pids of `slow`'s processes still alive
    after GONE_WITHIN (killed then, so that none is left to the next test)."""
    pids = read_pids(pid_file, within=30, reading=wait)
    deadline = time.monotonic() + 20
    while not (saved := "quick answer\n" in saved_results(database)):
        if time.monotonic() > deadline:
            break
        wait(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    left = still_alive(pids, within=GONE_WITHIN)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return saved, left


def test_ask_keeps_a_finished_result_and_leaves_no_process(demo_server, tmp_path):
    env, pid_file = two_tools(tmp_path, demo_server.url)
    process = subprocess.Popen(
        [sys.executable, "-m", "rillchat", "ask", "--tools", "--yes", "-m", "demo/auto", "tools"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = Path(env["RILL_DATA_DIR"]) / DATABASE_NAME
    try:
        saved, left = kill_9_mid_round(process, database, pid_file, time.sleep)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert saved, "the finished call's result was not saved while the other call ran"
    assert not left, "a process of the slow command outlived Rill"
    assert saved_results(database) == ["quick answer\n"]


def test_the_chat_keeps_a_finished_result_leaves_no_process_and_goes_on(demo_server, tmp_path):
    env, pid_file = two_tools(tmp_path, demo_server.url)
    database = Path(env["RILL_DATA_DIR"]) / DATABASE_NAME
    # A conversation where both tools were allowed, so nobody has to be asked.
    history = History(open_database(database))
    history.save_conversation(Conversation(model="demo/auto", allowed_tools={"slow", "quick"}))
    history.close()
    terminal = Terminal("--continue", env=env)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"tools\r")
        saved, left = kill_9_mid_round(terminal.process, database, pid_file, terminal.read)
    finally:
        terminal.close()
    assert saved, "the finished call's result was not saved while the other call ran"
    assert not left, "a process of the slow command outlived Rill"
    assert saved_results(database) == ["quick answer\n"]

    reopened = Terminal("--continue", env=env)
    try:
        reopened.read_until(b"No result: Rill closed before this call finished")
        reopened.type(b"what now\r")
        deadline = time.monotonic() + 20
        while not any(
            request["messages"][-1].get("content") == "what now"
            for request in demo_server.requests[-3:]
        ):
            assert time.monotonic() < deadline, "the conversation did not go on"
            reopened.read(0.1)
        reopened.type(b"\x11")
        assert reopened.wait() == 0
    finally:
        reopened.close()
    [request] = [
        request
        for request in demo_server.requests
        if request["messages"][-1].get("content") == "what now"
    ]
    calls = [
        call["id"] for message in request["messages"] for call in message.get("tool_calls") or []
    ]
    answered = [
        message["tool_call_id"] for message in request["messages"] if message["role"] == "tool"
    ]
    assert len(calls) == 1 and answered == calls, "every call sent has its result, and only those"
    assert b"Traceback" not in reopened.shown
