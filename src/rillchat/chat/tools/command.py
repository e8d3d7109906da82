"""Tools the user defined in config.toml as commands: run as an argument list (never through a
shell), the arguments as JSON on stdin, within a time limit and an output cap."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from typing import Any

from rillchat.chat.tools.base import ToolError, ToolOutcome, ToolSpec
from rillchat.chat.tools.configs import CommandToolConfig
from rillchat.chat.tools.tether import signal_group, tethered
from rillchat.config.variables import API_KEY_ENV

_READ_SIZE = 65536
_STDERR_KEPT = 2000
_DRAIN_PAUSE = 0.005


class CommandTool:
    def __init__(self, config: CommandToolConfig) -> None:
        self.config = config
        self.spec = ToolSpec(config.name, config.description, config.parameters, "command")

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        config = self.config
        environment = _environment()
        try:
            process = await asyncio.create_subprocess_exec(
                # Under the supervisor, so that nothing it starts outlives Rill.
                *tethered(config.command, path=environment.get("PATH", os.defpath)),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
            )  # its own process group, so all of it can be stopped
        except OSError as exc:
            raise ToolError(
                f"The command {config.command[0]!r} could not start: {exc.strerror or exc}."
            ) from None
        try:
            stdout, stdout_size, stderr = await asyncio.wait_for(
                _talk(process, json.dumps(arguments).encode(), config.max_output),
                timeout=config.timeout,
            )
        except TimeoutError:
            await _kill_group(process)
            raise ToolError(
                f"The command took longer than {config.timeout:g} s and was stopped."
            ) from None
        except BaseException:  # cancelled by the user: stop everything it started
            await _kill_group(process)
            raise
        text = stdout.decode("utf-8", errors="replace")
        if stdout_size > config.max_output:
            text += f"\n[output cut at {config.max_output:,} bytes of {stdout_size:,}]"
        if process.returncode:
            detail = stderr.decode("utf-8", errors="replace").strip()[-_STDERR_KEPT:]
            return ToolOutcome(
                f"The command failed (exit status {process.returncode})."
                + (f"\nstderr:\n{detail}" if detail else "")
                + (f"\nstdout:\n{text}" if text.strip() else ""),
                is_error=True,
            )
        return ToolOutcome(text)


def _environment() -> dict[str, str]:
    """Rill's environment without the API key: what a tool prints goes to the model and into
    the history, and a tool has no business spending the user's credits."""
    return {name: value for name, value in os.environ.items() if name != API_KEY_ENV}


async def _talk(
    process: asyncio.subprocess.Process, data: bytes, limit: int
) -> tuple[bytes, int, bytes]:
    async def feed() -> None:
        assert process.stdin is not None
        try:
            process.stdin.write(data)
            await process.stdin.drain()
            process.stdin.close()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the command does not read its arguments: fine

    async def read(stream: asyncio.StreamReader, keep: int) -> tuple[bytes, int]:
        kept = bytearray()
        size = 0
        while chunk := await stream.read(_READ_SIZE):
            size += len(chunk)
            if len(kept) < keep:
                kept += chunk[: keep - len(kept)]
            else:
                # Past the cap the rest is only counted. Reading it flat out would take a
                # core from the chat while a command floods; the pipe makes it wait instead.
                await asyncio.sleep(_DRAIN_PAUSE)
        return bytes(kept), size

    assert process.stdout is not None and process.stderr is not None
    _, (stdout, size), (stderr, _) = await asyncio.gather(
        feed(), read(process.stdout, limit), read(process.stderr, 64_000)
    )
    await process.wait()
    return stdout, size, stderr


async def _kill_group(process: asyncio.subprocess.Process) -> None:
    signal_group(process.pid, signal.SIGKILL)  # the supervisor's pid is the group's id
    # asyncio's wait() also waits for the pipes to close. After a flood, the output nobody
    # reads any more fills the reader, reading pauses, and the end of the pipe is never seen:
    # wait() would hang forever. Closing the transport lets the pipes go.
    transport = getattr(process, "_transport", None)
    if transport is not None:
        transport.close()
    try:
        await asyncio.shield(process.wait())
    except asyncio.CancelledError:
        pass
