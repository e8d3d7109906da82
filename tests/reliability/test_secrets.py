"""The API key stays where the user put it. After a whole session (a chat, a command tool that
prints its environment, a screenshot, a kill -9 mid-reply, exports, `rill config show`), no
file Rill wrote and nothing it printed holds the key: only config.toml does, and it is 0600.

Every folder Rill could write to (home, the XDG folders, the working folder, its own) is under
one temporary folder, so a stray file anywhere is searched too."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rillchat.redaction import masked
from rillchat.store.db import DATABASE_NAME
from tests.cli.terminal import Terminal, environment, open_and_quit, saved_messages

PRINTS_ITS_ENVIRONMENT = (
    "import json, os, sys; "
    "print(json.dumps({'arguments': sys.stdin.read(), "
    "'environment': dict(os.environ)}))"
)


def rill(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rillchat", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and file modes")
def test_the_key_is_nowhere_but_the_config_file(demo_server, tmp_path):
    key = "sk-or-v1-" + secrets.token_hex(32)
    home, work, config, data = (tmp_path / name for name in ("home", "work", "config", "data"))
    for folder in (home, work, config, data):
        folder.mkdir()
    env = environment(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        TMPDIR=str(home / "tmp"),
        RILL_CONFIG_DIR=str(config),
        RILL_DATA_DIR=str(data),
        OPENROUTER_API_KEY=key,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    (home / "tmp").mkdir()
    (home / "Downloads").mkdir()
    config_file = config / "config.toml"
    config_file.write_text(f'''api_key = "{key}"

[[tools]]
name = "slow_lookup"
description = "Prints what it was given"
command = [{json.dumps(sys.executable)}, "-c", {json.dumps(PRINTS_ITS_ENVIRONMENT)}]
parameters = {{ type = "object", properties = {{ query = {{ type = "string" }} }} }}
''')
    config_file.chmod(0o600)
    printed: list[str] = []

    # A command tool, which sees Rill's environment but not the key.
    asked = rill("ask", "--tools", "--yes", "-m", "demo/auto", "a slow tool", env=env, cwd=work)
    assert asked.returncode == 0, asked.stderr
    printed += [asked.stdout, asked.stderr]
    database = data / DATABASE_NAME
    with sqlite3.connect(database) as connection:
        (result,) = connection.execute(
            "SELECT text FROM parts WHERE kind = 'tool_result'"
        ).fetchone()
    tool_saw = json.loads(result)["environment"]
    assert tool_saw["RILL_DATA_DIR"] == str(data) and "OPENROUTER_API_KEY" not in tool_saw

    # The chat: a reply streaming, a screenshot of it, then kill -9.
    terminal = Terminal("-m", "demo/generate/100000/200", env=env, cwd=work)
    try:
        terminal.read_until(b"Type a message")
        terminal.type(b"go\r")
        deadline = time.monotonic() + 20
        while not any(
            len(text) >= 200 and status == "streaming"  # rill ask's is done
            for _, status, text in saved_messages(database).values()
        ):
            assert time.monotonic() < deadline, "the reply was never saved"
            terminal.read(0.1)
        terminal.type(b"\x10")  # Ctrl+P: the command palette
        terminal.read_until(b"Search for commands")
        terminal.type(b"screenshot")
        terminal.read_until(b"Save an SVG")  # the palette found it
        terminal.type(b"\r")
        deadline = time.monotonic() + 10
        while not list((home / "Downloads").glob("*.svg")):  # where Textual saves them
            assert time.monotonic() < deadline, "no screenshot was saved"
            terminal.read(0.1)
        terminal.process.kill()
        terminal.process.wait(timeout=5)
    finally:
        terminal.close()
    printed.append(terminal.shown.decode(errors="replace"))
    again = open_and_quit(env, cwd=work)  # finds the cut reply
    printed.append(again.shown.decode(errors="replace"))

    # Exports of both conversations, and the configuration shown.
    with sqlite3.connect(database) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM conversations")]
    assert len(ids) == 2
    for conversation_id in ids:
        for form in ("md", "json"):
            exported = rill(
                "history", "export", conversation_id, "--format", form, env=env, cwd=work
            )
            assert exported.returncode == 0, exported.stderr
            (work / f"{conversation_id}.{form}").write_text(exported.stdout)
            printed.append(exported.stderr)
    shown = rill("config", "show", env=env, cwd=work)
    assert shown.returncode == 0, shown.stderr
    assert masked(key) in shown.stdout
    printed += [shown.stdout, shown.stderr]

    holding = sorted(
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*")
        if path.is_file() and not path.is_symlink() and key.encode() in path.read_bytes()
    )
    assert holding == ["config/config.toml"]
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert not [text for text in printed if key in text]
    written = sorted(
        str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()
    )
    print(f"searched {len(written)} files: {written}")
