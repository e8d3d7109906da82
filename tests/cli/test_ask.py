"""`rill ask` end to end, as a subprocess talking to the local server over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from rillchat.demo import texts
from tests.conftest import TEST_API_KEY


def run_rill(
    *args: str,
    server=None,
    stdin: str | None = None,
    env_extra: dict | None = None,
    timeout: float = 60,
    new_session: bool = False,
) -> subprocess.CompletedProcess:
    """`new_session`: without a controlling terminal, as under a scheduler."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL")
    }
    if server is not None:
        env.update(OPENROUTER_API_KEY=TEST_API_KEY, OPENROUTER_BASE_URL=server.url)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "rillchat", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        start_new_session=new_session,
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("rill:")]


def test_demo_streams_an_answer_without_a_key():
    result = run_rill("ask", "--demo", "hello")
    assert result.returncode == 0, result.stderr
    assert result.stdout == texts.WELCOME
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("model", "code", "stderr_part", "partial"),
    [
        ("demo/error-401", 3, "error 401 (Not authorised): User not found", False),
        ("demo/error-402", 3, "error 402 (Out of credits)", False),
        ("demo/error-429", 4, "error 429 (Rate limited)", False),
        ("demo/error-500", 5, "error 500 (Provider error): Internal Server Error", False),
        ("demo/error-503", 5, "error 503 (Provider error)", False),
        (
            "demo/error-midstream",
            5,
            "error 502 (Provider error): Upstream provider disconnected",
            True,
        ),
        (
            "demo/error-choice",
            5,
            "error 500 (Provider error): The model produced an invalid",
            True,
        ),
        ("demo/drop", 5, "(Connection failed): The connection closed before the reply", True),
        (
            "demo/stall",
            5,
            "(Stream stalled): The stream went silent. No data arrived for 1 s",
            True,
        ),
        (
            "demo/not-json",
            5,
            "(Unexpected response): The server sent a data line that is not JSON",
            True,
        ),
        (
            "demo/html",
            5,
            "(Unexpected response): Expected an event stream but got text/html",
            False,
        ),
        (
            "nobody/nothing",
            2,
            "error 400 (Request rejected): nobody/nothing is not a valid model ID",
            False,
        ),
    ],
)
def test_each_failure_prints_one_line_keeps_partial_text_and_exits_with_its_code(
    demo_server, model, code, stderr_part, partial
):
    result = run_rill(
        "ask", "--retries", "0", "--timeout", "1", "-m", model, "hi", server=demo_server
    )

    assert result.returncode == code
    [line] = result.stderr.splitlines()
    assert stderr_part in line
    assert result.stdout == (texts.PARTIAL_ANSWER + "\n" if partial else "")
    assert TEST_API_KEY not in result.stderr + result.stdout


def test_rate_limit_line_gives_the_wait(demo_server):
    result = run_rill("ask", "-m", "demo/error-429", "hi", server=demo_server)
    assert result.stderr.strip().endswith("Retry in 7 s, or choose another model.")


def test_a_retry_is_announced_before_the_final_error(demo_server):
    result = run_rill("ask", "--retries", "1", "-m", "demo/error-503", "hi", server=demo_server)
    assert result.returncode == 5
    first, last = result.stderr.splitlines()
    assert "retrying in 1 s (attempt 1 of 1)" in first
    assert "error 503" in last


def test_no_key_names_the_variable_and_the_demo():
    result = run_rill("ask", "hello")
    assert result.returncode == 3
    assert "OPENROUTER_API_KEY" in result.stderr and "--demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_base_url_is_a_usage_error():
    result = run_rill(
        "ask", "--base-url", "openrouter.ai", "hi", env_extra={"OPENROUTER_API_KEY": TEST_API_KEY}
    )
    assert result.returncode == 2
    assert "base URL must look like https://host/path" in result.stderr


def test_unreachable_host_fails_clearly():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_rill(
        "ask",
        "--retries",
        "0",
        "--base-url",
        f"http://127.0.0.1:{port}/api/v1",
        "hi",
        env_extra={"OPENROUTER_API_KEY": TEST_API_KEY},
    )
    assert result.returncode == 5
    assert f"Could not reach http://127.0.0.1:{port}/api/v1" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_flag_values_are_usage_errors():
    assert run_rill("ask", "--retries", "-1", "hi").returncode == 2
    assert run_rill("ask", "--reasoning-effort", "extreme", "hi").returncode == 2
    assert run_rill("ask", "--demo", "").returncode == 2


def test_prompt_from_stdin_dash_and_pipe(demo_server):
    piped = run_rill("ask", "-m", "demo/auto", server=demo_server, stdin="help\n")
    dashed = run_rill(
        "ask", "-m", "demo/auto", "Question:", "-", server=demo_server, stdin="help\n"
    )

    assert piped.stdout == texts.HELP
    assert dashed.returncode == 0
    assert demo_server.requests[-1]["messages"][-1]["content"] == "Question:\n\nhelp"


def test_system_prompt_and_effort_are_sent(demo_server):
    run_rill(
        "ask",
        "-m",
        "demo/markdown",
        "-s",
        "Be brief.",
        "--reasoning-effort",
        "low",
        "--temperature",
        "0.5",
        "--max-tokens",
        "99",
        "hi",
        server=demo_server,
    )
    sent = demo_server.requests[-1]
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["reasoning"] == {"effort": "low"}
    assert sent["temperature"] == 0.5 and sent["max_tokens"] == 99


def test_reasoning_and_usage_go_to_stderr(demo_server):
    result = run_rill(
        "ask", "-m", "demo/reasoning", "--show-reasoning", "--usage", "x", server=demo_server
    )

    assert result.stdout == texts.REASONING_ANSWER
    reasoning, blank, usage = result.stderr.splitlines()
    assert reasoning == "".join(texts.REASONING_STEPS)
    assert usage.startswith("tokens: 1 prompt, 141 completion (64 reasoning) · cost: $0.000565")
    assert "demo/reasoning via Rill Demo" in usage


def test_without_tools_flag_no_tools_are_offered(demo_server):
    result = run_rill("ask", "-m", "demo/tools", "weather?", server=demo_server)
    assert result.returncode == 0
    assert "offered none" in result.stdout and result.stderr == ""
    assert "tools" not in demo_server.requests[-1]


def test_version_and_help():
    assert run_rill("--version").stdout.strip().startswith("rill ")
    assert "ask" in run_rill("--help").stdout
    assert "--show-reasoning" in run_rill("ask", "--help").stdout


def test_ctrl_c_stops_at_once_keeps_the_text_and_exits_130(demo_server):
    env = {
        **os.environ,
        "OPENROUTER_API_KEY": TEST_API_KEY,
        "OPENROUTER_BASE_URL": demo_server.url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "rillchat", "ask", "-m", "demo/generate/100000/40", "go"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    first = process.stdout.read(20)
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    rest, stderr = process.communicate(timeout=10)

    assert time.monotonic() - started < 2
    assert process.returncode == 130
    assert first.startswith(b"## Section 1")
    assert (first + rest).endswith(b"\n")
    assert stderr.decode().strip() == "rill: stopped"


def test_control_sequences_never_reach_a_terminal_but_pipes_get_the_text_as_sent(edge_server):
    import pty

    env = {
        **os.environ,
        "OPENROUTER_API_KEY": TEST_API_KEY,
        "OPENROUTER_BASE_URL": edge_server.url,
    }
    command = [sys.executable, "-m", "rillchat", "ask", "-m", "demo/replay/hostile-text", "hi"]
    primary, secondary = pty.openpty()
    process = subprocess.Popen(command, stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    shown = b""
    while True:
        try:
            data = os.read(primary, 4096)
        except OSError:  # the pty closes when rill exits
            break
        if not data:
            break
        shown += data
    process.wait(timeout=30)
    os.close(primary)
    piped = subprocess.run(command, capture_output=True, env=env, timeout=30)

    assert process.returncode == 0
    assert b"\x1b" not in shown and b"\x07" not in shown
    assert b"before" in shown and b"red after" in shown
    assert piped.stdout == b"before \x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m after\r\n"


def test_content_sent_as_parts_is_answered_whole(edge_server):
    env = {
        "OPENROUTER_API_KEY": TEST_API_KEY,
        "OPENROUTER_BASE_URL": edge_server.url,
        "RILL_DATA_DIR": os.environ["RILL_DATA_DIR"],
    }
    result = run_rill(
        "ask",
        "--show-reasoning",
        "--no-save",
        "-m",
        "demo/replay/content-parts",
        "What is 17 times 23?",
        env_extra=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "391 is the answer.\n"
    assert result.stderr.startswith("17 times 23: 340 + 51.")


def test_saving_that_waits_and_resumes_says_so_on_lines_of_its_own(tmp_path):
    """The history's own thread tells when saving waits for a lock and when it is saved
    after all: in the middle of reasoning those lines start a line of their own, and the
    reasoning goes on below."""
    from rillchat.demo import DemoServer, Pacing
    from rillchat.store.db import DATABASE_NAME, open_database
    from rillchat.store.history import History
    from tests.held_lock import HeldLock

    database = tmp_path / DATABASE_NAME
    History(open_database(database)).close()
    # 64 reasoning tokens, 5 s of them: saving waits a second into them; let go, it says
    # it saved after all about two seconds later.
    pacing = Pacing(token_delay=0.08, first_token_delay=0.1, keepalive_interval=0.1)
    with DemoServer(pacing=pacing) as server, HeldLock(database) as lock:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPENROUTER_")}
        env.update(
            OPENROUTER_API_KEY=TEST_API_KEY,
            OPENROUTER_BASE_URL=server.url,
            RILL_DATA_DIR=str(tmp_path),
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rillchat",
                "ask",
                "-m",
                "demo/reasoning",
                "--show-reasoning",
                "x",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert process.stderr is not None
        shown = b""
        while b"saving waits" not in shown:
            piece = process.stderr.read1(4096)
            assert piece, f"it ended without saying that saving waits: {shown!r}"
            shown += piece
        lock.release()
        out_bytes, rest = process.communicate(timeout=60)
    out, err = out_bytes.decode(), (shown + rest).decode()
    assert process.returncode == 0, err
    assert out == texts.REASONING_ANSWER
    lines = err.splitlines()
    notes = [line for line in lines if "rill:" in line]
    assert len(notes) == 2, err
    assert notes[0].startswith("rill: saving waits: another program holds the history locked")
    assert notes[1] == "rill: saved after all"
    assert "".join(line for line in lines if line not in notes) == "".join(texts.REASONING_STEPS)
