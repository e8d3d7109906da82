"""Four at once: four replies streaming side by side into one screen, what it costs and how
soon what arrives is painted, and how soon keys typed meanwhile reach the prompt.

    python benchmarks/four_streams.py [--tokens 3000] [--rate 100] [--runs 3] [--columns 4]

The app is a small Textual app, the shape a compare view would take: at 160x40, `--columns`
columns side by side (a Horizontal), each a Rill `ConversationView` holding Rill's real reply
widget, `AssistantMessage`, fed by a `ChatEngine` of its own, and Rill's `PromptInput` at the
bottom. Enter in the prompt sends it to every column's engine at once; each asks the demo
server (in its own process) for `demo/generate/TOKENS/RATE`, through Rill's stream layer and
one shared client, as the chat does.

The chat's `TurnPresenter` cannot be used here as it is: it serves one engine into one
conversation view, and tells its screen only that news is waiting (a bare `TurnNews`), so
four on one screen could not tell whose news it is. `ColumnsPresenter` below mirrors its
batching for several engines: each engine's worker drops its events in one inbox for the
screen, looked at no more often than every `NEWS_INTERVAL` (20 ms), and a look shows each
column's stream events in one go, as the chat's presenter shows one reply's.

It runs in a real terminal, tmux at 160x40 (a tmux server of its own), as `cpu.py` runs Rill:
the CPU is the user+sys time of the pane's whole process tree, read from /proc, from pressing
Enter until every column's reply has ended and a frame was painted after. Chunk-to-frame and
key latency need hooks inside the app, so the app times them itself and writes them to a file
when the replies end: a chunk's delay runs from its event reaching the presenter to the end
of the first frame written after the look that drew it (what `render.py` measures headless,
here through the real driver to the terminal). Keys are typed by this process through a tmux
control-mode client (one `send-keys` a key, no process started per key), one every 100 ms
while the replies stream; a key's delay runs from writing its command to tmux until the
prompt's text holds it (`time.monotonic` is the system's monotonic clock, the same in both
processes), so it includes tmux passing the key through the terminal, and the frame that
shows it is printed too. Typing costs frames of its own, so the keys are typed in runs of
their own, after the quiet runs that give the CPU and chunk-to-frame figures.

The hooks are Textual's private `App._display` (a frame written) and
`Screen._on_timer_update` (the tick that lays out and composes one), overridden in this app
only; from the latter and the presenter's looks, it prints where the app's time goes.

The bare SDK read is the same four streams read at once by four bare `openai` SDK loops in
this process (`stream_throughput.bare_sdk`), its CPU from getrusage.

Targets (issue 23, targets 3 and 6): at most 1.5 CPU seconds per 1,000 tokens, all four
streams' tokens summed; p95 chunk-to-painted-frame under 50 ms; p95 key-to-prompt while
streaming under 30 ms. Figures are medians of the runs; on a small shared machine they are
noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from rich.console import RenderableType
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.text_area import Edit, EditResult

from cpu import process_tree_cpu
from render import API_KEY, verdict
from rillchat.chat.conversation import Conversation
from rillchat.chat.engine import ChatEngine
from rillchat.chat.turn_events import ReplyEnded, ReplyProgress, ReplyStarted, TurnEvent
from rillchat.config.settings import Settings
from rillchat.openrouter.client import make_client
from rillchat.openrouter.events import TextDelta
from rillchat.openrouter.request import ChatRequest
from rillchat.openrouter.stream import stream_reply
from rillchat.ui.messages import TurnNews
from rillchat.ui.screens.turn_presenter import NEWS_INTERVAL, WORKER_SLICE, TurnOver
from rillchat.ui.widgets.conversation_view import ConversationView, Reply
from rillchat.ui.widgets.messages_view import AssistantMessage
from rillchat.ui.widgets.prompt_input import PromptInput
from stream_throughput import bare_sdk, start_server

WIDTH, HEIGHT = 160, 40
CPU_TARGET = 1.5
"""CPU seconds per 1,000 tokens, all the streams' tokens summed."""
FRAME_TARGET = 0.050
"""p95, from a chunk's arrival to the frame that shows it."""
KEY_TARGET = 0.030
"""p95, from a key typed to the prompt holding it, while the replies stream."""
KEY_INTERVAL = 0.1
"""Seconds between two keys typed while the replies stream (a fast typist)."""
SOCKET = f"four-streams-{os.getpid()}"
"""The tmux server of this benchmark's own."""


# The app, run in the tmux pane ------------------------------------------------------------


class Column(Vertical):
    DEFAULT_CSS = """
    Column { width: 1fr; height: 1fr; border-right: vkey $primary 30%; }
    Column > .model { height: 1; padding: 0 1; color: $text-muted; text-style: bold; }
    """

    def __init__(self, number: int, engine: ChatEngine) -> None:
        super().__init__()
        self.engine = engine
        self.view = ConversationView(
            engine.conversation, time.monotonic, reasoning_display="folded"
        )
        self._title = f"{number}. {engine.conversation.model}"

    def compose(self) -> ComposeResult:
        yield Static(self._title, classes="model", markup=False)
        yield self.view

    @property
    def live_view(self) -> AssistantMessage:
        return self.view.replies[-1].view


class TimedPrompt(PromptInput):
    """Rill's prompt, noting when each edit made it (a key typed reaching the prompt)."""

    def __init__(self, app: FourStreams) -> None:
        super().__init__(placeholder="Message (Enter sends to every column)", cursor_blink=False)
        self._timing = app

    def edit(self, edit: Edit) -> EditResult:
        result = super().edit(edit)
        self._timing.prompt_edited(len(self.text))
        return result


class ColumnsPresenter:
    """The chat's `TurnPresenter` batching, for several engines on one screen: their events
    wait in one inbox, looked at no more often than every NEWS_INTERVAL, each column's stream
    events shown in one go; it also notes when each text chunk arrived and when it was
    drawn, for the frame that paints it."""

    def __init__(self, app: FourStreams) -> None:
        self._app = app
        self._inbox: list[tuple[Column, TurnEvent | TurnOver]] = []
        self._news_posted = False
        self._last_look = 0.0
        self.arrived: list[float] = []
        """When each text chunk reached the presenter (time.monotonic)."""
        self.drawn = 0
        """Chunks of `arrived` drawn by the looks so far: the next frame paints them."""
        self.turns_over = 0
        self.looks: list[float] = []
        """The CPU time of each look, from the inbox taken to every column drawn (of the
        app's thread: a look that mounts a widget lets other work run meanwhile, counted too)."""

    async def follow(self, column: Column, turn: AsyncGenerator[TurnEvent, None]) -> None:
        """TurnPresenter.follow: read a turn to its end in a worker, giving the UI a turn
        every WORKER_SLICE of a burst."""
        clock = asyncio.get_running_loop().time
        last_pause = clock()
        async with aclosing(turn) as events:
            async for event in events:
                self.deliver(column, event)
                if clock() - last_pause > WORKER_SLICE:
                    await asyncio.sleep(0)
                    last_pause = clock()
        self.deliver(column, TurnOver())

    def deliver(self, column: Column, event: TurnEvent | TurnOver) -> None:
        if isinstance(event, ReplyProgress) and type(event.event) is TextDelta:
            self.arrived.append(time.monotonic())
        self._inbox.append((column, event))
        if self._news_posted:
            return
        self._news_posted = True
        wait = self._last_look + NEWS_INTERVAL - asyncio.get_running_loop().time()
        if wait > 0:
            self._app.set_timer(wait, self._post_news)
        else:
            self._post_news()

    def _post_news(self) -> None:
        self._app.post_message(TurnNews())

    async def show_news(self) -> None:
        started = time.thread_time()
        arrived = len(self.arrived)
        inbox, self._inbox = self._inbox, []
        self._news_posted = False
        self._last_look = asyncio.get_running_loop().time()
        batches: dict[Column, list[Any]] = {}
        for column, event in inbox:
            if isinstance(event, ReplyProgress):
                batches.setdefault(column, []).append(event.event)
                continue
            batch = batches.pop(column, None)
            if batch:
                await column.live_view.show_all(batch)
            await self._show(column, event)
        for column, batch in batches.items():
            await column.live_view.show_all(batch)
        self.drawn = arrived
        self.looks.append(time.thread_time() - started)

    async def _show(self, column: Column, event: TurnEvent | TurnOver) -> None:
        match event:
            case ReplyStarted(reply=reply):
                view = AssistantMessage(time.monotonic, reply.id, reasoning_display="folded")
                await column.view.add_live_reply(Reply(reply, view))
            case ReplyEnded(reply=reply, turn=turn):
                live = column.view.replies[-1]
                live.ended = True
                await live.view.end(reply, turn=turn)
            case TurnOver():
                self.turns_over += 1
                if self.turns_over == len(self._app.columns):
                    self._app.all_ended()


class TimedScreen(Screen[None]):
    """Notes the CPU time of each tick of the screen's update timer that wrote a frame: the
    layout if one was needed, the compositor's update and the write to the terminal."""

    def _on_timer_update(self) -> None:
        app = self.app
        assert isinstance(app, FourStreams)
        started, frames = time.thread_time(), app.frames
        super()._on_timer_update()
        if app.frames > frames:
            app.frame_times.append(time.thread_time() - started)


class FourStreams(App[None]):
    CSS = """
    #columns { height: 1fr; }
    """

    def __init__(self, url: str, model: str, columns: int, out: Path) -> None:
        super().__init__()
        self._out = out
        settings = Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600)
        client = make_client(settings)  # one for all, as the app keeps one

        def open_stream(request: ChatRequest) -> AsyncGenerator[Any, None]:
            return stream_reply(client, request)

        self.columns = [
            Column(number, self._engine(Conversation(model=model), open_stream))
            for number in range(1, columns + 1)
        ]
        self.prompt = TimedPrompt(self)
        self.presenter = ColumnsPresenter(self)
        self._sent = False
        self._key_edits: list[tuple[int, float]] = []
        """(prompt length, when) of each edit once the prompt was sent."""
        self._keys_painted = 0
        self._key_paints: list[float] = []
        self._chunk_delays: list[float] = []
        self._painted = 0
        self.frames = 0
        """Frames written since the prompt was sent, until the replies ended."""
        self.frame_times: list[float] = []
        self._ended = False
        self._done_at: float | None = None

    @staticmethod
    def _engine(conversation: Conversation, open_stream: Any) -> ChatEngine:
        return ChatEngine(
            conversation,
            open_stream,
            lambda schema: ChatRequest(
                model=conversation.model, messages=conversation.request_messages()
            ),
            api_key=API_KEY,
        )

    def get_default_screen(self) -> Screen[Any]:
        return TimedScreen(id="_default")

    def compose(self) -> ComposeResult:
        with Horizontal(id="columns"):
            yield from self.columns
        yield self.prompt

    def on_mount(self) -> None:
        self.prompt.focus()
        self.call_after_refresh(lambda: self._out.with_suffix(".ready").touch())

    @on(PromptInput.Submitted)
    def _send(self, event: PromptInput.Submitted) -> None:
        self._sent = True
        for number, column in enumerate(self.columns):
            self.run_worker(
                self.presenter.follow(column, column.engine.send(event.text)),
                group=f"column-{number}",
                exit_on_error=False,
            )

    @on(TurnNews)
    async def _news(self) -> None:
        await self.presenter.show_news()

    def prompt_edited(self, length: int) -> None:
        if self._sent:
            self._key_edits.append((length, time.monotonic()))

    def all_ended(self) -> None:
        self._ended = True
        self.set_timer(0.5, self._write_results)  # in case no frame follows

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        if renderable is None:
            return
        if self._sent and self._done_at is None:
            self.frames += 1
        now = time.monotonic()
        arrived, drawn = self.presenter.arrived, self.presenter.drawn
        while self._painted < drawn:
            self._chunk_delays.append(now - arrived[self._painted])
            self._painted += 1
        while self._keys_painted < len(self._key_edits):
            self._key_paints.append(now)
            self._keys_painted += 1
        if self._ended and self._done_at is None:
            self._done_at = now
            self.call_later(self._write_results)

    def _write_results(self) -> None:
        if self._out.exists():
            return
        results = {
            "done": self._done_at or time.monotonic(),
            "chunks": len(self.presenter.arrived),
            "frames": self.frames,
            "frame_times": self.frame_times,
            "looks": self.presenter.looks,
            "first_chunk": self.presenter.arrived[0] if self.presenter.arrived else None,
            "chunk_delays": self._chunk_delays,
            "key_edits": self._key_edits,
            "key_paints": self._key_paints,
            "statuses": [column.view.replies[-1].message.status.value for column in self.columns],
        }
        partial = self._out.with_suffix(".partial")
        partial.write_text(json.dumps(results))
        partial.rename(self._out)


def run_app(args: argparse.Namespace) -> None:
    model = f"demo/generate/{args.tokens}/{args.rate}"
    FourStreams(args.url, model, args.columns, Path(args.out)).run()


# The benchmark, outside the pane -----------------------------------------------------------


def tmux(*arguments: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *arguments], capture_output=True, text=True, check=True
    ).stdout


class KeyTyper:
    """A tmux control-mode client, attached to a session of its own (so that it is not sent
    the benchmark pane's output), that types into the benchmark's pane."""

    def __init__(self, session: str) -> None:
        self._session = session
        self._client = subprocess.Popen(
            ["tmux", "-L", SOCKET, "-C", "attach", "-t", "keep"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self._client.stdout is not None
        for _ in self._client.stdout:
            pass

    def type(self, key: str) -> float:
        """Type `key`; returns when its command was written (time.monotonic)."""
        assert self._client.stdin is not None
        sent = time.monotonic()
        self._client.stdin.write(f"send-keys -t {self._session} {key}\n")
        self._client.stdin.flush()
        return sent

    def close(self) -> None:
        if self._client.stdin is not None:
            self._client.stdin.close()
        self._client.wait(timeout=5)


@dataclass(frozen=True, slots=True)
class Run:
    tokens: int
    cpu: float
    """CPU seconds of the app's process tree, from Enter until every reply had ended."""
    wall: float
    streamed: float
    frames: int
    frame_times: list[float]
    looks: list[float]
    """Seconds from the first chunk to the end."""
    chunk_delays: list[float]
    key_delays: list[float]
    key_paints: list[float]

    @property
    def cpu_per_thousand(self) -> float:
        return self.cpu / self.tokens * 1000


def wait_for_file(path: Path, session: str, timeout: float, stderr: Path) -> None:
    """Polls every 20 ms (a file's existence costs next to nothing); asks tmux whether the
    app is still there only every half second, each asking being a process."""
    deadline = time.monotonic() + timeout
    for polls in range(sys.maxsize):
        if path.exists():
            return
        if time.monotonic() > deadline:
            shown = tmux("capture-pane", "-p", "-t", session)
            raise TimeoutError(f"{path.name} never came:\n{shown}")
        if polls % 25 == 24 and session not in tmux("list-sessions", "-F", "#{session_name}"):
            raise SystemExit(f"the app ended early:\n{stderr.read_text()}")
        time.sleep(0.02)


def run_once(url: str, args: argparse.Namespace, folder: Path, *, typing: bool) -> Run:
    session = "typing" if typing else "quiet"
    out, stderr = folder / f"{session}.json", folder / f"{session}.stderr"
    command = (
        f"{sys.executable} {Path(__file__).resolve()} --app --url {url} --tokens {args.tokens} "
        f"--rate {args.rate} --columns {args.columns} --out {out} 2> {stderr}"
    )
    tmux("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), command)
    typer = KeyTyper(session)
    try:
        wait_for_file(out.with_suffix(".ready"), session, 60, stderr)
        time.sleep(2.0)  # what the app does after its first screen settles
        typer.type("go")
        time.sleep(0.3)
        root = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        before = process_tree_cpu(root)
        pressed = typer.type("Enter")
        sent: list[float] = []
        if typing:
            time.sleep(0.5)  # the replies under way
            while not out.exists():
                sent.append(typer.type("x"))
                time.sleep(KEY_INTERVAL)
        wait_for_file(out, session, args.tokens / args.rate * 3 + 60, stderr)
        spent = process_tree_cpu(root) - before
    finally:
        typer.close()
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", session], capture_output=True)
    results = json.loads(out.read_text())
    if results["statuses"] != ["complete"] * args.columns:
        raise SystemExit(f"the replies did not all complete: {results['statuses']}")
    tokens = args.tokens * args.columns
    if results["chunks"] != tokens:
        raise SystemExit(f"expected {tokens} text chunks, the app read {results['chunks']}")
    edits = dict(results["key_edits"])  # prompt length -> when it was reached
    # The last keys may have been typed as the results were being written: only those typed
    # while the replies streamed count.
    sent = [at for at in sent if at < results["done"] - 0.1]
    key_delays = [edits[length] - at for length, at in enumerate(sent, 1) if length in edits]
    if len(key_delays) != len(sent):
        raise SystemExit(f"{len(sent)} keys typed, {len(key_delays)} reached the prompt")
    painted = results["key_paints"]
    key_paints = [paint - at for paint, at in zip(painted, sent, strict=False)]
    return Run(
        tokens=tokens,
        cpu=spent,
        wall=results["done"] - pressed,
        streamed=results["done"] - results["first_chunk"],
        frames=results["frames"],
        frame_times=results["frame_times"],
        looks=results["looks"],
        chunk_delays=results["chunk_delays"],
        key_delays=key_delays,
        key_paints=key_paints,
    )


def sdk_cpu(url: str, model: str, columns: int) -> float:
    """CPU seconds for bare SDK loops reading `columns` streams at once."""

    async def read_all() -> None:
        await asyncio.gather(*(bare_sdk(url, model) for _ in range(columns)))

    before = resource.getrusage(resource.RUSAGE_SELF)
    asyncio.run(read_all())
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(len(ordered) * 0.95)] if ordered else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 0.01 else f"{seconds * 1000:.0f} ms"


def report(
    args: argparse.Namespace, quiet: list[Run], typing: list[Run], sdk: list[float]
) -> None:
    tokens = args.tokens * args.columns
    cpu = statistics.median(run.cpu_per_thousand for run in quiet)
    share = statistics.median(run.cpu / run.wall for run in quiet)
    bare = statistics.median(spent / tokens * 1000 for spent in sdk)
    frames = [p95(run.chunk_delays) for run in quiet]
    frame = statistics.median(frames)
    expected = args.tokens / args.rate

    def runs(values: list[float], show: Any) -> str:
        return ", ".join(show(value) for value in values)

    print(
        f"{args.columns} replies x {args.tokens:,} tokens at {args.rate} tokens/s each, tmux "
        f"{WIDTH}x{HEIGHT}; medians of {args.runs} run{'s' if args.runs != 1 else ''} "
        "(a small machine shared with other work: noisy)"
    )
    print(
        f"  tokens                {tokens:,} ({args.columns} x {args.tokens:,}); streams took "
        f"{statistics.median(run.streamed for run in quiet):.1f} s ({expected:.1f} s at the rate)"
    )
    print(
        f"  CPU                   {cpu:.2f} CPU s / 1k tokens, all streams summed "
        f"(runs: {runs([run.cpu_per_thousand for run in quiet], '{:.2f}'.format)})  "
        f"target <= {CPU_TARGET}: {verdict(cpu <= CPU_TARGET)}"
    )
    print(f"  share of a core       {share * 100:.0f} % while streaming")
    rate = statistics.median(run.frames / run.wall for run in quiet)
    frame_ms = statistics.median(statistics.median(run.frame_times) for run in quiet)
    in_frames = statistics.median(sum(run.frame_times) / run.wall for run in quiet)
    looks = statistics.median(len(run.looks) / run.wall for run in quiet)
    look_ms = statistics.median(statistics.median(run.looks) for run in quiet)
    in_looks = statistics.median(sum(run.looks) / run.wall for run in quiet)
    print(
        f"  where the time goes   frames: {rate:.0f} a second, median {ms(frame_ms)} of CPU each "
        f"to lay out, compose and write, {in_frames * 100:.0f} % of a core; looks at the inbox: "
        f"{looks:.0f} a second, median {ms(look_ms)} each to draw what arrived, "
        f"{in_looks * 100:.0f} %; the rest, {(share - in_frames - in_looks) * 100:.0f} %: "
        "reading the streams, Textual's messages, the driver's threads"
    )
    print(
        f"  bare SDK, {args.columns} streams   {bare:.3f} CPU s / 1k tokens "
        f"(runs: {runs([spent / tokens * 1000 for spent in sdk], '{:.3f}'.format)})"
    )
    print(f"  ratio                 {cpu / bare:.1f}x the bare SDK read")
    delays = [delay for run in quiet for delay in run.chunk_delays]
    print(
        f"  chunk to frame        p95 {ms(frame)} (runs: {runs(frames, ms)}; median "
        f"{ms(statistics.median(delays))}, max {ms(max(delays))}, {len(delays):,} chunks)  "
        f"target < {ms(FRAME_TARGET)}: {verdict(frame < FRAME_TARGET)}"
    )
    if not typing:
        return
    keys = [p95(run.key_delays) for run in typing]
    key = statistics.median(keys)
    typed = [delay for run in typing for delay in run.key_delays]
    print(
        f"  key to prompt         p95 {ms(key)} while streaming (runs: {runs(keys, ms)}; median "
        f"{ms(statistics.median(typed))}, max {ms(max(typed))}, {len(typed)} keys, one every "
        f"{ms(KEY_INTERVAL)})  target < {ms(KEY_TARGET)}: {verdict(key < KEY_TARGET)}"
    )
    print(
        f"  key to painted frame  p95 {ms(statistics.median(p95(run.key_paints) for run in typing))}"
        f"; with the typing, CPU "
        f"{statistics.median(run.cpu_per_thousand for run in typing):.2f} CPU s / 1k tokens, "
        f"chunk to frame p95 {ms(statistics.median(p95(run.chunk_delays) for run in typing))}"
    )


def main(args: argparse.Namespace) -> None:
    if shutil.which("tmux") is None:
        raise SystemExit("this benchmark needs tmux")
    process, url = start_server()
    tmux("new-session", "-d", "-s", "keep", "sleep 86400")
    model = f"demo/generate/{args.tokens}/{args.rate}"
    quiet: list[Run] = []
    typing: list[Run] = []
    sdk: list[float] = []
    try:
        for _ in range(args.runs):
            sdk.append(sdk_cpu(url, model, args.columns))
            with tempfile.TemporaryDirectory() as folder:
                quiet.append(run_once(url, args, Path(folder), typing=False))
                if not args.no_typing:
                    typing.append(run_once(url, args, Path(folder), typing=True))
        report(args, quiet, typing, sdk)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
        process.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=3000, help="tokens of each reply")
    parser.add_argument("--rate", type=int, default=100, help="tokens a second, each reply")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--no-typing", action="store_true", help="skip the runs that type keys")
    parser.add_argument("--app", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    os.environ.pop("OPENROUTER_API_KEY", None)
    if arguments.app:
        run_app(arguments)
    else:
        main(arguments)
