"""Generated Markdown, the same every time: the `demo/generate/N[/RATE]` load for benchmarks,
and the `long` scenario's answer."""

from __future__ import annotations

import random
from collections.abc import Iterator

from rillchat.demo import texts
from rillchat.demo.replies import finish_steps
from rillchat.demo.turn import Turn
from rillchat.demo.wire import ChunkMaker, Comment, Pause, Plan, Step, StreamPlan, split_tokens


def generated(turn: Turn, count: int, rate: float) -> Plan:
    """`count` tokens of Markdown at `rate` tokens per second (0: as fast as possible)."""
    maker = ChunkMaker(turn.model)
    tokens = generated_tokens(count)
    delay = 1.0 / rate if rate > 0 else 0.0

    def steps() -> Iterator[Step]:
        yield Comment()
        if delay:
            for data in maker.text_chunks_fast(tokens):
                yield data
                yield Pause(delay)
        else:
            yield from maker.text_chunks_fast(tokens)
        yield from finish_steps(maker, turn, "stop", count)

    return StreamPlan(steps(), maker.generation_id)


def generated_markdown(count: int) -> str:
    return "".join(generated_tokens(count))


def generated_tokens(count: int) -> list[str]:
    """Exactly `count` tokens of varied Markdown (headings, paragraphs, lists, code), the same
    every time, so benchmarks compare like with like."""
    tokens: list[str] = []
    for block in _generated_blocks(count):
        if len(tokens) >= count:
            break
        tokens.extend(block)
    return tokens[:count]


def _generated_blocks(seed: int) -> Iterator[list[str]]:
    """Headings and the blocks under them, as tokens, without end."""
    rng = random.Random(seed)
    blocks = [texts.LOREM_PARAGRAPH, texts.LOREM_LIST, texts.LOREM_CODE]
    section = 1
    while True:
        yield split_tokens(f"## Section {section}\n\n")
        for _ in range(rng.randint(2, 5)):
            yield split_tokens(rng.choice(blocks) + "\n\n")
        section += 1


LONG_ANSWER_TOKENS = 1500


def long_answer() -> str:
    """The `long` scenario's answer: whole blocks of generated Markdown, some
    `LONG_ANSWER_TOKENS` tokens of them, closed by a sentence, so it ends where a reader
    expects an answer to end rather than mid-sentence."""
    tokens: list[str] = []
    for block in _generated_blocks(LONG_ANSWER_TOKENS):
        if len(tokens) >= LONG_ANSWER_TOKENS:
            break
        tokens.extend(block)
    return "".join(tokens) + texts.LONG_ANSWER_END
