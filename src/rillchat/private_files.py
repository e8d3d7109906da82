"""The data folder and what Rill writes in it are for their owner only: the history holds every
conversation, and the umask most systems use (022) would let every user of the machine read
it. Folders are 0700 and files 0600; ones found looser (made by an older Rill, or copied in)
are tightened when Rill opens them, never loosened."""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create `path` (its parents as usual) readable only by its owner, or tighten it."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> None:
    """Take group and other access away from `path`, when it is there."""
    _tighten(path, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` empty and 0600 when it is not there yet, so whatever then opens it (SQLite
    copies a database's mode to its -wal and -shm) never makes it readable by others."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        private_file(path)


def _tighten(path: Path, allowed: int) -> None:
    if os.name != "posix":  # pragma: no cover - Windows keeps its own access lists
        return
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:  # not there, or a file where a folder of its path should be
        return
    if mode & ~allowed:
        try:
            os.chmod(path, mode & allowed)
        except PermissionError:  # someone else's file: not ours to change
            pass
