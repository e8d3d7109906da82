"""How long the real app takes to show a burst reply, beside a bare SDK read of the same stream.

Starts the demo server in its own process, then for each size asks it for a reply of N tokens
sent as fast as possible (`demo/generate/N`): once read with a bare `openai` SDK loop, once sent
from the headless app at 120x40, timed from pressing Enter until the reply is fully rendered
(the stream has ended, the Markdown is drawn, and a frame has been painted).

    python benchmarks/render.py [--sizes 2000,4000,20000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stream_throughput import bare_sdk, start_server  # noqa: E402

from rillchat.settings import Settings  # noqa: E402
from rillchat.ui.app import RillApp  # noqa: E402

API_KEY = "benchmark"


async def app_render(url: str, model: str) -> float:
    app = RillApp(Settings(api_key=API_KEY, base_url=url, model=model, read_timeout=600),
                  cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.pause()
        screen.prompt.load_text("go")
        started = time.perf_counter()
        await pilot.press("enter")
        while not (screen.replies and screen.replies[-1].ended):
            await asyncio.sleep(0.001)
        await pilot.pause()  # the last fragments drawn and a frame painted
        elapsed = time.perf_counter() - started
        reply = screen.replies[-1]
        assert reply.message.status.value == "complete", reply.message.status
        return elapsed


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
    finally:
        process.kill()


if __name__ == "__main__":
    asyncio.run(main())
