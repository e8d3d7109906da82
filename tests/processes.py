"""Whether processes a test started (through Rill) are still alive."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

_PROC = Path("/proc/self/stat")


def alive(pid: int) -> bool:
    """Running: a zombie (dead, its status not yet read by the parent, which for an orphan is
    init, in its own time) does not count where /proc tells them apart."""
    if _PROC.exists():
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        return state != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def still_alive(pids: Iterable[int], *, within: float) -> list[int]:
    """The pids still alive after waiting up to `within` seconds for them all to end."""
    pids = list(pids)
    deadline = time.monotonic() + within
    while (left := [pid for pid in pids if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def read_pids(path: Path, *, within: float, reading=None) -> list[int]:
    """The pids a fixture wrote to `path` (space separated), waiting up to `within` seconds
    for the file; `reading(seconds)` is called while waiting (a terminal to read)."""
    deadline = time.monotonic() + within
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} was never written"
        if reading is not None:
            reading(0.05)
        else:
            time.sleep(0.05)
    return [int(pid) for pid in path.read_text().split()]


def group_members(group: int) -> list[int]:
    """The pids alive in process group `group` (zombies left out where /proc tells them)."""
    members = []
    if _PROC.exists():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
        return members
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=", "-o", "pgid=", "-o", "stat="],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in listing.splitlines():
        pid, pgid, state = line.split()[:3]
        if int(pgid) == group and not state.startswith("Z"):
            members.append(int(pid))
    return members


def group_left_alive(group: int, *, within: float) -> list[int]:
    """The members of `group` still alive after waiting up to `within` seconds for it to end."""
    deadline = time.monotonic() + within
    while (left := group_members(group)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left
