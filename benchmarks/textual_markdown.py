"""What Rill's reply painter is measured against: Textual's own Markdown widget, the usual way
to show a streamed reply in a Textual app, fed the same burst stream in the same headless
120x40 app that `render.py` times Rill in.

For each size, the demo server (in its own process) sends `demo/generate/N`; the bare SDK read
is timed first, then two readers of the same stream, each from the request until the whole
reply is drawn and a frame has been painted: Rill (the real app, as `render.py` times it) and
Textual's streaming helper (`Markdown.get_stream`), written each chunk. (Awaiting
`Markdown.update` with the whole text at each chunk is far slower still: 4.2 s for 200
tokens, so it is left out.)

    python benchmarks/textual_markdown.py [--sizes 2000,4000]

Sizes past 4,000 take minutes for the Textual widget: that is the point of the comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import openai
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from render import app_render
from stream_throughput import API_KEY, bare_sdk, start_server


class OneReply(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown()


async def markdown_stream(url: str, model: str) -> float:
    app = OneReply()
    async with app.run_test(size=(120, 40)) as pilot:
        markdown = app.query_one(Markdown)
        client = openai.AsyncOpenAI(api_key=API_KEY, base_url=url, max_retries=0)
        started = time.perf_counter()
        stream = await client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "go"}], stream=True
        )
        writer = Markdown.get_stream(markdown)
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                await writer.write(chunk.choices[0].delta.content)
        await writer.stop()
        await pilot.pause()  # the last blocks laid out and a frame painted
        elapsed = time.perf_counter() - started
        await client.close()
        return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,4000")
    args = parser.parse_args()
    process, url = start_server()
    try:
        print(f"{'tokens':>8} {'bare SDK':>10} {'Rill':>10} {'MarkdownStream':>15}")
        for size in (int(size) for size in args.sizes.split(",")):
            model = f"demo/generate/{size}"
            started = time.perf_counter()
            await bare_sdk(url, model)
            bare = time.perf_counter() - started
            rill = await app_render(url, model)
            streamed = await markdown_stream(url, model)
            print(f"{size:>8,} {bare:>9.2f}s {rill:>9.2f}s {streamed:>14.2f}s", flush=True)
            print(
                f"{'':>8} {'':>10} {rill / bare:>9.1f}x {streamed / bare:>14.1f}x   (times the "
                "bare SDK read)",
                flush=True,
            )
    finally:
        process.kill()


if __name__ == "__main__":
    asyncio.run(main())
