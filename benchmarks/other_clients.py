"""Rill beside other terminal chat clients, on the same burst reply, in the same terminal.

Each client runs in tmux at 120x40 against one demo server (in its own process), which sends
`demo/generate/N`: N tokens of Markdown as fast as it can. For each, the time from pressing the
send key to the reply's last line showing in the pane (polled every 5 ms), beside the bare
`openai` SDK read of the same stream.

Other clients are not Rill's dependencies and never in this repository: install them in a
venv of their own and give their commands, e.g.

    python3 -m venv /tmp/others && /tmp/others/bin/pip install elia-chat==1.10.0
    python benchmarks/other_clients.py --elia /tmp/others/bin/elia [--sizes 2000,4000]

Elia talks to the demo server as an OpenAI-compatible endpoint (its config's `api_base`).
Each run uses fresh config and data folders for every client.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from rillchat.demo.generated_scenarios import generated_tokens
from startup import RILL, pane, start, wait_for
from stream_throughput import API_KEY, bare_sdk, start_server

BORDERS = " │┃▏▕▎▊▁▂▃▄▅▆▇█"
"""What clients draw at the right of a line: a frame, a scroll bar."""
TIMEOUT = 600.0


def ending_of(tokens: int) -> str:
    """The end of the reply's last line of 15 characters or more. The demo repeats its
    paragraphs and code, so these words show earlier too: the client's own sign that the
    reply has ended must be seen with them."""
    lines = "".join(generated_tokens(tokens)).strip().splitlines()
    return [line.strip() for line in lines if len(line.strip()) >= 15][-1][-25:]


def shows_end(ending: str, finished: Callable[[str], bool]) -> Callable[[str], bool]:
    def seen(text: str) -> bool:
        return finished(text) and any(
            line.rstrip(BORDERS).endswith(ending) for line in text.splitlines()
        )

    return seen


def wait_for_end(session: str, seen: Callable[[str], bool]) -> float:
    """Like startup.wait_for, but after the first second the pane is read every 50 ms, not
    every 5 ms: tmux's captures would otherwise take CPU from a slow client for minutes."""
    started = time.perf_counter()
    while time.perf_counter() - started < TIMEOUT:
        if seen(pane(session)):
            return time.perf_counter()
        time.sleep(0.005 if time.perf_counter() - started < 1.0 else 0.05)
    raise TimeoutError


def time_client(
    session: str, command: str, ready: str, send: str, ending: str, finished: Callable[[str], bool]
) -> float:
    """Seconds from the send key to the reply's last line in the pane."""
    start(session, command)
    try:
        wait_for(session, lambda text: ready in text, timeout=60)
        time.sleep(1.5)  # start-up work after the first screen settles
        subprocess.run(["tmux", "send-keys", "-t", session, "go"], check=True)
        time.sleep(0.3)
        pressed = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, send], check=True)
        shown = wait_for_end(session, shows_end(ending, finished))
    except TimeoutError:
        print(f"{session}: no last line after {TIMEOUT:.0f} s; the pane:\n{pane(session)}")
        return float("nan")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return shown - pressed


def rill_command(folder: Path, url: str, model: str) -> str:
    """Rill against the demo server, with config and data folders of its own."""
    return (
        f"OPENROUTER_API_KEY={API_KEY} RILL_CONFIG_DIR={folder}/config "
        f"RILL_DATA_DIR={folder}/data {RILL} --base-url {url} -m {model}"
    )


def rill_finished(text: str) -> bool:
    """The footer's speed shows once the reply has ended."""
    return "tok/s" in text


def elia_command(program: str, folder: Path, url: str, model: str) -> str:
    """Elia talking to the demo server as an OpenAI-compatible endpoint, from fresh folders."""
    config = folder / "config" / "elia"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'default_model = "openai/{model}"\n\n[[models]]\nname = "openai/{model}"\n'
        f'display_name = "demo"\napi_base = "{url}"\napi_key = "{API_KEY}"\n'
    )
    return f"XDG_CONFIG_HOME={folder}/config XDG_DATA_HOME={folder}/data {program}"


def elia_finished(text: str) -> bool:
    """Elia titles the reply "Agent is responding..." until the stream has ended."""
    return "go" in text and "is responding" not in text


def rill(folder: Path, url: str, model: str, ending: str) -> float:
    command = rill_command(folder, url, model)
    return time_client("bench-rill", command, "F1 help", "Enter", ending, rill_finished)


def elia(program: str, folder: Path, url: str, model: str, ending: str) -> float:
    return time_client(
        "bench-elia",
        elia_command(program, folder, url, model),
        "Enter your message",
        "C-j",
        ending,
        elia_finished,
    )


async def sdk_read(url: str, model: str) -> float:
    started = time.perf_counter()
    await bare_sdk(url, model)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,4000")
    parser.add_argument("--elia", help="the elia command (elia-chat 1.10), if installed")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("this benchmark needs tmux")
    process, url = start_server()
    subprocess.run(["tmux", "new-session", "-d", "-s", "bench-keep"], check=True)
    try:
        print(
            f"{'tokens':>8} {'bare SDK':>9} {'Rill':>8} {'Elia 1.10':>10}   (send key to the "
            "reply's last line in tmux, 120x40)",
            flush=True,
        )
        for size in (int(size) for size in args.sizes.split(",")):
            model = f"demo/generate/{size}"
            ending = ending_of(size)
            bare = asyncio.run(sdk_read(url, model))
            with tempfile.TemporaryDirectory() as folder:
                rill_time = rill(Path(folder), url, model, ending)
            elia_time = float("nan")
            if args.elia:
                with tempfile.TemporaryDirectory() as folder:
                    elia_time = elia(args.elia, Path(folder), url, model, ending)
            print(f"{size:>8,} {bare:>8.2f}s {rill_time:>7.2f}s {elia_time:>9.2f}s", flush=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", "bench-keep"], capture_output=True)
        process.kill()


if __name__ == "__main__":
    main()
