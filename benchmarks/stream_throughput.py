"""How much Rill's stream layer costs over a bare `openai` SDK loop, on one burst reply.

Starts the demo server in its own process (so serving does not compete with the client for the
interpreter), asks it for a reply of N chunks sent as fast as possible, and reads that reply in
alternating rounds: with a bare SDK loop, through `stream_reply`, and through `stream_reply`
plus the assembler. Prints the median time and rate of each and their ratios.

    python benchmarks/stream_throughput.py [--chunks 20000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

import openai

from rillchat.chat.assembler import ReplyAssembler
from rillchat.config.settings import Settings
from rillchat.openrouter.client import make_client
from rillchat.openrouter.events import TextDelta
from rillchat.openrouter.request import ChatRequest
from rillchat.openrouter.stream import stream_reply

API_KEY = "benchmark"


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "rillchat.demo", "--instant"], stdout=subprocess.PIPE, text=True
    )
    first_line = process.stdout.readline() if process.stdout else ""
    url = first_line.rsplit(" ", 1)[-1].strip()
    if not url.startswith("http://"):
        process.kill()
        raise SystemExit(f"the demo server did not start: {first_line!r}")
    return process, url


async def bare_sdk(url: str, model: str) -> int:
    client = openai.AsyncOpenAI(api_key=API_KEY, base_url=url, max_retries=0)
    stream = await client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "go"}], stream=True
    )
    pieces = []
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
    await client.close()
    return len(pieces)


async def stream_layer(url: str, model: str) -> int:
    client = make_client(Settings(api_key=API_KEY, base_url=url))
    request = ChatRequest(model=model, messages=[{"role": "user", "content": "go"}])
    pieces = []
    async for event in stream_reply(client, request):
        if type(event) is TextDelta:
            pieces.append(event.text)
    await client.close()
    return len(pieces)


async def stream_layer_and_assembler(url: str, model: str) -> int:
    client = make_client(Settings(api_key=API_KEY, base_url=url))
    request = ChatRequest(model=model, messages=[{"role": "user", "content": "go"}])
    assembler = ReplyAssembler()
    async for event in stream_reply(client, request):
        assembler.apply(event)
    await client.close()
    return len(assembler.message.text)


async def timed(reader, url: str, model: str) -> float:
    started = time.perf_counter()
    await reader(url, model)
    return time.perf_counter() - started


async def main(chunks: int, rounds: int) -> None:
    process, url = start_server()
    model = f"demo/generate/{chunks}"
    readers = {
        "bare SDK loop": bare_sdk,
        "stream layer": stream_layer,
        "stream layer + assembler": stream_layer_and_assembler,
    }
    try:
        counts = {name: await reader(url, model) for name, reader in readers.items()}  # warm-up
        if counts["bare SDK loop"] != chunks or counts["stream layer"] != chunks:
            raise SystemExit(f"expected {chunks} text chunks, got {counts}")
        times: dict[str, list[float]] = {name: [] for name in readers}
        for _ in range(rounds):
            for name, reader in readers.items():
                times[name].append(await timed(reader, url, model))
    finally:
        process.terminate()
        process.wait()

    baseline = statistics.median(times["bare SDK loop"])
    print(
        f"{chunks:,} chunks in a burst, median of {rounds} rounds, Python {sys.version.split()[0]}, "
        f"openai {openai.__version__}"
    )
    print(f"{'reader':<26} {'median s':>9} {'min s':>7} {'chunks/s':>10} {'ratio':>6}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(
            f"{name:<26} {median:>9.3f} {min(samples):>7.3f} {chunks / median:>10,.0f} "
            f"{median / baseline:>6.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.chunks, arguments.rounds))
