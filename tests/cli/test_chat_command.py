"""`rill` with no command opens the chat; it needs a terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time

from tests.cli.test_ask import run_rill


def test_the_chat_without_a_terminal_says_what_to_use_instead():
    result = run_rill(stdin="hello")
    assert result.returncode == 2
    assert result.stderr == "rill: the chat needs a terminal; to pipe a question, use: rill ask -\n"


def test_demo_chat_opens_in_a_terminal_answers_and_quits_cleanly():
    import pty

    env = {key: value for key, value in os.environ.items() if key != "OPENROUTER_API_KEY"}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
    primary, secondary = pty.openpty()
    os.set_blocking(primary, False)
    process = subprocess.Popen([sys.executable, "-m", "rillchat", "--demo"], stdin=secondary,
                               stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    shown = bytearray()

    def read_until(needle: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while needle not in shown:
            assert time.monotonic() < deadline, f"never saw {needle!r}"
            ready, _, _ = select.select([primary], [], [], 0.1)
            if ready:
                try:
                    shown.extend(os.read(primary, 65536))
                except OSError:
                    break

    try:
        read_until(b"Demo")
        os.write(primary, b"hello\r")
        read_until(b"Rill Demo")  # the reply footer names the provider
        os.write(primary, b"\x11")  # Ctrl+Q
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
