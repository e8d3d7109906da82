"""MCP servers from config.toml, started over stdio with the `mcp` SDK; their tools join the
others and go through the same approval.

Each server lives in one long task: the SDK's context managers must be entered and left in
the same task. A server that will not start is reported with its stderr; the others go on.

Each runs under Rill's supervisor (`supervisor.py`), which the SDK starts in a session of its
own: nothing the server starts outlives Rill, and closing never waits on a server that does not
answer as long as the SDK's own shutdown would (two seconds after its stdin closes, two more
after SIGTERM): Rill signals the server's process group itself, sooner."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from rillchat.chat.tools.base import ToolError, ToolOutcome, ToolSpec
from rillchat.chat.tools.configs import TOOL_NAME, McpServerConfig
from rillchat.chat.tools.tether import stop_group, tethered
from rillchat.terminal_text import one_line

START_TIMEOUT = 20.0
CLOSE_GRACE = 0.25
"""Seconds a closing server has to leave once its stdin is closed, and again after SIGTERM,
before it is killed: quitting Rill must not wait on a server that does not answer."""
_PID_FILE_WAIT = 2.0
_PID_FILE_POLL = 0.01
_STDERR_SHOWN = 1500


class McpServer:
    """One running server: `start()` returns once its tools are known or it failed."""

    def __init__(self, config: McpServerConfig) -> None:
        self.config = config
        self.tools: list[McpTool] = []
        self.failure: str | None = None
        """Why the server is not available: what went wrong and what it wrote to stderr."""
        self._session: Any = None
        self._ready = asyncio.Event()
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._group: int | None = None
        """The server's process group (its supervisor's pid), which the SDK does not give."""

    async def start(self) -> None:
        self._task = asyncio.create_task(self._serve(), name=f"mcp {self.config.name}")
        try:
            await asyncio.wait_for(self._ready.wait(), START_TIMEOUT)
        except TimeoutError:
            self.failure = f"it did not answer within {START_TIMEOUT:g} s" + self._stderr_tail()
            await self.close()

    async def close(self) -> None:
        """Stop the server, in well under a second whatever it does: its stdin is closed (how
        the protocol asks a server to leave), then its process group gets SIGTERM, then
        SIGKILL."""
        self._closing.set()
        task = self._task
        if task is None or task.done():
            return
        if self._session is None:
            task.cancel()  # it never answered: there is no session to leave, nor to wait for
        else:
            await asyncio.wait({task}, timeout=CLOSE_GRACE)
        if not task.done():
            if self._group is not None:
                await stop_group(self._group, grace=CLOSE_GRACE)
            await asyncio.wait({task}, timeout=CLOSE_GRACE)
        if not task.done():
            task.cancel()  # whatever the SDK still waits on after the kill, it waits no more

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutcome:
        if self._session is None or self._closing.is_set():
            raise ToolError(f"The MCP server {self.config.name!r} is not running.")
        try:
            result = await self._session.call_tool(name, arguments)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise ToolError(
                f"The MCP server {self.config.name!r} failed: "
                f"{one_line(str(exc)) or type(exc).__name__}."
            ) from None
        pieces = []
        for block in getattr(result, "content", None) or []:
            text = getattr(block, "text", None)
            pieces.append(
                text
                if isinstance(text, str)
                else f"[{getattr(block, 'type', 'content')} not shown]"
            )
        return ToolOutcome("\n".join(pieces), is_error=bool(getattr(result, "is_error", False)))

    async def _serve(self) -> None:
        from mcp import ClientSession
        from mcp.client.stdio import StdioServerParameters, stdio_client

        config = self.config
        self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        folder = Path(tempfile.mkdtemp(prefix="rill-mcp-"))
        try:
            path = config.env.get("PATH", os.environ.get("PATH", os.defpath))
            command = tethered(
                (config.command, *config.args), path=path, pid_file=str(folder / "pid")
            )
            parameters = StdioServerParameters(
                command=command[0], args=command[1:], env=dict(config.env) or None
            )
            async with stdio_client(parameters, errlog=self._errlog) as (reader, writer):
                self._group = await _written_pid(folder / "pid")
                # Gone once read, so that a Rill killed later leaves nothing behind.
                shutil.rmtree(folder, ignore_errors=True)
                async with ClientSession(reader, writer) as session:
                    await session.initialize()
                    listed = await session.list_tools()
                    self.tools = [
                        McpTool(self, tool.name, tool.description or "", tool.input_schema)
                        for tool in listed.tools
                    ]
                    self._session = session
                    self._ready.set()
                    await self._closing.wait()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # the SDK raises exception groups from its task group
            self.failure = _reason(exc) + self._stderr_tail()
        finally:
            self._session = None
            self._ready.set()
            self._errlog.close()
            shutil.rmtree(folder, ignore_errors=True)

    def _stderr_tail(self) -> str:
        try:
            self._errlog.flush()
            self._errlog.seek(0)
            text = self._errlog.read().strip()
        except (OSError, ValueError, AttributeError):
            return ""
        if not text:
            return ""
        return "; its stderr said: " + text[-_STDERR_SHOWN:]


async def _written_pid(pid_file: Path) -> int | None:
    """The pid the supervisor writes down first thing (in a few tens of milliseconds), or None
    if it never does."""
    for _ in range(int(_PID_FILE_WAIT / _PID_FILE_POLL)):
        try:
            return int(pid_file.read_text())
        except (OSError, ValueError):
            await asyncio.sleep(_PID_FILE_POLL)
    return None


def _reason(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, FileNotFoundError):
        return f"the command was not found ({exc.filename or exc})"
    if isinstance(exc, OSError):
        return f"it could not start ({exc.strerror or exc})"
    text = one_line(str(exc))
    if text == "Connection closed":  # what the SDK says when the server exits early
        return "it exited before it answered"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class McpTool:
    def __init__(
        self, server: McpServer, name: str, description: str, schema: dict[str, Any]
    ) -> None:
        self.server = server
        self.remote_name = name
        exposed = (
            name
            if TOOL_NAME.fullmatch(name)
            else "_".join(piece for piece in name.replace(".", "_").split() if piece)[:64]
        )
        self.spec = ToolSpec(
            exposed, description, schema or {"type": "object"}, f"MCP server {server.config.name}"
        )

    def renamed(self, name: str) -> McpTool:
        clone = McpTool(self.server, self.remote_name, self.spec.description, self.spec.parameters)
        clone.spec = ToolSpec(name, self.spec.description, self.spec.parameters, self.spec.source)
        return clone

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        return await self.server.call(self.remote_name, arguments)
