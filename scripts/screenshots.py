"""Draw the README's screenshots with the real app.

    python scripts/screenshots.py                  # rewrites screenshots/*.svg
    python scripts/screenshots.py --out /tmp/pics  # somewhere else
    python scripts/screenshots.py --only settings tool-calls-waiting

Each picture is Rill itself (RillApp, driven by Textual's pilot as a user would drive it:
keys, the palette, the same prompts) talking over HTTP to the built-in demo server, set up
as `rill --demo` sets it up. What would differ from one run to the next is pinned, so a
picture changes only when the app does:

- the clock every elapsed time reads is frozen, and the cursor does not blink;
- the server answers at once, on a fixed port (the header shows the address);
- config and data live in a fresh folder, so nobody's own settings show;
- the conversations' dates are set to one fixed morning once they are saved, and times are
  shown in UTC.

Every picture must show the words listed for it in PICTURES; the script fails, naming the
picture and the words, when one does not. `tests/docs/test_screenshots.py` runs the script
and checks its pictures against the ones in `screenshots/`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

from textual.pilot import Pilot

from rillchat.cli.run_settings import demo_settings
from rillchat.config.environment import settings_from_environment
from rillchat.demo import DemoServer, Pacing
from rillchat.demo.texts import REASONING_STEPS
from rillchat.demo.wire import split_tokens
from rillchat.ui.app import RillApp
from rillchat.ui.screens.chat import ChatScreen
from rillchat.ui.widgets.reasoning import ReasoningPanel
from rillchat.ui.widgets.tool_call import ToolCallPanel

REPOSITORY = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPOSITORY / "screenshots"
PORT = 47514
"""The header names the server's address, so every run needs the same port."""
THEMES = ("rill-dark", "rill-dusk", "rill-high-contrast", "rill-light")
SAVED_AT = 1764576000.0
"""2025-12-01 08:00 UTC: when the pictures say the conversations happened."""
WIDE, TALL = (100, 30), (100, 40)

PICTURES: dict[str, tuple[str, ...]] = {
    "chat-demo-welcome": ("Demo mode", "Failing after it"),
    "chat-reasoning-streaming": ("Thinking", "17 × 20 = 340", "Streaming"),
    "chat-reasoning-and-code": ("Reasoning · 64 tokens", "17 × 23 = 391", "def times"),
    "tool-calls-waiting": (
        "current_datetime",
        "calculator",
        "Allow once",
        "Deciding on",
        "Tab to decide",
    ),
    "tool-calls-finished": ("denied", "391 / 17 + 2 ** 10", "1047"),
    "error-banner": ("Everything up to this point is kept", "Retry"),
    "structured-answer": ("The Left Hand of Darkness", "Kindred", "Fits the schema books"),
    "history-search": ("391", "reasoning", "hits"),
    "model-picker": ("claude", "context"),
    "settings": ("Settings", "Credit", "Default model"),
    **{f"theme-{theme}": ("def times", "Provider error", "Retry") for theme in THEMES},
}
"""Each picture, and words it must show."""


def frozen_clock() -> float:
    return 0.0


@dataclass
class Studio:
    """Where the pictures are made: the server, the folders, and where they go."""

    server: DemoServer
    workspace: Path
    out: Path
    wanted: set[str]
    """The pictures to write."""
    needed: set[str]
    """The pictures whose scenes must run: the wanted ones, and what they build on."""

    def app(self, *, history: str = "history", theme: str | None = None) -> RillApp:
        settings = replace(
            demo_settings(settings_from_environment(), self.server.url), theme=theme, retries=0
        )
        return RillApp(
            settings,
            demo=True,
            clock=frozen_clock,
            cursor_blink=False,
            history_path=self.workspace / f"{history}.sqlite3",
        )

    def needs(self, *names: str) -> bool:
        return any(name in self.needed for name in names)

    async def shoot(self, pilot: Pilot, name: str) -> None:
        if name not in self.wanted:
            return
        pilot.app.clear_notifications()  # a passing toast would hide what the picture is for
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = pilot.app.export_screenshot(title="Rill")
        shown = svg_text(svg)
        missing = [words for words in PICTURES[name] if words not in shown]
        if missing:
            raise PictureError(f"{name}: the screen does not show {missing}")
        (self.out / f"{name}.svg").write_text(svg, encoding="utf-8")
        print(f"  {name}.svg", flush=True)


class PictureError(Exception):
    pass


def svg_text(svg: str) -> str:
    """The text an SVG screenshot shows, a line per terminal row, spaces where nothing is
    written (Rich's export draws each run of text at its column, and blanks as nothing)."""
    rows: dict[int, dict[int, str]] = {}
    for element in ElementTree.fromstring(svg).iter(f"{SVG}text"):
        line = LINE.search(element.get("clip-path") or "")
        if line is None:  # the window's title, not the screen
            continue
        column = round(float(element.get("x", "0")) / CHAR_WIDTH)
        rows.setdefault(int(line.group(1)), {})[column] = (element.text or "").replace("\xa0", " ")
    lines = []
    for number in range(max(rows, default=-1) + 1):
        text = ""
        for column, piece in sorted(rows.get(number, {}).items()):
            text = text.ljust(column) + piece
        lines.append(text.rstrip())
    return "\n".join(lines)


SVG = "{http://www.w3.org/2000/svg}"
LINE = re.compile(r"-line-(\d+)\)")
CHAR_WIDTH = 12.2
"""The width of a cell in Rich's SVG export (20 px font, aspect ratio 0.61)."""


# How a user gets there -------------------------------------------------------------------


def chat(pilot: Pilot) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def until(
    pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 20.0
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise PictureError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


async def until_shown(pilot: Pilot, *words: str) -> None:
    """Wait until the screen shows every one of `words` (workers fill some screens later)."""

    def shown() -> bool:
        text = svg_text(pilot.app.export_screenshot())
        return all(word in text for word in words)

    await until(pilot, shown, f"the screen to show {words}")


async def type_and_send(pilot: Pilot, prompt: str, *, wait: bool = True) -> None:
    await until(pilot, lambda: pilot.app.focused is chat(pilot).prompt, "the prompt box")
    await pilot.press(*prompt, "enter")
    if wait:
        await reply_done(pilot)


async def reply_done(pilot: Pilot) -> None:
    screen = chat(pilot)
    await until(pilot, lambda: screen.replies and screen.replies[-1].ended, "the reply's end")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def palette(pilot: Pilot, command: str) -> None:
    await pilot.press("ctrl+p")
    await until(
        pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette", "the command palette"
    )
    await pilot.press(*command)
    await until_shown(pilot, command)  # the palette searches in a worker
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChatScreen), "the palette to close")


def panel_states(pilot: Pilot) -> list[str]:
    return [panel.state for panel in chat(pilot).query(ToolCallPanel)]


async def decide(pilot: Pilot, key: str, *, there: bool = False) -> None:
    """Answer the first tool call that waits as a user does: Tab from the prompt to its
    panel (unless `there` already), then the key; `a` is confirmed with a second `a`."""
    await until(pilot, lambda: "waiting" in panel_states(pilot), "a tool call to ask")
    await pilot.press(*(() if there else ("tab",)), *(("a", "a") if key == "a" else (key,)))
    await pilot.pause()


# The pictures ----------------------------------------------------------------------------

Scene = Callable[[Studio], Awaitable[None]]
REASONING_PROMPT = "reasoning"


async def welcome(studio: Studio) -> None:
    async with studio.app(history="scratch").run_test(size=WIDE) as pilot:
        await until(pilot, lambda: pilot.app.focused is chat(pilot).prompt, "the prompt box")
        await studio.shoot(pilot, "chat-demo-welcome")


async def reasoning_streaming(studio: Studio) -> None:
    # Mid-thought: the stream stops after the reasoning's fourth step, "... 17 × 3 = 51, ".
    studio.server.stall_after = sum(len(split_tokens(step)) for step in REASONING_STEPS[:4])
    try:
        async with studio.app(history="scratch").run_test(size=WIDE) as pilot:
            await type_and_send(pilot, REASONING_PROMPT, wait=False)
            screen = chat(pilot)
            await until(
                pilot,
                lambda: (
                    screen.query(ReasoningPanel)
                    and "17 × 3 = 51" in screen.query_one(ReasoningPanel).body.text
                ),
                "the reasoning",
            )
            await pilot.pause(0.2)  # nothing more comes: the stream has stalled
            await studio.shoot(pilot, "chat-reasoning-streaming")
            await pilot.press("escape")
            await reply_done(pilot)
    finally:
        studio.server.stall_after = None


async def reasoning_and_code(studio: Studio) -> None:
    async with studio.app().run_test(size=WIDE) as pilot:
        await type_and_send(pilot, REASONING_PROMPT)
        await studio.shoot(pilot, "chat-reasoning-and-code")


async def tool_calls(studio: Studio) -> None:
    async with studio.app().run_test(size=TALL) as pilot:
        await type_and_send(pilot, "tools", wait=False)
        await until(
            pilot, lambda: panel_states(pilot) == ["waiting", "waiting"], "two calls waiting"
        )
        await pilot.press("tab")  # the first call has the keys, and shows it
        # Going to the panel scrolls it into view, animated: once that ends, pin the scroll
        # to the end, or a picture taken mid-way has the scrollbar's thumb between cells.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        chat(pilot).conversation_view.scroll_end(animate=False, immediate=True)
        await studio.shoot(pilot, "tool-calls-waiting")
        await decide(pilot, "n", there=True)  # today's date would change the picture daily
        await decide(pilot, "a")
        screen = chat(pilot)
        await until(
            pilot,
            lambda: len(screen.replies) == 3 and screen.replies[-1].ended,
            "the answer after two rounds",
        )
        await pilot.app.workers.wait_for_complete()
        await studio.shoot(pilot, "tool-calls-finished")


async def error_banner(studio: Studio) -> None:
    async with studio.app().run_test(size=WIDE) as pilot:
        await type_and_send(pilot, "mid-stream error")
        await studio.shoot(pilot, "error-banner")


async def structured_answer(studio: Studio) -> None:
    async with studio.app().run_test(size=TALL) as pilot:
        await palette(pilot, "Answer as JSON: books")
        await until(
            pilot, lambda: chat(pilot).options.next_schema is not None, "the schema chosen"
        )
        await type_and_send(pilot, "Recommend some books worth rereading")
        await studio.shoot(pilot, "structured-answer")


async def history_search(studio: Studio) -> None:
    pin_dates(studio.workspace / "history.sqlite3")
    async with studio.app().run_test(size=WIDE) as pilot:
        await until(pilot, lambda: pilot.app.focused is chat(pilot).prompt, "the prompt box")
        await pilot.press("f3")
        await until(
            pilot, lambda: type(pilot.app.screen).__name__ == "HistoryScreen", "the history screen"
        )
        await pilot.press(*"391")
        await until_shown(pilot, "in reply", "in tool call", "in tool result", "in reasoning")
        await studio.shoot(pilot, "history-search")


async def model_picker(studio: Studio) -> None:
    async with studio.app(history="scratch").run_test(size=WIDE) as pilot:
        await until(pilot, lambda: pilot.app.catalogue, "the model catalogue")
        await pilot.press("f4")
        await until(pilot, lambda: getattr(pilot.app.screen, "models", None), "the model picker")
        await pilot.press(*"claude")
        await until_shown(pilot, "matches ·", "anthropic/claude-sonnet-4.5")
        await studio.shoot(pilot, "model-picker")


async def settings(studio: Studio) -> None:
    async with studio.app(history="scratch").run_test(size=TALL) as pilot:
        await until(pilot, lambda: pilot.app.focused is chat(pilot).prompt, "the prompt box")
        await pilot.press("f8")
        await until_shown(pilot, "Credit", "spent")
        await studio.shoot(pilot, "settings")


async def themes(studio: Studio) -> None:
    for theme in THEMES:
        if not studio.needs(f"theme-{theme}"):
            continue
        async with studio.app(history=f"scratch-{theme}", theme=theme).run_test(
            size=TALL
        ) as pilot:
            await type_and_send(pilot, REASONING_PROMPT)
            await type_and_send(pilot, "mid-stream error")
            await studio.shoot(pilot, f"theme-{theme}")


SCENES: list[tuple[tuple[str, ...], Scene]] = [
    (("chat-demo-welcome",), welcome),
    (("chat-reasoning-streaming",), reasoning_streaming),
    (("chat-reasoning-and-code",), reasoning_and_code),
    (("tool-calls-waiting", "tool-calls-finished"), tool_calls),
    (("error-banner",), error_banner),
    (("structured-answer",), structured_answer),
    (("history-search",), history_search),
    (("model-picker",), model_picker),
    (("settings",), settings),
    (tuple(f"theme-{theme}" for theme in THEMES), themes),
]
"""In order: the history picture searches the conversations the ones before it saved."""
SAVED_BEFORE_HISTORY = {
    "chat-reasoning-and-code",
    "tool-calls-finished",
    "error-banner",
    "structured-answer",
}


def pin_dates(history: Path) -> None:
    """Give the saved conversations fixed dates, a few minutes apart in the order they were
    made, so the history list reads the same on every run."""
    with sqlite3.connect(history) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM conversations ORDER BY created")]
        for number, conversation in enumerate(ids):
            moment = SAVED_AT + 420 * number
            db.execute(
                "UPDATE conversations SET created = ?, updated = ? WHERE id = ?",
                (moment, moment, conversation),
            )
    db.close()


async def make_pictures(studio: Studio) -> None:
    for names, scene in SCENES:
        if studio.needs(*names):
            await scene(studio)


def prepare_environment(workspace: Path) -> None:
    """Nobody's own config, key or time zone in the pictures."""
    os.environ["RILL_CONFIG_DIR"] = str(workspace / "config")
    os.environ["RILL_DATA_DIR"] = str(workspace / "data")
    for name in ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "NO_COLOR"):
        os.environ.pop(name, None)
    os.environ["TZ"] = "UTC"
    time.tzset()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Draw the README's screenshots with the real app and the demo server."
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=SCREENSHOTS,
        help="folder for the SVG files (default: screenshots/)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=sorted(PICTURES),
        metavar="NAME",
        help=f"draw only these: {', '.join(PICTURES)}",
    )
    args = parser.parse_args(argv)
    wanted = set(args.only or PICTURES)
    needed = wanted | (SAVED_BEFORE_HISTORY if "history-search" in wanted else set())
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rill-screenshots-") as folder:
        workspace = Path(folder)
        prepare_environment(workspace)
        try:
            server = DemoServer(PORT, pacing=Pacing.instant())  # each theme fails alike
        except OSError as exc:
            print(
                f"screenshots: port {PORT} on 127.0.0.1 is taken ({exc.strerror}); the "
                "pictures name it, so stop whatever uses it and try again",
                file=sys.stderr,
            )
            return 1
        print(f"Drawing {len(wanted)} screenshots into {args.out}", flush=True)
        with server:
            try:
                asyncio.run(make_pictures(Studio(server, workspace, args.out, wanted, needed)))
            except PictureError as exc:
                print(f"screenshots: {exc}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
