"""How fast Rill starts, and how fast a burst reply reaches a real terminal.

    python benchmarks/startup.py [--runs 10]

Prints, each with its target (issue 7):
- `rill --version`: median wall time of a fresh process (target under 150 ms);
- `rill --demo` to its first painted screen, in tmux at 120x40: from starting the process to
  the first capture of the pane that shows the whole chat, welcome, prompt and the footer of
  keys (target under 500 ms), and beside it a Textual app of one widget timed the same way, in
  turns with it (what any Textual app pays), and the difference: Rill's own share;
- the last line of a 4,000-token burst reply visible in tmux at 120x40, from pressing Enter
  (target under 1.5 s), and beside it a bare `openai` SDK loop reading the same stream.
The tmux figures poll the pane every 5 ms, so they read up to 5 ms late. Each run uses its own
empty config and data folders. Rill's modules are byte-compiled first, as `pip install` does:
an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile them on every
start (about 150 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stream_throughput import bare_sdk, start_server

RILL = str(Path(sys.executable).with_name("rill"))
VERSION_TARGET = 0.150
FIRST_PAINT_TARGET = 0.500
LAST_LINE_TARGET = 1.5


def version_time() -> float:
    started = time.perf_counter()
    subprocess.run([RILL, "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def pane(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def wait_for(session: str, seen, timeout: float = 30.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if seen(pane(session)):
            return time.perf_counter()
        time.sleep(0.005)
    raise TimeoutError(f"tmux pane never showed what was waited for:\n{pane(session)}")


def demo_command(folder: Path, model: str | None = None) -> str:
    """`rill --demo` with its own config and data folders."""
    env = f"RILL_CONFIG_DIR={folder / 'config'} RILL_DATA_DIR={folder / 'data'}"
    return f"{env} {RILL} --demo" + (f" -m {model}" if model else "")


def start(session: str, command: str) -> float:
    """Starts `command` in a tmux session at 120x40; returns when the process was started."""
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True
    )
    return started


MINIMAL_APP = """\
from textual.app import App
from textual.widgets import Static


class Minimal(App):
    def compose(self):
        yield Static("Demo mode. F1 help. f8 Settings")


Minimal().run()
"""
"""The floor: a Textual app of one widget, timed the same way."""


def chat_shown(text: str) -> bool:
    """The welcome notice, the prompt's placeholder and the footer's keys are all there."""
    return "Demo mode." in text and "F1 help" in text and "f8 Settings" in text


def first_paint_time(command: str) -> float:
    """Seconds from starting `command` to the pane showing the chat's first screen."""
    session = "rill-startup"
    started = start(session, command)
    try:
        painted = wait_for(session, chat_shown)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return painted - started


def last_line_time(folder: Path) -> float:
    """The demo server's 4,000-token reply ends with a known sentence; the view follows the
    reply, so the sentence shows once the whole reply is drawn."""
    from rillchat.demo.generated_scenarios import generated_tokens

    ending = "".join(generated_tokens(4000)).strip().splitlines()[-1].strip()[-40:]
    session = "rill-burst"
    start(session, demo_command(folder, model="demo/generate/4000"))
    try:
        wait_for(session, chat_shown)
        time.sleep(1.0)  # let start-up work (catalogue, SDK import) finish first
        subprocess.run(["tmux", "send-keys", "-t", session, "go"], check=True)
        time.sleep(0.2)
        pressed = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "Enter"], check=True)
        shown = wait_for(session, lambda text: ending in text and "tok/s" in text)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return shown - pressed


def bare_sdk_reads(runs: int) -> list[float]:
    """The same 4,000-token burst read with a bare `openai` SDK loop, from its own demo server."""
    server, url = start_server()
    try:
        asyncio.run(bare_sdk(url, "demo/generate/4000"))  # the first read warms the SDK up
        reads = []
        for _ in range(runs):
            started = time.perf_counter()
            asyncio.run(bare_sdk(url, "demo/generate/4000"))
            reads.append(time.perf_counter() - started)
        return reads
    finally:
        server.kill()


def line(name: str, values: list[float], target: float) -> str:
    median = statistics.median(values)
    verdict = "met" if median < target else "NOT met"
    return (
        f"{name:<44} median {median * 1000:7.0f} ms  (min {min(values) * 1000:.0f}, max "
        f"{max(values) * 1000:.0f}, {len(values)} runs)  target < {target * 1000:.0f} ms: "
        f"{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    import compileall

    import rillchat

    compileall.compile_dir(Path(rillchat.__file__).parent, quiet=1)
    version_time()  # the first run warms the file cache
    print(
        line("rill --version", [version_time() for _ in range(args.runs)], VERSION_TARGET),
        flush=True,
    )
    if shutil.which("tmux") is None:
        print("tmux is not installed: the terminal figures are skipped")
        return
    # One idle session keeps the tmux server up between runs (it exits with its last session).
    subprocess.run(["tmux", "new-session", "-d", "-s", "rill-keep"], check=True)
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "minimal.py"
        script.write_text(MINIMAL_APP)
        # Taken in turns, so that both see the machine in the same state.
        paints, floor = [], []
        for run in range(args.runs):
            paints.append(first_paint_time(demo_command(Path(folder) / f"paint-{run}")))
            floor.append(first_paint_time(f"{sys.executable} {script}"))
        print(
            line("rill --demo to its first painted screen", paints, FIRST_PAINT_TARGET), flush=True
        )
        rill_share = statistics.median(paints) - statistics.median(floor)
        print(
            f"  for reference, a one-widget Textual app timed the same way, in turns with it: "
            f"median {statistics.median(floor) * 1000:.0f} ms (min {min(floor) * 1000:.0f}); "
            f"Rill's own share: {rill_share * 1000:.0f} ms",
            flush=True,
        )
        bursts = [
            last_line_time(Path(folder) / f"burst-{run}") for run in range(max(3, args.runs // 3))
        ]
        print(line("4,000-token burst: last line visible", bursts, LAST_LINE_TARGET), flush=True)
    sdk_reads = bare_sdk_reads(len(bursts))
    print(
        f"  for reference, a bare SDK read of the same stream: median "
        f"{statistics.median(sdk_reads) * 1000:.0f} ms (min {min(sdk_reads) * 1000:.0f})",
        flush=True,
    )
    subprocess.run(["tmux", "kill-session", "-t", "rill-keep"], capture_output=True)


if __name__ == "__main__":
    os.environ.pop("OPENROUTER_API_KEY", None)
    main()
