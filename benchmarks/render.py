"""How long the real app takes to show a burst reply, beside a bare SDK read of the same stream.

Starts the demo server in its own process, then for each size asks it for a reply of N tokens
sent as fast as possible (`demo/generate/N`): once read with a bare `openai` SDK loop, once sent
from the headless app at 120x40, timed from pressing Enter until the reply is fully rendered
(the stream has ended, the Markdown is drawn, and a frame has been painted). Then, while a
20,000-token burst streams, types a key every 50 ms and prints how long each took to reach the
prompt (the UI must stay responsive while a reply streams).

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

from stream_throughput import bare_sdk, start_server  # noqa: E402

from textual import events  # noqa: E402

from rillchat.settings import Settings  # noqa: E402
from rillchat.ui.app import RillApp  # noqa: E402

API_KEY = "benchmark"


def press_enter(app: RillApp) -> None:
    """As a terminal would: the pilot's press waits for the app to go idle, which a streaming
    reply does not do."""
    app.post_message(events.Key("enter", "\r"))


async def app_render(url: str, model: str) -> float:
    app = RillApp(Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600),
                  cursor_blink=False)
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
    app = RillApp(Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600),
                  cursor_blink=False)
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


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,4000,20000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    process, url = start_server()
    try:
        print(f"{'tokens':>8} {'bare SDK':>10} {'Rill app':>10} {'ratio':>7} {'ms/token':>10}")
        for size in sizes:
            model = f"demo/generate/{size}"
            started = time.perf_counter()
            await bare_sdk(url, model)
            bare = time.perf_counter() - started
            rendered = await app_render(url, model)
            print(f"{size:>8,} {bare:>9.2f}s {rendered:>9.2f}s {rendered / bare:>6.1f}x "
                  f"{rendered / size * 1000:>9.2f}", flush=True)
        delays = sorted(await typing_latency(url, "demo/generate/20000"))
        p95 = delays[int(len(delays) * 0.95)] if delays else float("nan")
        print(f"typing during a 20,000-token burst: {len(delays)} keys, median "
              f"{statistics.median(delays) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {delays[-1] * 1000:.0f} ms", flush=True)
    finally:
        process.kill()


if __name__ == "__main__":
    asyncio.run(main())
