"""How `rill` reports what went wrong: the message of an unexpected error masks the key, and
a terminal that is gone by the time it is told changes no exit code."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from rillchat.redaction import masked
from tests.cli.test_ask import run_rill

KEY_SHAPED = "sk-or-v1-" + "0123456789abcdef" * 4


def test_an_unexpected_error_masks_keys_in_its_message(tmp_path, monkeypatch, capsys):
    from rillchat.cli import history_command
    from rillchat.cli import main as cli

    custom_key = "custom-key-that-is-no-sk-shape-42"
    monkeypatch.setenv("OPENROUTER_API_KEY", custom_key)

    def a_bug(*arguments):  # an error nothing expects, quoting keys as a path might
        raise NotADirectoryError(f"Not a directory: '/data/{KEY_SHAPED}/{custom_key}'")

    monkeypatch.setattr(history_command, "run_history", a_bug)
    assert cli.main(["history", "list"]) == 1
    told = capsys.readouterr().err
    assert "rill: unexpected NotADirectoryError" in told
    assert KEY_SHAPED not in told and masked(KEY_SHAPED) in told
    assert custom_key not in told and masked(custom_key) in told


def test_a_data_folder_named_with_a_key_is_told_masked(tmp_path):
    (tmp_path / "a file").write_text("")
    data = tmp_path / "a file" / KEY_SHAPED  # under a file: it cannot be made
    result = run_rill("history", "list", env_extra={"RILL_DATA_DIR": str(data)})
    assert result.returncode == 2 and "cannot use the data folder" in result.stderr
    assert KEY_SHAPED not in result.stderr and masked(KEY_SHAPED) in result.stderr


def test_a_terminal_gone_before_an_error_is_told_leaves_the_exit_code_alone():
    primary, secondary = pty.openpty()
    os.close(primary)  # the terminal window closed: writing to it fails (EIO)
    try:
        process = subprocess.run(
            [sys.executable, "-m", "rillchat", "ask", "--retries", "-1", "hello"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=secondary,
            timeout=60,
        )
    finally:
        os.close(secondary)
    assert process.returncode == 2, "a usage error, whether or not it could be told"


def test_a_line_the_history_thread_has_for_a_gone_terminal_is_dropped():
    """It is told from the history's own thread, which must go on saving all the same."""
    from rillchat.cli.ask import NotesFromThreads

    primary, secondary = pty.openpty()
    os.close(primary)
    err = open(secondary, "w", encoding="utf-8")
    try:
        NotesFromThreads(err).say("rill: saving waits: another program holds the history")
    finally:
        try:
            err.close()
        except OSError:  # what could not be written is still in its buffer
            pass
