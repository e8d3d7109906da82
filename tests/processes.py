"""Whether processes a test started (through Rill) are still alive."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path


def alive(pid: int) -> bool:
    """Running: a zombie (dead, waiting for its parent to read its status) does not count."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.is_dir() and Path("/proc/self").exists():
        try:
            return stat.read_text().rpartition(")")[2].split()[0] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False
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
