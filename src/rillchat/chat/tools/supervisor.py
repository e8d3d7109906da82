"""The supervisor a tool process runs under, so that it and everything it starts end when Rill
ends, even when Rill is killed with `kill -9` (see `tether.py` for Rill's side).

Run as a script, `python -I -S supervisor.py RILL_PID [--pid-file FILE] -- COMMAND...`, by Rill
in a session of its own, it starts the command in that session's process group, waits for it
and exits as it did. When Rill goes away, however it goes, the supervisor kills the whole
group: the command and what it started (a shell script's `sleep 30`), which no signal from Rill
could reach once Rill is dead, and which the kernel's parent-death signal never reaches either:
that one only tells a direct child.

How the supervisor learns that Rill went away:

- On Linux the kernel tells it at once: it asks for a signal on its parent's death
  (`PR_SET_PDEATHSIG`) itself, first thing, so that Rill runs no code between fork and exec (a
  `preexec_fn` is unsafe in a program with threads, and Textual has some). That signal comes
  when the parent *thread* ends, not the process, so the supervisor only acts once its parent
  pid has changed too: a thread of Rill that ends is no death. (Rill starts tools from its
  event loop, on the main thread, which lives as long as Rill.)
- Elsewhere (macOS, the BSDs) it looks every quarter of a second whether its parent changed,
  so the group ends within that of Rill. (Windows has neither process groups nor this module's
  calls; Rill does not run there.)

When the command itself ends, what it left running in the group (a shell's `sleep 30 &`, a
server's helper) ends too, right after the supervisor exits as the command did: otherwise it
would run on with no one left to guard it, and a Rill killed then could not stop it either.

A polite SIGTERM to the group (how the MCP SDK stops a server) leaves the supervisor standing:
the command got it too and decides, and the group stays guarded until it ends.

Only the standard library's built-in modules are imported, so that it starts in a few
milliseconds under `-I -S` (isolated, no site packages).
"""

import os
import signal
import sys
import time

POLL_INTERVAL = 0.25
"""Seconds between looks at the parent where the kernel does not say when it dies."""
_PR_SET_PDEATHSIG = 1
_CANNOT_START = 127
"""The exit status of a command that could not be started, as a shell uses it."""
_RESET_FOR_THE_COMMAND = tuple(
    getattr(signal, name) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(signal, name)
)
"""Signals Python ignores for itself; ignored signals would stay ignored in the command (as
`subprocess`'s restore_signals knows)."""


def _end_group() -> None:
    os.killpg(0, signal.SIGKILL)  # its own group: the command, its children, the supervisor


def supervise(parent: int, pid_file: str | None, command: list[str]) -> int:
    if os.getsid(0) != os.getpid():  # never take Rill's own group down with the command's
        os.setsid()

    def on_signal(number: int, frame: object) -> None:
        if os.getppid() != parent:
            _end_group()

    signal.signal(signal.SIGTERM, on_signal)
    told_by_kernel = _ask_for_parent_death_signal(signal.SIGTERM)
    if os.getppid() != parent:  # Rill went before the kernel was asked
        _end_group()
    if pid_file is not None:
        with open(pid_file + ".part", "w") as file:
            file.write(str(os.getpid()))
        os.replace(pid_file + ".part", pid_file)
    try:
        child = os.posix_spawn(command[0], command, os.environ, setsigdef=_RESET_FOR_THE_COMMAND)
    except OSError as exc:
        sys.stderr.write(f"rill: could not start {command[0]}: {exc.strerror or exc}\n")
        return _CANNOT_START
    # Only the command holds the pipes Rill reads and writes from here on, so that they end
    # when the command's ends of them do.
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    while True:
        done, status = os.waitpid(child, 0 if told_by_kernel else os.WNOHANG)
        if done:
            break
        if os.getppid() != parent:
            _end_group()
        time.sleep(POLL_INTERVAL)
    _end_the_rest_after_exit(devnull)
    if os.WIFSIGNALED(status):  # end the same way, so Rill sees what ended the command
        number = os.WTERMSIG(status)
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
        return 128 + number
    return os.waitstatus_to_exitcode(status)


def _end_the_rest_after_exit(devnull: int) -> None:
    """Kill the group once the supervisor has exited. A signal to the group would reach the
    supervisor too, before it could exit with the command's status; so a child of its own, in
    the same group, waits for that exit (the end of a pipe only the supervisor holds open) and
    then kills the group, itself included. That child keeps the group's id from being reused
    until the kill, so the kill cannot reach anyone else's processes."""
    try:
        exited, still_here = os.pipe()
        child = os.fork()
    except OSError:  # out of processes or files: the command's status matters less than this
        _end_group()
        return
    if child == 0:
        try:
            os.close(still_here)
            os.dup2(devnull, 2)  # the tool's stderr ends when the command's does
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the group's end is this kill
            os.read(exited, 1)
        finally:
            _end_group()
            os._exit(0)
    os.close(exited)


def _ask_for_parent_death_signal(number: int) -> bool:
    """Linux: have the kernel send `number` when the parent dies. False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, number, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def main(arguments: list[str]) -> int:
    parent, *rest = arguments
    pid_file = None
    if rest[:1] == ["--pid-file"]:
        pid_file, rest = rest[1], rest[2:]
    if rest[:1] != ["--"] or len(rest) < 2:
        sys.stderr.write("usage: supervisor.py PARENT_PID [--pid-file FILE] -- COMMAND...\n")
        return 2
    return supervise(int(parent), pid_file, rest[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
