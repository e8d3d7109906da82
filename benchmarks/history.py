"""How the history holds up when it is big.

Fills a database with 10,000 conversations and 200,000 messages (replies with reasoning and some
tool calls; mostly common words, with rarer ones in a long tail of some 200,000 distinct
words) and one conversation of 1,000 messages and about 500,000 tokens (replies of Markdown
with headings, lists and code, reasoning, tool calls), then prints: the first page of the list,
p50, p95 and max of searches for whole words and for words typed half-way, the same searches
grouped by conversation as the history screen runs them per keystroke, and, each in a fresh
process running the headless app at 120x40: F3 to the history screen's first painted list
and the resident memory after a search there; the time to open the big conversation to its
first painted screen, to jump to its first message (Ctrl+Home) and back to the latest
(Ctrl+End), each to a painted frame, and the resident memory then.

Targets: list under 50 ms (issue 4); open under 0.5 s, each jump under 0.3 s, memory under
300 MB (issue 7); F3 under 300 ms, search p95 under 30 ms, grouped search p95 under 30 ms,
memory under 300 MB at 100,000 conversations (issue 23).

`--database FILE` fills FILE once and reuses it on later runs (only what it lacks is added),
so a run at 100,000 conversations skips the fill the second time:

    python benchmarks/history.py [--conversations 10000] [--messages 20] [--runs 5]
        [--database FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import accumulate
from pathlib import Path

from textual import events
from textual.widgets import DataTable

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


def tail_words(count: int) -> list[str]:
    """`count` distinct made-up words of two to four syllables."""
    rng = random.Random(23)
    syllables = [consonant + vowel for consonant in "bcdfghjklmnprstvwz" for vowel in "aeiou"]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choices(syllables, k=rng.choice((2, 3, 3, 4)))))
    return sorted(words)


TAIL = tail_words(200_000)
"""Rare words: a real history's vocabulary is big, and a word typed half-way ("mod") matches
many words of it, a syllable ("mo") thousands."""
VOCABULARY = COMMON + RARE + TAIL
WEIGHTS = list(
    accumulate(
        [0.83 / len(COMMON)] * len(COMMON)
        + [0.15 / len(RARE)] * len(RARE)
        + [0.02 / len(TAIL)] * len(TAIL)
    )
)
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
HALF_TYPED = [
    "mod",
    "mo",
    "m",
    "str",
    "stream tok",
    "ka",
    "kab",
    "zorg",
    "the ans",
    "ten",
    "vasp",
    "we",
    "weat",
    "lodor mir",
    "an",
    "re",
    "t",
    "qu",
    "bada",
    "kiro",
]
"""Queries as they are while a word is still being typed: the last word is the start of one."""
APP_QUERY = "mod"


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=WEIGHTS, k=words)).capitalize() + "."


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


BIG_TITLE = "A long session"


def big_conversation(rng: random.Random, messages: int) -> tuple[Conversation, int]:
    """A long working session: Markdown replies of 500 to 1,300 tokens with reasoning, a tool
    call and its result every few turns. Returns it and its token count."""
    conversation = Conversation(model="anthropic/claude-sonnet-4.5", title=BIG_TITLE)
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


async def history_screen_in_app(path: Path) -> tuple[float, float, float]:
    """Seconds from F3 to the end of the first frame that shows the history screen's list,
    from a search run there to the end of the frame that shows its hits, and resident memory
    then (MB)."""
    app = RillApp(
        Settings(api_key="benchmark", base_url="http://127.0.0.1:9/api/v1"),
        cursor_blink=False,
        history_path=path,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)

        def listed() -> bool:
            screen = app.screen
            return isinstance(screen, HistoryScreen) and screen.query_one(DataTable).row_count > 0

        f3 = await until_painted(app, listed, lambda: app.post_message(events.Key("f3", None)))
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await pilot.pause(0.2)
        searched = await until_painted(
            app, lambda: bool(screen.hits), lambda: screen.run_search(APP_QUERY)
        )
        await pilot.pause(0.2)
        return f3, searched, resident_mb()


def history_screen_in_fresh_process(path: Path) -> tuple[float, float, float]:
    """`history_screen_in_app` in a new Python, so nothing this one holds (the fill, its
    caches) is counted."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_history_screen_in_app, path).result()


def _history_screen_in_app(path: Path) -> tuple[float, float, float]:
    return asyncio.run(history_screen_in_app(path))


BATCH = 500
"""Conversations written in one transaction while filling."""


def fill(history: History, path: Path, conversations: int, messages: int) -> None:
    """Add conversations until the history holds `conversations` besides the big one: all
    of them in a new database, what is missing in one kept from an earlier run."""
    have = history.connection.execute(
        "SELECT count(*) FROM conversations WHERE title IS NOT ?", (BIG_TITLE,)
    ).fetchone()[0]
    started = time.perf_counter()
    rng = random.Random(7 + have)
    # Random message ids land all over their index: a big cache while filling, and the
    # default one again for the timings (as the app has it).
    default_cache = history.connection.execute("PRAGMA cache_size").fetchone()[0]
    history.connection.execute("PRAGMA cache_size = -262144")
    for first in range(have, conversations, BATCH):
        with history._transaction() as db:
            for number in range(first, min(first + BATCH, conversations)):
                history._write_whole(db, make_conversation(rng, number, messages))
        if (first + BATCH) % 10_000 == 0:
            print(f"  {first + BATCH:,} conversations...", file=sys.stderr, flush=True)
    history.connection.execute(f"PRAGMA cache_size = {default_cache}")
    counted, total = history.connection.execute(
        "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM messages)"
    ).fetchone()
    size = sum(
        file.stat().st_size for file in (path, path.with_name(path.name + "-wal")) if file.exists()
    )
    how = (
        f"filled in {time.perf_counter() - started:.1f} s"
        if have < conversations
        else f"kept from an earlier run in {path}"
    )
    print(f"{counted:,} conversations, {total:,} messages ({size / 1e6:.0f} MB), {how}")


def percentiles(timings: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max, in ms."""
    ordered = sorted(timings)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        ordered[-1] * 1000,
    )


def time_list_and_search(history: History, passes: int = 3) -> None:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        history.recent(limit=PAGE)
        history.count()
        timings.append(time.perf_counter() - started)
    first_page = statistics.median(timings)
    print(
        f"first page of the list ({PAGE}) and the count, as the history screen reads them: "
        f"median {first_page * 1000:.1f} ms (target under 50 ms: {verdict(first_page < 0.05)})"
    )
    for label, search in [
        ("search", history.search),
        (
            "search grouped with hit counts, as the history screen runs it per keystroke",
            history.search_by_conversation,
        ),
    ]:
        print(f"{label}, {passes} passes:")
        for words, queries in [("whole words", QUERIES), ("words typed half-way", HALF_TYPED)]:
            timed: dict[str, list[float]] = {query: [] for query in queries}
            for _ in range(passes):
                for query in queries:
                    started = time.perf_counter()
                    search(query)
                    timed[query].append(time.perf_counter() - started)
            p50, p95, most = percentiles([t for runs in timed.values() for t in runs])
            slowest = sorted(timed, key=lambda query: -max(timed[query]))[:3]
            print(
                f"  {len(queries)} {words}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max "
                f"{most:.1f} ms (target p95 under 30 ms: {verdict(p95 < 30)}); slowest: "
                + ", ".join(f"{query!r} {max(timed[query]) * 1000:.0f} ms" for query in slowest)
            )


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5, help="times the big conversation is opened")
    parser.add_argument(
        "--database",
        type=Path,
        help="fill this file instead of a temporary one, and reuse it when it is filled already",
    )
    parser.add_argument("--app-runs", type=int, default=3, help="times F3 is timed")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = args.database or Path(folder) / "history.sqlite3"
        history = History(open_database(path))
        fill(history, path, args.conversations, args.messages)
        big, big_tokens = big_conversation(rng, 1000)
        for (kept,) in history.connection.execute(
            "SELECT id FROM conversations WHERE title = ?", (BIG_TITLE,)
        ).fetchall():
            history.delete(kept)
        history.save_all(big)

        time_list_and_search(history)
        history.connection.close()
        screens = [history_screen_in_fresh_process(path) for _ in range(args.app_runs)]
        listed, searched = (statistics.median(run[figure] for run in screens) for figure in (0, 1))
        print(
            f"F3 to the history screen's first painted list, in the app (median of "
            f"{args.app_runs} fresh processes): {listed * 1000:.0f} ms (target under 300 ms: "
            f"{verdict(listed < 0.3)}); a search for {APP_QUERY!r} there to its painted "
            f"hits: {searched * 1000:.0f} ms"
        )
        memory = max(run[2] for run in screens)
        print(
            f"  resident memory then: {memory:.0f} MB (target under 300 MB: "
            f"{verdict(memory < 300)})"
        )
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
