"""What watching a reply costs: CPU seconds of the whole client process per 1,000 tokens of a
steady stream, and its idle cost after, beside the bare `openai` SDK read of the same stream.

    python benchmarks/cpu.py [--tokens 3000] [--rates 100,300] [--runs 3] [--idle 30]
                             [--saved 1000] [--elia PATH]

Each client runs in tmux at 120x40 against one demo server (in its own process) that sends
`demo/generate/N/RATE`: N tokens of Markdown at RATE tokens a second. The client's process tree
(the pane's process and everything under it) is read from /proc: user+sys time from pressing
Enter until the reply's end shows in the pane, and over `--idle` seconds after it, with the
finished reply on screen. The bare SDK read is the same stream read in this process, its
CPU from getrusage.

Then the idle cost the issue asks about: Rill with a saved conversation of `--saved` messages
open and nothing streaming, with the cursor blinking and with `cursor_blink = false`. Beside
these, what any Textual app pays: a one-line app redrawing its line 50 and 20 times a second,
and not at all, measured the same way.

Other clients are not Rill's dependencies: install them in a venv of their own (see
`other_clients.py`) and give their commands.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from history import big_conversation
from other_clients import (
    elia_command,
    elia_finished,
    ending_of,
    rill_command,
    rill_finished,
    shows_end,
    wait_for_end,
)
from rillchat.config.file import CONFIG_NAME
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.history import History
from startup import start, wait_for
from stream_throughput import bare_sdk, start_server

TICKS = os.sysconf("SC_CLK_TCK")
STEADY_TARGET = {100: 0.5, 300: 1.0}
"""CPU seconds per 1,000 tokens the issue allows at each rate."""
IDLE_TARGET = 0.002
"""Share of one core while nothing changes."""


@dataclass(frozen=True, slots=True)
class Client:
    name: str
    command: str
    ready: str
    send: str
    finished: Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Cost:
    cpu_per_thousand: float
    """CPU seconds per 1,000 tokens, from Enter to the reply's end on screen."""
    core_share: float
    """Of one core, while the reply streamed."""
    idle_share: float
    """Of one core, with the reply on screen and nothing streaming."""


def process_tree_cpu(root: int) -> float:
    """User+sys seconds of `root` and every live process under it."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        times[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def pane_pid(session: str) -> int:
    shown = subprocess.run(
        ["tmux", "display-message", "-p", "-t", session, "#{pane_pid}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(shown.stdout.strip())


def measure(client: Client, tokens: int, ending: str, idle: float) -> Cost:
    session = f"cpu-{client.name}"
    start(session, client.command)
    try:
        wait_for(session, lambda text: client.ready in text, timeout=60)
        time.sleep(2.0)  # start-up work after the first screen (the SDK import, the catalogue)
        subprocess.run(["tmux", "send-keys", "-t", session, "go"], check=True)
        time.sleep(0.3)
        root = pane_pid(session)
        before, pressed = process_tree_cpu(root), time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, client.send], check=True)
        shown = wait_for_end(session, shows_end(ending, client.finished))
        spent = process_tree_cpu(root) - before
        time.sleep(1.0)  # the last frames and the save
        resting = process_tree_cpu(root)
        time.sleep(idle)
        idle_spent = process_tree_cpu(root) - resting
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    wall = shown - pressed
    return Cost(spent / tokens * 1000, spent / wall, idle_spent / idle)


def sdk_cost(url: str, model: str, tokens: int) -> float:
    """CPU seconds per 1,000 tokens for the bare SDK loop reading the same stream."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    asyncio.run(bare_sdk(url, model))
    after = resource.getrusage(resource.RUSAGE_SELF)
    spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return spent / tokens * 1000


ONE_LINE_APP = """\
import sys
from textual.app import App
from textual.widgets import Static

class OneLine(App):
    def compose(self):
        self.line = Static("frame 0")
        yield self.line

    def on_mount(self):
        self.frames = 0
        rate = float(sys.argv[1])
        if rate:
            self.set_interval(1 / rate, self.redraw)

    def redraw(self):
        self.frames += 1
        self.line.update(f"frame {self.frames} " + "x" * (self.frames % 80))

OneLine().run()
"""


def resting_share(session: str, command: str, ready: str, seconds: float) -> float:
    """Share of one core `command`'s process tree spends over `seconds`, once `ready` shows
    in its pane and what it does after its first screen has settled."""
    start(session, command)
    try:
        wait_for(session, lambda text: ready in text, timeout=60)
        time.sleep(3.0)
        root = pane_pid(session)
        before = process_tree_cpu(root)
        time.sleep(seconds)
        return (process_tree_cpu(root) - before) / seconds
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def one_line_app_share(folder: Path, rate: float, seconds: float) -> float:
    script = folder / "one_line_app.py"
    script.write_text(ONE_LINE_APP)
    return resting_share("cpu-one-line", f"{sys.executable} {script} {rate}", "frame", seconds)


def saved_conversation_share(
    folder: Path, url: str, messages: int, seconds: float, *, blink: bool
) -> float:
    """Rill with a saved conversation of `messages` messages on screen, nothing streaming."""
    data = folder / "data"
    data.mkdir()
    history = History(open_database(data / DATABASE_NAME))
    conversation, _ = big_conversation(random.Random(7), messages)
    history.save_all(conversation)
    history.connection.close()
    if not blink:
        (folder / "config").mkdir()
        (folder / "config" / CONFIG_NAME).write_text("cursor_blink = false\n")
    command = rill_command(folder, url, "demo/generate/10") + f" --open {conversation.id}"
    return resting_share("cpu-saved", command, "F1 help", seconds)


def rill(folder: Path, url: str, model: str) -> Client:
    return Client("rill", rill_command(folder, url, model), "F1 help", "Enter", rill_finished)


def elia(program: str, folder: Path, url: str, model: str) -> Client:
    command = elia_command(program, folder, url, model)
    return Client("elia", command, "Enter your message", "C-j", elia_finished)


def idle_report(url: str, args: argparse.Namespace) -> None:
    print(
        f"idle, {args.saved:,} saved messages on screen, tmux 120x40, over {args.idle:.0f} s "
        f"(medians of {args.runs} runs):",
        flush=True,
    )
    for blink in (True, False):
        shares = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                shares.append(
                    saved_conversation_share(Path(folder), url, args.saved, args.idle, blink=blink)
                )
        share = statistics.median(shares)
        what = "cursor blinking" if blink else "cursor_blink = false"
        print(
            f"  Rill, {what:<21} {share * 100:5.2f} % of a core  target <= "
            f"{IDLE_TARGET * 100:.1f} %: {verdict(share <= IDLE_TARGET)}",
            flush=True,
        )
    for rate in (50.0, 20.0, 0.0):
        with tempfile.TemporaryDirectory() as folder:
            share = one_line_app_share(Path(folder), rate, args.idle)
        what = f"redrawing {rate:.0f} times a second" if rate else "resting"
        print(f"  a one-line Textual app {what}: {share * 100:5.2f} % of a core", flush=True)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def report(name: str, costs: list[Cost], sdk: float, target: float | None) -> None:
    cpu = statistics.median(cost.cpu_per_thousand for cost in costs)
    share = statistics.median(cost.core_share for cost in costs)
    idle = statistics.median(cost.idle_share for cost in costs)
    runs = ", ".join(f"{cost.cpu_per_thousand:.2f}" for cost in costs)
    aim = f"  target <= {target:.1f}: {verdict(cpu <= target)}" if target is not None else ""
    print(
        f"  {name:<10} {cpu:6.2f} CPU s / 1k tokens ({runs}; {cpu / sdk:5.1f}x the SDK)  "
        f"{share * 100:5.1f} % of a core streaming  {idle * 100:5.2f} % idle{aim}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=3000)
    parser.add_argument("--rates", default="100,300")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument(
        "--saved", type=int, default=1000, help="messages of the conversation open while idle"
    )
    parser.add_argument("--elia", help="the elia command (elia-chat 1.10), if installed")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("this benchmark needs tmux")
    process, url = start_server()
    subprocess.run(["tmux", "new-session", "-d", "-s", "cpu-keep"], check=True)
    try:
        for rate in (int(rate) for rate in args.rates.split(",")):
            model = f"demo/generate/{args.tokens}/{rate}"
            ending = ending_of(args.tokens)
            sdk = statistics.median(sdk_cost(url, model, args.tokens) for _ in range(2))
            print(
                f"{args.tokens:,} tokens at {rate} tokens/s, tmux 120x40; bare SDK read "
                f"{sdk:.3f} CPU s / 1k tokens",
                flush=True,
            )
            clients: list[tuple[str, Callable[[Path], Client], float | None]] = [
                ("Rill", partial(rill, url=url, model=model), STEADY_TARGET.get(rate)),
            ]
            if args.elia:
                clients.append(("Elia 1.10", partial(elia, args.elia, url=url, model=model), None))
            for name, make, target in clients:
                costs = []
                for _ in range(args.runs):
                    with tempfile.TemporaryDirectory() as folder:
                        costs.append(measure(make(Path(folder)), args.tokens, ending, args.idle))
                report(name, costs, sdk, target)
        print(f"idle target: at most {IDLE_TARGET * 100:.1f} % of a core over {args.idle:.0f} s")
        idle_report(url, args)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "cpu-keep"], capture_output=True)
        process.kill()


if __name__ == "__main__":
    os.environ.pop("OPENROUTER_API_KEY", None)
    main()
