"""How the history holds up when it is big.

Fills a database in a temporary folder with 10,000 conversations and 200,000 messages (replies
with reasoning and some tool calls) and one conversation of 1,000 messages and about 500,000
tokens (replies of Markdown with headings, lists and code, reasoning, tool calls), then
prints: the first page of the list, p50 and p95 of 20 searches, and, in the headless app at
120x40: the time to open the big conversation to its first painted screen, to jump to its
first message (Ctrl+Home) and back to the latest (Ctrl+End), each to a painted frame, and the
resident memory then. Targets: list under 50 ms, search p95 under 100 ms (issue 4); open
under 0.5 s, each jump under 0.3 s, memory under 300 MB (issue 7).

    python benchmarks/history.py [--conversations 10000] [--messages 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual import events

from rillchat.chat.conversation import (
    Conversation,
    Message,
    ReasoningPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)
from rillchat.config.settings import Settings
from rillchat.demo.generated_scenarios import generated_tokens
from rillchat.openrouter.events import Usage
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.app import RillApp
from rillchat.ui.screens.chat import ChatScreen
from rillchat.ui.screens.history import PAGE, HistoryScreen

COMMON = (
    "the a of to and in is it that for on with as this be are by not or from but at "
    "model reply stream token answer"
).split()
RARE = [
    f"{syllable}{end}"
    for syllable in (
        "ka",
        "lo",
        "mir",
        "ten",
        "vas",
        "qu",
        "zor",
        "pel",
        "dru",
        "fen",
        "gal",
        "hob",
        "jin",
        "nux",
        "ost",
    )
    for end in (
        "ban",
        "cet",
        "dor",
        "fix",
        "gum",
        "hal",
        "jet",
        "kon",
        "lum",
        "mop",
        "nir",
        "pax",
        "rud",
        "sol",
        "tig",
        "vin",
        "wex",
        "yol",
        "zed",
        "ark",
    )
]
"""Text is mostly common words, with rarer ones in a long tail, as real conversations are."""
QUERIES = [
    "kaban",
    "model",
    "stream token",
    "paris",
    "lodor mirfix",
    "zorgum",
    "the answer",
    "tenlum",
    "vaspax",
    "qurud",
    "pelsol",
    "drutig",
    "fenvin",
    "galwex",
    "hobyol",
    "jinzed",
    "nuxark",
    "ostban",
    "kabanana",
    "weather",
]


def sentence(rng: random.Random, words: int) -> str:
    return (
        " ".join(
            rng.choice(RARE) if rng.random() < 0.15 else rng.choice(COMMON) for _ in range(words)
        ).capitalize()
        + "."
    )


def make_conversation(rng: random.Random, number: int, messages: int) -> Conversation:
    conversation = Conversation(
        model="anthropic/claude-sonnet-4.5", title=f"{sentence(rng, 4)} #{number}"
    )
    for index in range(messages):
        if index % 2 == 0:
            conversation.messages.append(Message.user(sentence(rng, 15)))
            continue
        parts = [
            ReasoningPart(sentence(rng, 40)),
            TextPart("\n\n".join(sentence(rng, 30) for _ in range(4))),
        ]
        if index % 6 == 1:
            parts.append(
                ToolCallPart(0, f"call_{number}_{index}", "get_weather", '{"city": "Paris"}')
            )
        conversation.messages.append(
            Message(
                role="assistant",
                parts=parts,
                usage=Usage(400, 300, 60, cost=0.0012),
                model=conversation.model,
                provider="Anthropic",
                time_to_first_token=0.7,
                duration=4.2,
            )
        )
    return conversation


def big_conversation(rng: random.Random, messages: int) -> tuple[Conversation, int]:
    """A long working session: Markdown replies of 500 to 1,300 tokens with reasoning, a tool
    call and its result every few turns. Returns it and its token count."""
    conversation = Conversation(model="anthropic/claude-sonnet-4.5", title="A long session")
    tokens = 0
    while len(conversation.messages) < messages:
        prompt = sentence(rng, 25)
        conversation.messages.append(Message.user(prompt))
        answer = generated_tokens(rng.randint(500, 1300))
        reasoning = " ".join(sentence(rng, 30) for _ in range(5))
        tokens += len(prompt) // 4 + len(answer) + len(reasoning) // 4
        parts = [ReasoningPart(reasoning), TextPart("".join(answer))]
        calls_tool = (
            len(conversation.messages) % 10 == 1 and len(conversation.messages) + 3 <= messages
        )
        if calls_tool:
            call_id = f"call_{len(conversation.messages)}"
            parts.append(ToolCallPart(0, call_id, "read_file", '{"path": "notes/plan.md"}'))
        conversation.messages.append(
            Message(
                role="assistant",
                parts=parts,
                usage=Usage(900, 1000, 150, cost=0.004),
                model=conversation.model,
                provider="Anthropic",
                time_to_first_token=0.7,
                duration=9.5,
            )
        )
        if calls_tool:
            result = "\n".join(sentence(rng, 12) for _ in range(20))
            tokens += len(result) // 4
            conversation.messages.append(
                Message(role="tool", parts=[ToolResultPart(call_id, result, name="read_file")])
            )
    del conversation.messages[messages:]
    return conversation, tokens


def resident_mb() -> float:
    """This process's resident memory, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def until_painted(app: RillApp, done: Callable[[], bool], act: Callable[[], None]) -> float:
    """Seconds from `act` to the end of the first frame the app paints once `done()` holds."""
    painted: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        display(screen, renderable)
        if not painted and renderable is not None and done():
            painted.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    started = time.perf_counter()
    act()
    while not painted:
        await asyncio.sleep(0.001)
    app._display = display  # type: ignore[method-assign]
    return painted[0] - started


async def open_in_app(path: Path, conversation_id: str) -> tuple[float, float, float, float]:
    """Seconds to the first painted screen, to the first message (Ctrl+Home) and back to
    the latest (Ctrl+End), each to the end of the frame that shows it, and resident memory
    then (MB)."""
    started = time.perf_counter()
    app = RillApp(
        Settings(api_key="benchmark", base_url="http://127.0.0.1:9/api/v1"),
        cursor_blink=False,
        history_path=path,
        reopen=conversation_id,
    )
    opened: list[float] = []
    display = app._display

    def timed_display(screen, renderable) -> None:
        display(screen, renderable)
        if (
            not opened
            and renderable is not None
            and isinstance(screen, ChatScreen)
            and screen.conversation_view.turn_widgets()
        ):
            opened.append(time.perf_counter() - started)

    app._display = timed_display  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        while not opened:
            await asyncio.sleep(0.001)
        app._display = display  # type: ignore[method-assign]
        await pilot.pause(0.2)
        screen = app.screen
        view = screen.conversation_view
        first = screen.conversation.messages[0].id
        last = screen.conversation.messages[-1].id

        def shown(end: int) -> str | None:
            turns = screen.conversation_view.turn_widgets()
            return turns[end].message_id if turns else None

        to_top = await until_painted(
            app,
            lambda: view.scroll_y == 0 and shown(0) == first,
            lambda: app.post_message(events.Key("ctrl+home", None)),
        )
        await pilot.pause(0.2)
        back = await until_painted(
            app,
            lambda: view.following and view.scroll_y == view.max_scroll_y and shown(-1) == last,
            lambda: app.post_message(events.Key("ctrl+end", None)),
        )
        return opened[0], to_top, back, resident_mb()


async def open_history_screen(path: Path) -> float:
    app = RillApp(
        Settings(api_key="benchmark", base_url="http://127.0.0.1:9/api/v1"),
        cursor_blink=False,
        history_path=path,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        return time.perf_counter() - started


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5, help="times the big conversation is opened")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        history = History(open_database(path))
        started = time.perf_counter()
        for number in range(args.conversations):
            history.save_all(make_conversation(rng, number, args.messages))
        big, big_tokens = big_conversation(rng, 1000)
        history.save_all(big)
        filled = time.perf_counter() - started
        total = args.conversations * args.messages + 1000
        size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
        print(
            f"filled {args.conversations + 1:,} conversations, {total:,} messages in "
            f"{filled:.1f} s ({size / 1e6:.0f} MB)"
        )

        timings = []
        for _ in range(5):
            started = time.perf_counter()
            history.recent(limit=PAGE)
            timings.append(time.perf_counter() - started)
        print(
            f"first page of the list ({PAGE}, as the history screen reads it): median "
            f"{statistics.median(timings) * 1000:.1f} ms (target: under 50 ms)"
        )

        for label, search in [
            ("20 searches", history.search),
            (
                "20 searches grouped with hit counts, as the history screen "
                "runs them per keystroke",
                history.search_by_conversation,
            ),
        ]:
            searches = []
            for query in QUERIES:
                started = time.perf_counter()
                search(query)
                searches.append(time.perf_counter() - started)
            searches.sort()
            print(
                f"{label}: p50 {statistics.median(searches) * 1000:.1f} ms, "
                f"p95 {searches[int(len(searches) * 0.95)] * 1000:.1f} ms, "
                f"max {searches[-1] * 1000:.1f} ms (target: p95 under 100 ms)"
            )
        history.connection.close()
        listed = asyncio.run(open_history_screen(path))
        print(f"press F3 to the history screen's first painted list: {listed * 1000:.0f} ms")
        runs = [asyncio.run(open_in_app(path, big.id)) for _ in range(args.runs)]
        opened, to_top, back = (
            statistics.median(run[figure] for run in runs) for figure in range(3)
        )
        memory = max(run[3] for run in runs)
        print(
            "  runs (open, top, back ms):",
            [tuple(round(x * 1000) for x in run[:3]) for run in runs],
        )
        print(
            f"a 1,000-message conversation of about {big_tokens:,} tokens, in the app "
            f"(medians of {args.runs} runs):"
        )
        print(
            f"  open to its first painted screen: {opened * 1000:.0f} ms "
            f"(target under 500 ms: {verdict(opened < 0.5)})"
        )
        print(
            f"  Ctrl+Home to its first message: {to_top * 1000:.0f} ms, Ctrl+End back to the "
            f"latest: {back * 1000:.0f} ms (target under 300 ms each: "
            f"{verdict(max(to_top, back) < 0.3)})"
        )
        print(
            f"  resident memory then: {memory:.0f} MB (target under 300 MB: "
            f"{verdict(memory < 300)})"
        )


if __name__ == "__main__":
    main()
