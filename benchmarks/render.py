"""How long the real app takes to show a burst reply, beside a bare SDK read of the same stream.

Starts the demo server in its own process, then for each size asks it for a reply of N tokens
sent as fast as possible (`demo/generate/N`): once read with a bare `openai` SDK loop, once sent
from the headless app at 120x40, timed from pressing Enter until the reply is fully rendered
(the stream has ended, the Markdown is drawn, and a frame has been painted). Then, while a
20,000-token burst streams, types a key every 50 ms and prints how long each took to reach the
prompt (the UI must stay responsive while a reply streams). Last, a reply streamed at a steady
300 tokens/s: for each chunk, the delay from its arrival in the app to the first frame painted
after it was drawn.

Targets (issue 7): a burst fully rendered within 3x the bare SDK read; cost per token flat from
2,000 to 20,000 tokens; at 300 tokens/s, p95 arrival-to-paint under 50 ms and the last token
painted within 100 ms of arriving.

    python benchmarks/render.py [--sizes 2000,4000,20000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from textual import events

from rillchat.config.settings import Settings
from rillchat.ui.app import RillApp
from stream_throughput import bare_sdk, start_server

API_KEY = "benchmark"


def press_enter(app: RillApp) -> None:
    """As a terminal would: the pilot's press waits for the app to go idle, which a streaming
    reply does not do."""
    app.post_message(events.Key("enter", "\r"))


async def app_render(url: str, model: str) -> float:
    app = RillApp(
        Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600), cursor_blink=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.prompt.load_text("go")
        started = time.perf_counter()
        press_enter(app)
        while not (screen.replies and screen.replies[-1].ended):
            await asyncio.sleep(0.001)
        await pilot.pause()  # the last fragments drawn and a frame painted
        elapsed = time.perf_counter() - started
        reply = screen.replies[-1]
        assert reply.message.status.value == "complete", reply.message.status
        return elapsed


async def typing_latency(url: str, model: str) -> list[float]:
    """Seconds from a key event being sent to the prompt showing it, during a burst reply."""
    app = RillApp(
        Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600), cursor_blink=False
    )
    delays: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.prompt.load_text("go")
        press_enter(app)
        while not screen.replies or not screen.replies[-1].message.text:
            await asyncio.sleep(0.001)
        while not screen.replies[-1].ended:
            length = len(screen.prompt.text)
            sent = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            while len(screen.prompt.text) == length:
                await asyncio.sleep(0.0005)
            delays.append(time.perf_counter() - sent)
            await asyncio.sleep(0.05)
    return delays


async def steady_latency(url: str, tokens: int, rate: int) -> tuple[list[float], float]:
    """Arrival-to-paint delays of every chunk of a reply sent at `rate` tokens per second, and
    that of the last one."""
    from rillchat.ui.screens.turn_presenter import TurnPresenter

    app = RillApp(
        Settings(
            api_key=API_KEY, base_url=url, model=f"demo/generate/{tokens}/{rate}", read_timeout=600
        ),
        cursor_blink=False,
    )
    arrived: list[float] = []
    delays: list[float] = []
    pending = 0  # arrivals drawn but not yet painted
    painted_upto = 0
    display = app._display
    deliver = TurnPresenter.deliver
    drain = TurnPresenter.show_news

    def timed_deliver(presenter, engine, event) -> None:
        arrived.append(time.perf_counter())
        deliver(presenter, engine, event)

    async def timed_drain(presenter) -> None:
        nonlocal pending
        count = len(arrived)
        await drain(presenter)
        pending = count

    def timed_display(screen, renderable) -> None:
        nonlocal painted_upto
        display(screen, renderable)
        now = time.perf_counter()
        while painted_upto < pending:
            delays.append(now - arrived[painted_upto])
            painted_upto += 1

    TurnPresenter.deliver = timed_deliver  # type: ignore[method-assign]
    TurnPresenter.show_news = timed_drain  # type: ignore[method-assign]
    app._display = timed_display  # type: ignore[method-assign]
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            await pilot.pause()
            screen.prompt.load_text("go")
            press_enter(app)
            while not (screen.replies and screen.replies[-1].ended):
                await asyncio.sleep(0.005)
            await pilot.pause(0.2)
    finally:
        TurnPresenter.deliver = deliver  # type: ignore[method-assign]
        TurnPresenter.show_news = drain  # type: ignore[method-assign]
    return delays, delays[-1] if delays else float("nan")


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,4000,20000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    process, url = start_server()
    try:
        print(f"{'tokens':>8} {'bare SDK':>10} {'Rill app':>10} {'ratio':>7} {'ms/token':>10}")
        per_token: dict[int, float] = {}
        ratios: dict[int, float] = {}
        for size in sizes:
            model = f"demo/generate/{size}"
            started = time.perf_counter()
            await bare_sdk(url, model)
            bare = time.perf_counter() - started
            rendered = await app_render(url, model)
            print(
                f"{size:>8,} {bare:>9.2f}s {rendered:>9.2f}s {rendered / bare:>6.1f}x "
                f"{rendered / size * 1000:>9.2f}",
                flush=True,
            )
            per_token[size] = rendered / size
            ratios[size] = rendered / bare
        for size in (4000, 20000):
            if size in ratios:
                print(
                    f"target: {size:,} tokens within 3x the bare SDK read: {ratios[size]:.1f}x, "
                    f"{verdict(ratios[size] <= 3)}"
                )
        if len(per_token) > 1:
            smallest, largest = min(per_token), max(per_token)
            growth = per_token[largest] / per_token[smallest]
            print(
                f"target: cost per token flat from {smallest:,} to {largest:,} tokens "
                f"(within 25%): {growth:.2f}x, {verdict(growth <= 1.25)}"
            )
        delays = sorted(await typing_latency(url, "demo/generate/20000"))
        p95 = delays[int(len(delays) * 0.95)] if delays else float("nan")
        print(
            f"typing during a 20,000-token burst: {len(delays)} keys, median "
            f"{statistics.median(delays) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {delays[-1] * 1000:.0f} ms",
            flush=True,
        )
        steady, last = await steady_latency(url, 1500, 300)
        steady.sort()
        p95 = steady[int(len(steady) * 0.95)]
        print(
            f"300 tokens/s, {len(steady)} chunks: arrival to painted frame median "
            f"{statistics.median(steady) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (target < 50 ms: "
            f"{verdict(p95 < 0.05)}); last token {last * 1000:.0f} ms (target < 100 ms: "
            f"{verdict(last < 0.1)})",
            flush=True,
        )
    finally:
        process.kill()


if __name__ == "__main__":
    asyncio.run(main())
