"""The tools themselves: the calculator never evaluates code, file tools stay inside the
allowed folders, command tools never get a shell and are killed at their time limit."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rillchat.chat.conversation import ToolCallPart
from rillchat.chat.tools.base import ToolError
from rillchat.chat.tools.builtin import (
    MAX_FILE_BYTES,
    AllowedFolders,
    CalculatorTool,
    DateTimeTool,
    ListFolderTool,
    ReadFileTool,
    builtin_tools,
)
from rillchat.chat.tools.calculator import calculate
from rillchat.chat.tools.command import CommandTool
from rillchat.chat.tools.configs import CommandToolConfig, McpServerConfig
from rillchat.chat.tools.mcp_servers import McpServer
from rillchat.chat.tools.tether import tethered
from rillchat.chat.tools.toolbox import Toolbox
from tests.processes import group_left_alive, read_pids, still_alive

MCP_FIXTURES = Path(__file__).parent.parent / "fixtures" / "mcp"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("17 * 23", 391),
        ("(1 + 2) ** 3 / 9", 3.0),
        ("sqrt(16) + abs(-2)", 6.0),
        ("10 // 3 + 10 % 3", 4),
        ("-pi + pi", 0.0),
        ("max(2, 7, 3)", 7),
        ("2 ** 100", 2**100),
    ],
)
def test_calculator_does_arithmetic(expression, value):
    assert calculate(expression) == value


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("open('/etc/passwd')", "not allowed"),
        ("(1).__class__", "not allowed"),
        ("x + 1", "not allowed"),
        ("'a' * 3", "not allowed"),
        ("1 / 0", "Division by zero"),
        ("9 ** 9 ** 9", "too large"),
        ("factorial(100000)", "limited"),
        ("1 +", "Not an arithmetic expression"),
        ("1" * 600, "longer than"),
    ],
)
def test_calculator_refuses_what_is_not_arithmetic(expression, reason):
    with pytest.raises(ToolError, match=reason):
        calculate(expression)


async def test_builtin_tools_are_chosen_by_name(tmp_path):
    assert builtin_tools([], []) == []
    names = [
        tool.spec.name
        for tool in builtin_tools(["datetime", "calculator", "files"], [str(tmp_path)])
    ]
    assert names == ["current_datetime", "calculator", "read_file", "list_folder"]
    outcome = await CalculatorTool().run({"expression": "2 * 21"})
    assert outcome.content == "42"
    shown = (await DateTimeTool().run({"timezone": "Europe/Paris"})).content
    assert "ISO 8601" in shown
    with pytest.raises(ToolError, match="Unknown time zone"):
        await DateTimeTool().run({"timezone": "Mars/Olympus"})


@pytest.fixture
def folders(tmp_path):
    allowed = tmp_path / "notes"
    (allowed / "deep").mkdir(parents=True)
    (allowed / "todo.txt").write_text("buy milk\n")
    (allowed / "deep" / "plan.md").write_text("# Plan\n")
    (tmp_path / "secret.txt").write_text("the secret")
    (allowed / "link").symlink_to(tmp_path / "secret.txt")
    (allowed / "loop").symlink_to(allowed / "loop")
    return AllowedFolders([allowed])


async def test_files_are_read_only_under_allowed_folders(folders, tmp_path):
    read = ReadFileTool(folders)
    assert (await read.run({"path": "todo.txt"})).content == "buy milk\n"
    assert (await read.run({"path": str(tmp_path / "notes/deep/plan.md")})).content == "# Plan\n"
    for outside in (
        "../secret.txt",
        str(tmp_path / "secret.txt"),
        "link",
        "deep/../../secret.txt",
        "/etc/passwd",
    ):
        with pytest.raises(ToolError, match="outside the allowed folders"):
            await read.run({"path": outside})
    with pytest.raises(ToolError, match="loop of symbolic links"):
        await read.run({"path": "loop/../link"})  # found by tests/reliability/test_tool_limits
    with pytest.raises(ToolError, match="no file"):
        await read.run({"path": "missing.txt"})
    with pytest.raises(ToolError, match="is a folder"):
        await read.run({"path": "deep"})
    with pytest.raises(ToolError, match="No folders are allowed"):
        await ReadFileTool(AllowedFolders([])).run({"path": "todo.txt"})


async def test_file_reads_are_capped_and_binary_is_refused(folders):
    big = folders.folders[0] / "big.txt"
    big.write_text("x" * (MAX_FILE_BYTES + 10))
    shown = (await ReadFileTool(folders).run({"path": "big.txt"})).content
    assert shown.startswith("x" * 100) and f"offset {MAX_FILE_BYTES}" in shown
    assert len(shown) < MAX_FILE_BYTES + 200
    (folders.folders[0] / "blob.bin").write_bytes(b"\x00\x01\x02" * 10)
    with pytest.raises(ToolError, match="binary"):
        await ReadFileTool(folders).run({"path": "blob.bin"})


async def test_folders_are_listed(folders):
    listing = (await ListFolderTool(folders).run({})).content
    assert "deep/" in listing and "todo.txt  9 bytes" in listing and "link  (link)" in listing
    with pytest.raises(ToolError, match="outside"):
        await ListFolderTool(folders).run({"path": ".."})


def command_tool(script: str, **options) -> CommandTool:
    return CommandTool(
        CommandToolConfig(
            name="script",
            description="test",
            command=(sys.executable, "-c", textwrap.dedent(script)),
            parameters={"type": "object"},
            **options,
        )
    )


async def test_command_tool_gets_its_arguments_as_json_on_stdin_and_no_shell():
    tool = command_tool("""
        import json, sys
        arguments = json.load(sys.stdin)
        print(arguments["text"].upper())
    """)
    outcome = await tool.run({"text": "$(rm -rf ~); `echo hi` | cat"})
    assert outcome.content == "$(RM -RF ~); `ECHO HI` | CAT\n" and not outcome.is_error


async def test_command_tool_failure_reports_status_and_stderr():
    outcome = await command_tool("import sys; print('half'); sys.exit('it broke')").run({})
    assert outcome.is_error
    assert "exit status 1" in outcome.content and "it broke" in outcome.content


async def test_command_that_cannot_start_is_a_tool_error():
    tool = CommandTool(CommandToolConfig("x", "x", ("/no/such/program",), {"type": "object"}))
    with pytest.raises(ToolError, match="could not start"):
        await tool.run({})


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_command_tool_is_killed_with_its_children_at_its_timeout(tmp_path):
    pid_file = tmp_path / "child.pid"
    tool = command_tool(
        f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        time.sleep(60)
    """,
        timeout=1.0,
    )
    started = time.monotonic()
    with pytest.raises(ToolError, match="longer than 1 s"):
        await tool.run({})
    assert time.monotonic() - started < 5
    child = int(pid_file.read_text())
    for _ in range(50):
        if not alive(child):
            break
        await asyncio.sleep(0.05)
    assert not alive(child), "the command's child outlived the timeout"


async def test_cancelling_a_command_tool_kills_it(tmp_path):
    pid_file = tmp_path / "pid"
    tool = command_tool(f"""
        import os, time
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        time.sleep(60)
    """)
    task = asyncio.create_task(tool.run({}))
    while not pid_file.exists() or not pid_file.read_text():
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    pid = int(pid_file.read_text())
    for _ in range(50):
        if not alive(pid):
            break
        await asyncio.sleep(0.05)
    assert not alive(pid)


def test_a_thread_of_rill_that_ends_does_not_end_its_tools():
    """The kernel's parent-death signal comes when the *thread* that started a process ends;
    the supervisor must tell that from Rill's own end."""

    def start() -> subprocess.Popen:
        command = [
            sys.executable,
            "-c",
            "import time; print('started', flush=True); time.sleep(1); print('still here')",
        ]
        process = subprocess.Popen(
            tethered(command, path=os.environ.get("PATH")),
            start_new_session=True,
            stdout=subprocess.PIPE,
        )
        assert process.stdout is not None
        assert process.stdout.readline() == b"started\n"  # the supervisor is all set up
        return process

    with ThreadPoolExecutor(1) as pool:
        process = pool.submit(start).result()
    # The pool's thread has ended; the command still runs.
    output, _ = process.communicate(timeout=20)
    assert output == b"still here\n" and process.returncode == 0


async def test_a_command_tool_ended_by_a_signal_says_so():
    outcome = await command_tool("import os, signal; os.kill(os.getpid(), signal.SIGTERM)").run({})
    assert outcome.is_error and "exit status -15" in outcome.content


async def test_an_mcp_server_that_never_answers_is_closed_at_once_with_its_children(tmp_path):
    pid_file = tmp_path / "pids"
    server = McpServer(
        McpServerConfig(
            "stubborn",
            sys.executable,
            (str(MCP_FIXTURES / "silent_server.py"), str(pid_file), "--ignore-sigterm"),
        )
    )
    starting = asyncio.create_task(server.start())
    deadline = time.monotonic() + 30
    while not pid_file.exists():
        assert time.monotonic() < deadline, "the server never started"
        await asyncio.sleep(0.05)
    pids = read_pids(pid_file, within=0)
    began = time.monotonic()
    await server.close()
    took = time.monotonic() - began
    await starting
    assert took < 1.5, f"closing took {took:.2f} s"  # about 0.3 s; the rest is for busy CI
    assert not still_alive(pids, within=0.5)
    assert not server.tools


LEAVES_A_SLEEP_RUNNING = "sleep 30{redirect} & ps -o pgid= -p $$; exit {status}"
"""A shell that starts `sleep` in the background, prints its process group and exits."""


@pytest.mark.parametrize(
    "redirect", [" >/dev/null 2>&1", ""], ids=["output elsewhere", "output on the tool's pipes"]
)
async def test_what_a_command_tool_leaves_running_ends_with_its_call(redirect):
    tool = CommandTool(
        CommandToolConfig(
            "leaves",
            "test",
            ("sh", "-c", LEAVES_A_SLEEP_RUNNING.format(redirect=redirect, status=0)),
            {"type": "object"},
            timeout=10.0,
        )
    )
    started = time.monotonic()
    outcome = await tool.run({})
    # A child that holds the pipes does not keep the call waiting for the end of its output.
    assert time.monotonic() - started < 5, outcome.content
    assert not outcome.is_error
    assert not group_left_alive(int(outcome.content), within=1.0)


def test_the_supervisor_ends_what_its_command_left_running_and_exits_as_it_did():
    """Its own guarantee, whoever started it: once it is gone, nothing is left to guard what the
    command left behind, and a Rill killed at that moment could not stop it either."""
    command = ["sh", "-c", LEAVES_A_SLEEP_RUNNING.format(redirect=" >/dev/null 2>&1", status=3)]
    process = subprocess.Popen(
        tethered(command, path=os.environ.get("PATH")),
        start_new_session=True,
        stdout=subprocess.PIPE,
    )
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 3
    assert not group_left_alive(int(output), within=1.0)


async def test_an_mcp_server_that_leaves_as_asked_takes_its_helpers_with_it(tmp_path):
    group_file = tmp_path / "group"
    server = McpServer(
        McpServerConfig(
            "helped",
            sys.executable,
            (str(MCP_FIXTURES / "server_with_a_helper.py"), str(group_file)),
        )
    )
    await server.start()
    assert [tool.spec.name for tool in server.tools] == ["ping"], server.failure
    await server.close()
    assert not group_left_alive(int(group_file.read_text()), within=1.0)


async def test_a_flood_of_output_is_capped_without_blocking():
    tool = command_tool(
        """
        import sys
        for _ in range(2000):
            sys.stdout.write("y" * 10000)
    """,
        max_output=1000,
    )
    started = time.monotonic()
    outcome = await tool.run({})
    assert time.monotonic() - started < 10
    assert outcome.content.startswith("y" * 1000)
    assert "output cut at 1,000 bytes of 20,000,000" in outcome.content


async def test_a_command_flooding_without_end_is_still_stopped_at_its_timeout():
    # asyncio's wait() waits for the pipes to close too; unread output used to hang it here.
    tool = command_tool(
        """
        import sys
        while True:
            sys.stdout.write("y" * 65536)
    """,
        max_output=1000,
        timeout=1.0,
    )
    with pytest.raises(ToolError, match="longer than 1 s"):
        await asyncio.wait_for(tool.run({}), 30)


def call(name: str, arguments: str, index: int = 0) -> ToolCallPart:
    return ToolCallPart(index=index, id=f"call_{index}", name=name, arguments=arguments)


async def test_toolbox_checks_calls_before_anyone_is_asked():
    toolbox = Toolbox([CalculatorTool()])
    assert toolbox.api_tools()[0]["function"]["name"] == "calculator"
    assert toolbox.check(call("calculator", '{"expression": "1+1"}')).problem is None
    assert "no tool called 'rm'" in toolbox.check(call("rm", "{}")).problem
    assert "not valid JSON" in toolbox.check(call("calculator", '{"expression": ')).problem
    problem = toolbox.check(call("calculator", '{"expr": 3}')).problem
    assert "do not fit the tool's schema" in problem and "'expression' is a required" in problem
    checked = toolbox.check(call("calculator", '{"expression": "1/0"}'))
    result = await toolbox.run(checked)
    assert result.outcome.is_error and result.outcome.content == "Division by zero."


def test_a_tool_name_taken_twice_is_left_out_and_named():
    toolbox = Toolbox([CalculatorTool(), command_tool("print(1)")])
    clash = CommandTool(CommandToolConfig("calculator", "mine", ("true",), {"type": "object"}))
    toolbox.add(clash)
    assert list(toolbox.tools) == ["calculator", "script"]
    assert "taken by the built-in tool" in toolbox.problems[0]
