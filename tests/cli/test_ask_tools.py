"""`rill ask --tools` and `--schema` end to end: a subprocess talking to the local server over
HTTP, with tools from a real config.toml, command tools and a real MCP stdio server."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.cli.test_ask import run_rill
from tests.conftest import TEST_API_KEY

MCP_FIXTURES = Path(__file__).parent.parent / "fixtures" / "mcp"


def config_folder(tmp_path: Path, text: str) -> dict[str, str]:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "config.toml").write_text(text)
    data = tmp_path / "data"
    data.mkdir()
    return {"RILL_CONFIG_DIR": str(folder), "RILL_DATA_DIR": str(data)}


def saved_tool_results(env: dict[str, str]) -> list[dict]:
    database = sqlite3.connect(Path(env["RILL_DATA_DIR"]) / "history.sqlite3")
    rows = database.execute(
        "SELECT text, data FROM parts WHERE kind = 'tool_result' ORDER BY id"
    ).fetchall()
    return [{"content": text, **json.loads(data)} for text, data in rows]


def test_tools_with_yes_run_two_rounds_and_keep_every_decision(demo_server, tmp_path):
    env = config_folder(tmp_path, 'builtin_tools = ["datetime", "calculator"]\n')
    result = run_rill(
        "ask", "--tools", "--yes", "-m", "demo/auto", "tools", server=demo_server, env_extra=env
    )

    assert result.returncode == 0, result.stderr
    assert "`calculator`: 391" in result.stdout and "`calculator`: 1047" in result.stdout
    assert 'rill: tool call: calculator({"expression": "17 * 23"})' in result.stderr
    results = saved_tool_results(env)
    assert [(r["name"], r["decision"], r["is_error"]) for r in results] == [
        ("current_datetime", "allowed by --yes", False),
        ("calculator", "allowed by --yes", False),
        ("calculator", "allowed by --yes", False),
    ]
    assert results[1]["content"] == "391" and results[1]["duration"] >= 0
    last_request = demo_server.requests[-1]
    assert [m["role"] for m in last_request["messages"]] == [
        "user",
        "assistant",
        "tool",
        "tool",
        "assistant",
        "tool",
    ]
    assert {tool["function"]["name"] for tool in last_request["tools"]} == {
        "current_datetime",
        "calculator",
    }


def test_without_a_terminal_to_ask_on_calls_are_denied_and_the_model_is_told(
    demo_server, tmp_path
):
    env = config_folder(tmp_path, 'builtin_tools = ["calculator"]\n')
    result = run_rill(
        "ask",
        "--tools",
        "-m",
        "demo/auto",
        "a failing tool",
        server=demo_server,
        env_extra=env,
        new_session=True,
    )

    assert result.returncode == 0, result.stderr
    assert "no terminal to ask for approval on" in result.stderr
    assert "denied" in result.stdout
    [denied] = saved_tool_results(env)
    assert denied["decision"] == "denied" and denied["is_error"]


def test_a_failing_tool_and_bad_arguments_go_back_to_the_model(demo_server, tmp_path):
    env = config_folder(tmp_path, 'builtin_tools = ["calculator"]\n')
    failing = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "a failing tool",
        server=demo_server,
        env_extra=env,
    )
    assert failing.returncode == 0, failing.stderr
    assert "rill: calculator failed Division by zero." in failing.stderr
    assert "`calculator`: Division by zero." in failing.stdout

    bad = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "bad arguments",
        server=demo_server,
        env_extra=env,
    )
    assert bad.returncode == 0, bad.stderr
    assert "rill: calculator not run: The arguments are not valid JSON" in bad.stderr
    sent = demo_server.requests[-1]["messages"][-1]
    assert sent["role"] == "tool" and sent["content"].startswith("The arguments are not valid")


def test_a_command_tool_that_hangs_is_killed_at_its_timeout(demo_server, tmp_path):
    env = config_folder(
        tmp_path,
        f"""
[[tools]]
name = "slow_lookup"
description = "Never answers"
command = [{json.dumps(sys.executable)}, "-c", "import time; time.sleep(60)"]
timeout = 1
parameters = {{ type = "object", properties = {{ query = {{ type = "string" }} }} }}
""",
    )
    result = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "a slow tool",
        server=demo_server,
        env_extra=env,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "took longer than 1 s and was stopped" in result.stdout


def test_an_mcp_server_tool_is_called_and_its_result_reaches_the_next_request(
    demo_server, tmp_path
):
    env = config_folder(
        tmp_path,
        f"""
[[mcp_servers]]
name = "notes"
command = {json.dumps(sys.executable)}
args = [{json.dumps(str(MCP_FIXTURES / "notes_server.py"))}]

[[mcp_servers]]
name = "broken"
command = {json.dumps(sys.executable)}
args = [{json.dumps(str(MCP_FIXTURES / "broken_server.py"))}]
""",
    )
    result = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "tools",
        server=demo_server,
        env_extra=env,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "the MCP server 'broken' did not start" in result.stderr
    assert "notes database is locked by another process" in result.stderr
    first = next(
        request for request in reversed(demo_server.requests) if len(request["messages"]) == 1
    )
    assert [tool["function"]["name"] for tool in first["tools"]] == ["read_note"]
    tool_messages = [m for m in demo_server.requests[-1]["messages"] if m["role"] == "tool"]
    assert tool_messages[0]["content"].startswith("no note called ")
    assert "`read_note`: no note called " in result.stdout


def test_a_schema_file_that_is_not_json_schema_is_refused_before_any_request(
    demo_server, tmp_path
):
    schema = tmp_path / "bad.json"
    schema.write_text('{"type": "object", "properties": {"n": {"type": "numbr"}}}')
    before = len(demo_server.requests)
    result = run_rill(
        "ask", "--schema", str(schema), "-m", "demo/json", "list books", server=demo_server
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"rill: --schema {schema}: not a valid JSON Schema: $.properties.n.type:"
    )
    assert len(demo_server.requests) == before


def test_schema_answers_stream_raw_json_and_fail_when_they_do_not_fit(demo_server, tmp_path):
    fits = tmp_path / "books.json"
    fits.write_text(
        json.dumps(
            {
                "type": "object",
                "properties": {
                    "books": {"type": "array", "items": {"type": "object", "required": ["title"]}}
                },
                "required": ["books"],
            }
        )
    )
    result = run_rill(
        "ask", "--schema", str(fits), "-m", "demo/json", "list books", server=demo_server
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["books"]) == 6
    sent = demo_server.requests[-1]["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["strict"] is True

    strict = tmp_path / "isbn.json"
    strict.write_text(
        json.dumps(
            {
                "type": "object",
                "properties": {
                    "books": {"type": "array", "items": {"type": "object", "required": ["isbn"]}}
                },
            }
        )
    )
    result = run_rill(
        "ask", "--schema", str(strict), "-m", "demo/json", "list books", server=demo_server
    )
    assert result.returncode == 6
    assert json.loads(result.stdout)["books"][0]["title"] == "The Left Hand of Darkness"
    assert "does not fit the schema 'isbn': $.books[0]: 'isbn' is a required property" in (
        result.stderr
    )


def test_yes_without_tools_is_a_usage_error():
    result = run_rill("ask", "--yes", "--demo", "hi")
    assert result.returncode == 2 and "--yes only means something with --tools" in result.stderr


def test_calls_of_one_reply_run_side_by_side(demo_server, tmp_path):
    """Each of the two tools waits for the other to have started: they only both finish if
    they run at the same time."""

    def waiter(mine: str, other: str) -> str:
        return json.dumps(
            [
                sys.executable,
                "-c",
                (
                    "import pathlib, sys, time; folder = pathlib.Path(sys.argv[1]); "
                    f"(folder / {mine!r}).touch(); deadline = time.time() + 10\n"
                    f"while not (folder / {other!r}).exists() and time.time() < deadline: "
                    "time.sleep(0.02)\n"
                    f"print('met' if (folder / {other!r}).exists() else 'alone')"
                ),
                str(tmp_path),
            ]
        )

    env = config_folder(
        tmp_path,
        f"""
[[tools]]
name = "first"
command = {waiter("first", "second")}

[[tools]]
name = "second"
command = {waiter("second", "first")}
""",
    )
    result = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "tools",
        server=demo_server,
        env_extra=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    contents = [r["content"].strip() for r in saved_tool_results(env)]
    assert contents[:2] == ["met", "met"]


def test_an_unknown_tool_is_not_run_and_the_model_is_told(demo_server, tmp_path):
    env = config_folder(tmp_path, 'builtin_tools = ["datetime"]\n')
    result = run_rill(
        "ask",
        "--tools",
        "--yes",
        "-m",
        "demo/auto",
        "a failing tool",
        server=demo_server,
        env_extra=env,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "rill: get_weather not run: There is no tool called 'get_weather'. The tools are: "
        "current_datetime."
    ) in result.stderr
    [told] = saved_tool_results(env)
    assert told["decision"] == "invalid" and told["is_error"]


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_ctrl_c_at_the_approval_prompt_stops_at_once(demo_server, tmp_path):
    from tests.cli.terminal import Terminal, environment

    env = environment(
        **config_folder(tmp_path, 'builtin_tools = ["calculator"]\n'),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=demo_server.url,
    )
    terminal = Terminal(
        "ask", "--tools", "-m", "demo/auto", "a failing tool", env=env, controlling=True
    )
    try:
        terminal.read_until(b"[N] deny: ")
        terminal.type(b"\x03")
        assert terminal.wait(timeout=20) == 130
    finally:
        terminal.close()
    assert b"rill: stopped" in terminal.shown
    [result] = saved_tool_results(env)
    assert result["decision"] == "stopped"
