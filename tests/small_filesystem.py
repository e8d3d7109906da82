"""A real, small filesystem (a tmpfs of a few megabytes) for tests of a full disk.

Mounting needs privilege. The test is run inside a user and mount namespace of its own
(`unshare -rm`, which works unprivileged where the kernel allows user namespaces, and as root):
there it may mount, the mount is seen by the processes it starts, and it vanishes with them,
so nothing is ever left mounted. Where that is refused, root mounts here directly (and
unmounts after); anyone else has the test skipped, with the reason printed (`-ra`).

SQLite resolves paths through `/proc/PID/root`, so a process outside the namespace cannot use a
database inside it: the whole test runs inside, not just the programs it starts.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

INSIDE = "RILL_TEST_MOUNT_NAMESPACE"
"""Set in the environment of a test run inside its own mount namespace."""
SIZE = "4m"


class SmallFilesystem:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fillers: list[Path] = []

    def fill(self) -> Path:
        """Write a file until the filesystem is full to the last page; return it."""
        filler = self.folder / f"filler-{len(self._fillers)}"
        self._fillers.append(filler)
        with filler.open("wb", buffering=0) as file:
            for chunk in (1 << 16, 1 << 12, 1 << 9):
                try:
                    while True:
                        file.write(b"\0" * chunk)
                except OSError:
                    continue
        return filler

    def free(self) -> None:
        """Remove what `fill` wrote."""
        for filler in self._fillers:
            filler.unlink(missing_ok=True)
        self._fillers.clear()

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.folder).free


class RunInNamespace:
    """The fixture's value when the test is to run again inside a namespace of its own."""


def _mount(folder: Path) -> str | None:
    """Mount a small tmpfs on `folder`; the reason it could not, or None."""
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if result.returncode == 0 else (result.stderr.strip() or "mount failed")


@functools.cache
def namespace_refusal() -> str | None:
    """Why `unshare -rm` cannot mount a tmpfs here, or None when it can."""
    if shutil.which("unshare") is None:
        return "no unshare command"
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{folder}'"],
            capture_output=True,
            text=True,
            check=False,
        )
    return None if result.returncode == 0 else (result.stderr.strip() or "unshare failed")


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[SmallFilesystem | RunInNamespace]:
    folder = tmp_path / "small"
    folder.mkdir()
    if not os.environ.get(INSIDE) and namespace_refusal() is None:
        yield RunInNamespace()  # see run_inside_namespace
        return
    if not os.environ.get(INSIDE) and os.geteuid() != 0:
        pytest.skip(
            f"a full disk needs a small tmpfs: not root, and `unshare -rm` cannot "
            f"mount one here ({namespace_refusal()})"
        )
    refusal = _mount(folder)
    if refusal is not None:
        pytest.skip(f"a full disk needs a small tmpfs, and mounting one failed: {refusal}")
    try:
        yield SmallFilesystem(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def run_inside_namespace(item: pytest.Function) -> None:
    """Run one test again, in a pytest of its own inside `unshare -rm`, and fail or skip as
    it did there. Its output is shown when it fails."""
    basetemp = Path(tempfile.mkdtemp(prefix="rill-namespace-"))
    try:
        result = subprocess.run(
            [
                "unshare",
                "-rm",
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-rs",
                "-s",
                "-p",
                "no:cacheprovider",
                f"--basetemp={basetemp / 'run'}",
                item.nodeid,
            ],
            cwd=item.config.rootpath,
            env={**os.environ, INSIDE: "1"},
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    finally:
        shutil.rmtree(basetemp, ignore_errors=True)
    output = result.stdout + result.stderr
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if result.returncode == 0 and " passed" in last:
        print(f"ran inside a user and mount namespace of its own: {last}")
        print(output)
        return
    if result.returncode == 0 and " skipped" in last:
        pytest.skip(f"inside its own namespace: {output.strip()}")
    pytest.fail(f"inside its own user and mount namespace:\n{output}", pytrace=False)
