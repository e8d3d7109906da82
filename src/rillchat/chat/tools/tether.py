"""Rill's side of the supervisor (`supervisor.py`) that ties a tool's processes to Rill's
life: the command line that runs a command under it, and how to stop the group it leads."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import signal
import sys
import time
from pathlib import Path

SUPERVISOR = Path(__file__).with_name("supervisor.py")


def tethered(
    command: list[str] | tuple[str, ...], *, path: str | None, pid_file: str | None = None
) -> list[str]:
    """The argument list that runs `command` under the supervisor; start it with
    `start_new_session=True`, and its pid is the group's id. The program is looked up on
    `path` (the PATH it will run with) here, so that one that does not exist fails as it did
    without the supervisor, with OSError, not later inside it. `pid_file`: where the
    supervisor writes its pid, for when whoever starts it does not say (the MCP SDK)."""
    program = resolve(command[0], path)
    extra = ["--pid-file", pid_file] if pid_file is not None else []
    return [
        sys.executable,
        "-I",
        "-S",
        str(SUPERVISOR),
        str(os.getpid()),
        *extra,
        "--",
        program,
        *command[1:],
    ]


def resolve(program: str, path: str | None) -> str:
    """The program's full path, or the OSError starting it would raise."""
    found = shutil.which(program, path=path)
    if found is not None:
        return os.path.abspath(found)
    if os.sep in program and os.path.exists(program):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), program)
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), program)


async def stop_group(group: int, *, grace: float) -> None:
    """SIGTERM to the whole group, then SIGKILL to whatever is left of it after `grace`
    seconds."""
    if not signal_group(group, signal.SIGTERM):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        await asyncio.sleep(0.02)
        if not signal_group(group, 0):
            return
    signal_group(group, signal.SIGKILL)


def signal_group(group: int, number: int) -> bool:
    """Send `number` to the group; whether anyone was still in it."""
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member that is not ours (or a zombie, on macOS): still there
        return True
    return True
