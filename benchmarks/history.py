"""How the history holds up when it is big.

Fills a database in a temporary folder with 10,000 conversations and 200,000 messages (replies
with reasoning and some tool calls), then prints: the first page of the list, p50 and p95 of 20
searches, and the time to open a 1,000-message conversation in the headless app (120x40) to its
first painted screen and the resident memory then. Targets: list under 50 ms, search p95
under 100 ms (issue 4); open under 0.5 s, memory under 300 MB (issue 7).

    python benchmarks/history.py [--conversations 10000] [--messages 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from rillchat.chat.conversation import Conversation, Message, ReasoningPart, TextPart, ToolCallPart
from rillchat.openrouter.events import Usage
from rillchat.settings import Settings
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.app import RillApp
from rillchat.ui.screens.history import PAGE, HistoryScreen

COMMON = ("the a of to and in is it that for on with as this be are by not or from but at "
          "model reply stream token answer").split()
RARE = [f"{syllable}{end}" for syllable in ("ka", "lo", "mir", "ten", "vas", "qu", "zor", "pel",
                                             "dru", "fen", "gal", "hob", "jin", "nux", "ost")
        for end in ("ban", "cet", "dor", "fix", "gum", "hal", "jet", "kon", "lum", "mop", "nir",
                    "pax", "rud", "sol", "tig", "vin", "wex", "yol", "zed", "ark")]
"""Text is mostly common words, with rarer ones in a long tail, as real conversations are."""
QUERIES = ["kaban", "model", "stream token", "paris", "lodor mirfix", "zorgum", "the answer",
           "tenlum", "vaspax", "qurud", "pelsol", "drutig", "fenvin", "galwex", "hobyol",
           "jinzed", "nuxark", "ostban", "kabanana", "weather"]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(RARE) if rng.random() < 0.15 else rng.choice(COMMON)
                    for _ in range(words)).capitalize() + "."


def make_conversation(rng: random.Random, number: int, messages: int) -> Conversation:
    conversation = Conversation(model="anthropic/claude-sonnet-4.5",
                                title=f"{sentence(rng, 4)} #{number}")
    for index in range(messages):
        if index % 2 == 0:
            conversation.messages.append(Message.user(sentence(rng, 15)))
            continue
        parts = [ReasoningPart(sentence(rng, 40)), TextPart("\n\n".join(
            sentence(rng, 30) for _ in range(4)))]
        if index % 6 == 1:
            parts.append(ToolCallPart(0, f"call_{number}_{index}", "get_weather",
                                      '{"city": "Paris"}'))
        conversation.messages.append(Message(role="assistant", parts=parts,
                                             usage=Usage(400, 300, 60, cost=0.0012),
                                             model=conversation.model, provider="Anthropic",
                                             time_to_first_token=0.7, duration=4.2))
    return conversation


def resident_mb() -> float:
    """This process's resident memory, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def open_in_app(path: Path, conversation_id: str) -> tuple[float, float]:
    """Seconds to the first painted screen, and resident memory then (MB)."""
    started = time.perf_counter()
    app = RillApp(Settings(api_key="benchmark", base_url="http://127.0.0.1:9/api/v1"),
                  cursor_blink=False, history_path=path, reopen=conversation_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return time.perf_counter() - started, resident_mb()


async def open_history_screen(path: Path) -> float:
    app = RillApp(Settings(api_key="benchmark", base_url="http://127.0.0.1:9/api/v1"),
                  cursor_blink=False, history_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        history = History(open_database(path))
        started = time.perf_counter()
        for number in range(args.conversations):
            history.save_all(make_conversation(rng, number, args.messages))
        big = make_conversation(rng, -1, 1000)
        history.save_all(big)
        filled = time.perf_counter() - started
        total = args.conversations * args.messages + 1000
        size = path.stat().st_size + Path(f"{path}-wal").stat().st_size
        print(f"filled {args.conversations + 1:,} conversations, {total:,} messages in "
              f"{filled:.1f} s ({size / 1e6:.0f} MB)")

        timings = []
        for _ in range(5):
            started = time.perf_counter()
            history.recent(limit=PAGE)
            timings.append(time.perf_counter() - started)
        print(f"first page of the list ({PAGE}, as the history screen reads it): median "
              f"{statistics.median(timings) * 1000:.1f} ms (target: under 50 ms)")

        searches = []
        for query in QUERIES:
            started = time.perf_counter()
            history.search(query)
            searches.append(time.perf_counter() - started)
        searches.sort()
        print(f"20 searches: p50 {statistics.median(searches) * 1000:.1f} ms, "
              f"p95 {searches[int(len(searches) * 0.95)] * 1000:.1f} ms, "
              f"max {searches[-1] * 1000:.1f} ms (target: p95 under 100 ms)")
        history.connection.close()
        listed = asyncio.run(open_history_screen(path))
        print(f"press F3 to the history screen's first painted list: {listed * 1000:.0f} ms")
        opened, memory = asyncio.run(open_in_app(path, big.id))
        print(f"open a 1,000-message conversation in the app to its first painted screen: "
              f"{opened:.2f} s (issue 7's target: under 0.5 s); resident memory then "
              f"{memory:.0f} MB (target: under 300 MB)")


if __name__ == "__main__":
    main()
