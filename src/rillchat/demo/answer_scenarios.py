"""The demo's replies that succeed without tools: the welcome in Markdown, help, a title,
a long answer, a slow trickle, one huge chunk, untrusted text, reasoning before the answer,
and JSON in a requested shape."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from rillchat.demo import texts
from rillchat.demo.generated_scenarios import long_answer
from rillchat.demo.pacing import Pacing
from rillchat.demo.replies import finish_steps, text_reply
from rillchat.demo.turn import Turn
from rillchat.demo.wire import ChunkMaker, Data, Plan, Step, StreamPlan, split_tokens


def _markdown(turn: Turn, pacing: Pacing) -> Plan:
    return text_reply(turn, pacing, texts.WELCOME)


TRICKLE_GAP = 0.05
"""Seconds between the pieces of the trickle scenario, whatever the pacing: well inside any
read timeout, so the reply must come through whole, however slowly."""


def _trickle(turn: Turn, pacing: Pacing) -> Plan:
    """A provider that sends a word at a time, slowly."""
    return text_reply(turn, replace(pacing, token_delay=TRICKLE_GAP), texts.TRICKLE_ANSWER)


HUGE_CHUNK_CHARACTERS = 256_000


def huge_chunk_text() -> str:
    """A quarter of a megabyte of Markdown (some 64,000 tokens) that the huge-chunk scenario
    sends in one event."""
    line = "A line of a very large answer that arrives in a single chunk of the stream. "
    paragraph = line * 8 + "\n\n"
    return (paragraph * (HUGE_CHUNK_CHARACTERS // len(paragraph) + 1))[:HUGE_CHUNK_CHARACTERS]


def _huge_chunk(turn: Turn, pacing: Pacing) -> Plan:
    """A whole long answer in one event, on a single `data:` line."""
    maker = ChunkMaker(turn.model)

    def steps() -> Iterator[Step]:
        yield from pacing.waiting()
        yield Data(maker.text(huge_chunk_text()))
        yield from finish_steps(maker, turn, "stop", HUGE_CHUNK_CHARACTERS // 4)

    return StreamPlan(steps(), maker.generation_id)


def _untrusted(turn: Turn, pacing: Pacing) -> Plan:
    return text_reply(turn, pacing, texts.UNTRUSTED)


def _title(turn: Turn, pacing: Pacing) -> Plan:
    """A title for Rill's "name this conversation": made from the conversation's first words."""
    start = turn.prompt.partition("It begins:")[2]
    words = re.findall(r"[\w'-]+", start)[:4] or ["this", "chat"]
    return text_reply(turn, pacing, " ".join(words).capitalize() + " in the demo")


def _help(turn: Turn, pacing: Pacing) -> Plan:
    return text_reply(turn, pacing, texts.HELP)


def _long(turn: Turn, pacing: Pacing) -> Plan:
    """Fast providers stream hundreds of tokens per second; this one goes at four times the
    demo's usual pace."""
    return text_reply(turn, replace(pacing, token_delay=pacing.token_delay / 4), long_answer())


def _reasoning(turn: Turn, pacing: Pacing) -> Plan:
    maker = ChunkMaker(turn.model)
    before: list[Step] = list(pacing.waiting())
    reasoning_tokens = 0
    for step_text in texts.REASONING_STEPS:
        for token in split_tokens(step_text):
            before.append(Data(maker.reasoning(token)))
            before.extend(pacing.between_tokens())
            reasoning_tokens += 1
    signature = {
        "type": "reasoning.text",
        "signature": "RGVtbyBzaWduYXR1cmU=",
        "format": "anthropic-claude-v1",
        "index": 0,
    }
    before.append(
        Data(maker.chunk({"content": "", "reasoning": None, "reasoning_details": [signature]}))
    )
    return text_reply(
        turn,
        pacing,
        texts.REASONING_ANSWER,
        maker=maker,
        before=before,
        reasoning_tokens=reasoning_tokens,
    )


def _json(turn: Turn, pacing: Pacing) -> Plan:
    """JSON following the requested schema (the demo's book list when the schema asks for
    books, or when there is none), slowly enough to watch the structure grow."""
    schema = None
    if turn.response_format and turn.response_format.get("type") == "json_schema":
        schema = (turn.response_format.get("json_schema") or {}).get("schema")
    wants_books = not schema or "books" in (schema.get("properties") or {})
    value = (
        {"books": [dict(book) for book in texts.BOOKS]}
        if wants_books
        else sample_from_schema(schema if isinstance(schema, dict) else {})
    )
    encoded = json.dumps(value, indent=2, ensure_ascii=False)
    maker = ChunkMaker(turn.model)
    fragments = [encoded[i : i + 8] for i in range(0, len(encoded), 8)]
    slow = replace(pacing, token_delay=pacing.token_delay * 4)

    def steps() -> Iterator[Step]:
        yield from pacing.waiting()
        for fragment in fragments:
            yield Data(maker.text(fragment))
            yield from slow.between_tokens()
        yield from finish_steps(maker, turn, "stop", len(fragments))

    return StreamPlan(steps(), maker.generation_id)


_SAMPLE_STRINGS = itertools.cycle(["Paris", "a short example", "blue", "Ada Lovelace"])


def sample_from_schema(schema: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for a JSON Schema: enough for the demo to honour a requested shape."""
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties") or {}
        return {
            key: sample_from_schema(sub, depth + 1)
            for key, sub in properties.items()
            if isinstance(sub, dict)
        }
    if kind == "array":
        given = schema.get("items")
        items = given if isinstance(given, dict) else {"type": "string"}
        return [sample_from_schema(items, depth + 1) for _ in range(3 if depth < 3 else 1)]
    if kind == "integer":
        return 42
    if kind == "number":
        return 3.5
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return next(_SAMPLE_STRINGS)


ANSWERS: dict[str, Callable[[Turn, Pacing], Plan]] = {
    "auto": _markdown,
    "markdown": _markdown,
    "help": _help,
    "title": _title,
    "long": _long,
    "untrusted": _untrusted,
    "reasoning": _reasoning,
    "json": _json,
    "trickle": _trickle,
    "huge-chunk": _huge_chunk,
}
"""Each of these scenarios' names and the reply it builds."""
