"""Telling a reply another Rill is still writing from one a Rill left behind when it died.

Each Rill that saves takes a lease: an exclusive lock on a file named by a random token, in a
folder beside the database. A reply saved while streaming carries its writer's token. The
operating system drops the lock when the process ends, however it ends (kill -9 included), so
a streaming reply whose token's lock can be taken belongs to nobody and was interrupted."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from rillchat.private_files import private_file, private_folder

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def leases_folder(database: Path) -> Path:
    return database.parent / "writers"


class WriterLease:
    """This process's lease, held until `release` or the process's end."""

    def __init__(self, folder: Path) -> None:
        private_folder(folder)
        self.folder = folder
        self.token = uuid.uuid4().hex
        self._path = folder / f"{self.token}.lock"
        self._fd: int | None = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(self._fd):  # a fresh random name: nobody else can hold it
            raise OSError(f"could not lock {self._path}")
        for other in folder.glob("*.lock"):  # the files of Rills that died are swept
            if self.is_running(other.stem):
                private_file(other)  # an older Rill's, made before they were 0600

    def is_running(self, token: str) -> bool:
        """Whether the Rill holding `token` is still alive. A dead one's file is removed."""
        if token == self.token:
            return self._fd is not None
        path = self.folder / f"{token}.lock"
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            if not _try_lock(fd):
                return True
            path.unlink(missing_ok=True)
            _unlock(fd)
            return False
        finally:
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        self._path.unlink(missing_ok=True)
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None
