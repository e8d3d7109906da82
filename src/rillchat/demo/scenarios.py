"""Which reply the demo server gives to a request, as a plan of wire steps.

The model id picks the scenario (`demo/reasoning`, `demo/error-429`, `demo/replay/NAME`,
`demo/generate/N` or `demo/generate/N/RATE`); `demo/auto` and the look-alike models pick it
from the prompt, so a newcomer can try each one by typing.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rillchat.demo import texts
from rillchat.demo.catalogue import SCENARIO_MODELS, known_ids, prices
from rillchat.demo.commands import command_scenario
from rillchat.demo.tool_scenarios import (
    NO_TOOLS,
    NO_TOOLS_IN_SHELL,
    calls_for,
    closing_words,
    offered_names,
    plan_tool_round,
)
from rillchat.demo.wire import (
    ChunkMaker,
    Comment,
    Data,
    Done,
    Drop,
    HttpError,
    Pause,
    PlainBody,
    Plan,
    RawBytes,
    Stall,
    Step,
    StreamPlan,
    split_tokens,
    usage_for,
)
from rillchat.openrouter.request import REASONING_EFFORTS

RECORDINGS_DIR = Path(__file__).with_name("recordings")
RATE_LIMIT_RETRY_AFTER = 7


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast scenarios speak. Tests use `Pacing.instant()`; the demo sounds like a model."""

    token_delay: float = 0.012
    first_token_delay: float = 0.6
    keepalive_interval: float = 0.3

    @classmethod
    def instant(cls) -> Pacing:
        return cls(token_delay=0.0, first_token_delay=0.0, keepalive_interval=0.0)

    def waiting(self) -> Iterator[Step]:
        """Keep-alive comments while the 'provider' prepares its first token. Always at least
        one comment, so every scenario exercises the keep-alive path."""
        yield Comment()
        if self.first_token_delay <= 0:
            return
        waited = 0.0
        while waited < self.first_token_delay:
            step = min(
                self.keepalive_interval or self.first_token_delay, self.first_token_delay - waited
            )
            yield Pause(step)
            yield Comment()
            waited += step

    def between_tokens(self) -> Iterator[Step]:
        if self.token_delay > 0:
            yield Pause(self.token_delay)


@dataclass(frozen=True, slots=True)
class Turn:
    """The parts of a request a scenario looks at."""

    model: str
    prompt: str
    last_role: str
    last_content: str
    prompt_tokens: int
    tools: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    tool_rounds: int = 0
    """Replies that called tools since the prompt."""
    tool_results: tuple[tuple[str, str], ...] = ()
    """(tool name, result) of every tool result since the prompt."""
    authorization: str = ""
    """The request's Authorization header, which the echo-key scenarios quote back as some
    servers and proxies do."""
    shell_advice: bool = False
    """Advice in the reply is for `rill ask` in a shell, not for the chat's keys."""

    @classmethod
    def from_body(cls, body: dict[str, Any], authorization: str = "") -> Turn:
        messages = body["messages"]
        last = messages[-1]
        user_texts = [_content_text(m.get("content")) for m in messages if m.get("role") == "user"]
        all_text = " ".join(_content_text(m.get("content")) for m in messages)
        since_prompt = messages[_last_user_index(messages) + 1 :]
        names = {
            call.get("id"): (call.get("function") or {}).get("name", "?")
            for m in since_prompt
            if m.get("role") == "assistant"
            for call in m.get("tool_calls") or []
            if isinstance(call, dict)
        }
        return cls(
            model=body["model"],
            prompt=user_texts[-1] if user_texts else "",
            last_role=str(last.get("role")),
            last_content=_content_text(last.get("content")),
            prompt_tokens=max(1, len(all_text) // 4),
            tools=list(body.get("tools") or []),
            response_format=body.get("response_format"),
            tool_rounds=sum(
                1 for m in since_prompt if m.get("role") == "assistant" and m.get("tool_calls")
            ),
            tool_results=tuple(
                (str(names.get(m.get("tool_call_id"), "?")), _content_text(m.get("content")))
                for m in since_prompt
                if m.get("role") == "tool"
            ),
            authorization=authorization,
        )


def _last_user_index(messages: list[dict[str, Any]]) -> int:
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].get("role") == "user":
            return index
    return -1


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def validate(body: object) -> HttpError | None:
    """The checks OpenRouter makes before it forwards a request, with its wording."""
    if not isinstance(body, dict):
        return bad_request("Request body must be a JSON object.")
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return bad_request("No model was given. Set 'model' to a model id.")
    if not is_known_model(model):
        return bad_request(f"{model} is not a valid model ID")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return bad_request("'messages' must be a non-empty array.")
    if not all(isinstance(m, dict) and "role" in m for m in messages):
        return bad_request("Every message needs a 'role'.")
    temperature = body.get("temperature")
    if temperature is not None and not (
        isinstance(temperature, (int, float)) and 0 <= temperature <= 2
    ):
        return bad_request(f"temperature must be a number between 0 and 2, got {temperature!r}.")
    max_tokens = body.get("max_tokens")
    if max_tokens is not None and not (isinstance(max_tokens, int) and max_tokens >= 1):
        return bad_request(f"max_tokens must be a positive integer, got {max_tokens!r}.")
    reasoning = body.get("reasoning")
    if reasoning is not None:
        effort = reasoning.get("effort") if isinstance(reasoning, dict) else None
        if effort is not None and effort not in REASONING_EFFORTS:
            allowed = ", ".join(sorted(REASONING_EFFORTS))
            return bad_request(f"reasoning.effort must be one of {allowed}, got {effort!r}.")
    return None


def bad_request(message: str) -> HttpError:
    return HttpError(400, {"code": 400, "message": message})


def is_known_model(model: str) -> bool:
    if model in SCENARIO_MODELS or _GENERATE.fullmatch(model) or model.startswith("demo/replay/"):
        return True
    return model in known_ids()


_GENERATE = re.compile(r"demo/generate/(\d+)(?:/(\d+(?:\.\d+)?))?")

_TITLE_REQUEST = re.compile(r"^name this conversation", re.IGNORECASE)
"""Rill's own request for a title; the conversation's first words follow, and may be anything."""


def scenario_for(turn: Turn) -> str:
    if turn.model.startswith("demo/") and turn.model != "demo/auto":
        return turn.model.removeprefix("demo/")
    if _TITLE_REQUEST.match(turn.prompt):
        name = "title"
    else:
        name = command_scenario(turn.prompt) or ("json" if _asks_for_json(turn) else "markdown")
    if turn.last_role == "tool" and name not in TOOL_SCENARIOS:
        return "tools"
    return name


def _asks_for_json(turn: Turn) -> bool:
    """A request with a JSON response format gets JSON, as a real model would give it."""
    return (turn.response_format or {}).get("type") in ("json_schema", "json_object")


TOOL_SCENARIOS = frozenset({"tools", "tool-fail", "tool-bad-arguments", "tool-timeout"})


FAILURE_SCENARIOS = frozenset(
    {
        "error-401",
        "error-402",
        "error-429",
        "error-500",
        "error-502",
        "error-503",
        "error-midstream",
        "error-choice",
        "drop",
        "stall",
        "not-json",
        "html",
        "echo-key-401",
        "echo-key-502",
        "echo-key-midstream",
    }
)


def fails(body: dict[str, Any]) -> bool:
    """Whether this validated request body asks for a failure scenario."""
    return scenario_for(Turn.from_body(body)) in FAILURE_SCENARIOS


def plan_for(
    body: dict[str, Any],
    pacing: Pacing,
    recordings_dir: Path = RECORDINGS_DIR,
    *,
    recovered: bool = False,
    authorization: str = "",
    shell_advice: bool = False,
) -> Plan:
    """The reply to a validated request body. `recovered` turns a failure scenario into a
    short answer saying the retry worked."""
    turn = replace(Turn.from_body(body, authorization), shell_advice=shell_advice)
    name = scenario_for(turn)
    if recovered and name in FAILURE_SCENARIOS:
        return _text_reply(
            turn, pacing, texts.RECOVERED_IN_SHELL if shell_advice else texts.RECOVERED
        )
    generate = _GENERATE.fullmatch(turn.model)
    if generate:
        count = int(generate.group(1))
        rate = float(generate.group(2) or 0)
        return _generated(turn, count, rate)
    if name.startswith("replay/"):
        return _replay(name.removeprefix("replay/"), recordings_dir, pacing)
    builder = _SCENARIOS.get(name)
    if builder is None:
        return bad_request(f"{turn.model} is not a valid model ID")
    return builder(turn, pacing)


# Replies that succeed -----------------------------------------------------------------------


def _text_reply(
    turn: Turn,
    pacing: Pacing,
    text: str,
    *,
    maker: ChunkMaker | None = None,
    before: list[Step] | None = None,
    reasoning_tokens: int = 0,
) -> StreamPlan:
    maker = maker or ChunkMaker(turn.model)
    tokens = split_tokens(text)

    def steps() -> Iterator[Step]:
        if before is None:
            yield from pacing.waiting()
        else:
            yield from before
        for token in tokens:
            yield Data(maker.text(token))
            yield from pacing.between_tokens()
        yield from _finish_steps(
            maker, turn, "stop", len(tokens) + reasoning_tokens, reasoning_tokens=reasoning_tokens
        )

    return StreamPlan(steps(), maker.generation_id)


def _finish_steps(
    maker: ChunkMaker,
    turn: Turn,
    reason: str,
    completion_tokens: int,
    *,
    reasoning_tokens: int = 0,
) -> Iterator[Step]:
    prompt_price, completion_price = prices(turn.model)
    usage = usage_for(
        turn.prompt_tokens,
        completion_tokens,
        reasoning_tokens=reasoning_tokens,
        prompt_price=prompt_price,
        completion_price=completion_price,
    )
    yield Data(maker.finish(reason))
    yield Data(maker.finish(reason, usage))
    yield Done()


def _markdown(turn: Turn, pacing: Pacing) -> Plan:
    return _text_reply(turn, pacing, texts.WELCOME)


TRICKLE_GAP = 0.05
"""Seconds between the pieces of the trickle scenario, whatever the pacing: well inside any
read timeout, so the reply must come through whole, however slowly."""


def _trickle(turn: Turn, pacing: Pacing) -> Plan:
    """A provider that sends a word at a time, slowly."""
    return _text_reply(turn, replace(pacing, token_delay=TRICKLE_GAP), texts.TRICKLE_ANSWER)


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
        yield from _finish_steps(maker, turn, "stop", HUGE_CHUNK_CHARACTERS // 4)

    return StreamPlan(steps(), maker.generation_id)


def _untrusted(turn: Turn, pacing: Pacing) -> Plan:
    return _text_reply(turn, pacing, texts.UNTRUSTED)


def _title(turn: Turn, pacing: Pacing) -> Plan:
    """A title for Rill's "name this conversation": made from the conversation's first words."""
    start = turn.prompt.partition("It begins:")[2]
    words = re.findall(r"[\w'-]+", start)[:4] or ["this", "chat"]
    return _text_reply(turn, pacing, " ".join(words).capitalize() + " in the demo")


def _help(turn: Turn, pacing: Pacing) -> Plan:
    return _text_reply(turn, pacing, texts.HELP)


def _long(turn: Turn, pacing: Pacing) -> Plan:
    """Fast providers stream hundreds of tokens per second; this one goes at four times the
    demo's usual pace."""
    return _text_reply(turn, replace(pacing, token_delay=pacing.token_delay / 4), long_answer())


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
    return _text_reply(
        turn,
        pacing,
        texts.REASONING_ANSWER,
        maker=maker,
        before=before,
        reasoning_tokens=reasoning_tokens,
    )


def _tool_loop(turn: Turn, pacing: Pacing) -> Plan:
    """One round of a tool loop: calls while the scenario has more, then the answer."""
    scenario = scenario_for(turn)
    offered = offered_names(turn.tools)
    if not offered:
        return _text_reply(turn, pacing, NO_TOOLS_IN_SHELL if turn.shell_advice else NO_TOOLS)
    calls = calls_for(
        scenario, turn.tool_rounds, offered, lambda name: _sample_arguments(turn.tools, name)
    )
    if calls is None:
        return _text_reply(turn, pacing, closing_words(scenario, list(turn.tool_results), offered))
    maker = ChunkMaker(turn.model)

    def finish(maker: ChunkMaker, reason: str, tokens: int) -> Iterator[Step]:
        return _finish_steps(maker, turn, reason, tokens)

    return plan_tool_round(maker, calls, pacing, finish)


def _sample_arguments(tools: list[dict[str, Any]], name: str) -> Any:
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and function.get("name") == name:
            return sample_from_schema(function.get("parameters") or {"type": "object"})
    return {}


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
        yield from _finish_steps(maker, turn, "stop", len(fragments))

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


# Replies that fail --------------------------------------------------------------------------


def _http_error(
    status: int,
    message: str,
    *,
    headers: dict[str, str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Callable[[Turn, Pacing], Plan]:
    def build(turn: Turn, pacing: Pacing) -> Plan:
        error: dict[str, Any] = {"code": status, "message": message}
        if metadata:
            error["metadata"] = metadata
        return HttpError(status, error, dict(headers or {}))

    return build


def _partial_then(ending: Callable[[ChunkMaker], list[Step]]) -> Callable[[Turn, Pacing], Plan]:
    """A reply that starts normally, then ends the way `ending` says."""

    def build(turn: Turn, pacing: Pacing) -> Plan:
        maker = ChunkMaker(turn.model)

        def steps() -> Iterator[Step]:
            yield from pacing.waiting()
            for token in split_tokens(texts.PARTIAL_ANSWER):
                yield Data(maker.text(token))
                yield from pacing.between_tokens()
            yield from ending(maker)

        return StreamPlan(steps(), maker.generation_id)

    return build


def _midstream_error(maker: ChunkMaker) -> list[Step]:
    error = {
        "code": 502,
        "message": "Upstream provider disconnected while generating.",
        "metadata": {"provider_name": maker.provider, "error_type": "provider_overloaded"},
    }
    chunk = maker.chunk({"content": ""}, finish_reason="error", error=error)
    return [Data(chunk), Done()]


def _choice_error(maker: ChunkMaker) -> list[Step]:
    chunk = maker.chunk({"content": ""}, finish_reason="error")
    chunk["choices"][0]["error"] = {
        "code": 500,
        "message": "The model produced an invalid response.",
    }
    return [Data(chunk), Done()]


def _echo_key(status: int) -> Callable[[Turn, Pacing], Plan]:
    """A server that quotes the Authorization header back in its error, as some proxies do."""

    def build(turn: Turn, pacing: Pacing) -> Plan:
        words = "Invalid key" if status == 401 else "Upstream rejected"
        return HttpError(status, {"code": status, "message": f"{words}: {turn.authorization}"})

    return build


def _echo_key_midstream(turn: Turn, pacing: Pacing) -> Plan:
    """A provider that fails mid-stream quoting the credentials it was given, in the message,
    in its raw error and in the metadata."""

    def ending(maker: ChunkMaker) -> list[Step]:
        quoted = turn.authorization
        bare = quoted.removeprefix("Bearer ")
        error = {
            "code": 502,
            "message": f"Upstream refused the credentials {quoted}",
            "metadata": {
                "provider_name": maker.provider,
                "raw": json.dumps({"error": {"message": f"denied key {bare}"}}),
                "headers": {"Authorization": quoted},
            },
        }
        return [Data(maker.chunk({"content": ""}, finish_reason="error", error=error)), Done()]

    return _partial_then(ending)(turn, pacing)


def _not_json(maker: ChunkMaker) -> list[Step]:
    return [
        RawBytes(b'data: {"id": "' + maker.generation_id.encode() + b'", "choices": [{"delt\n\n')
    ]


def _html(turn: Turn, pacing: Pacing) -> Plan:
    return PlainBody(200, "text/html; charset=utf-8", texts.HTML_PAGE)


_SCENARIOS: dict[str, Callable[[Turn, Pacing], Plan]] = {
    "auto": _markdown,
    "markdown": _markdown,
    "help": _help,
    "title": _title,
    "long": _long,
    "untrusted": _untrusted,
    "reasoning": _reasoning,
    "tools": _tool_loop,
    "tool-fail": _tool_loop,
    "tool-bad-arguments": _tool_loop,
    "tool-timeout": _tool_loop,
    "json": _json,
    "error-401": _http_error(401, "User not found."),
    "error-402": _http_error(
        402,
        "This request requires more credits, or fewer max_tokens. You requested up to 16384 "
        "tokens, but can only afford 2048. To increase, visit https://openrouter.ai/settings/credits "
        "and add more credits",
    ),
    "error-429": _http_error(
        429,
        "Rate limit exceeded: the demo provider allows 1 request per minute. Please retry shortly.",
        headers={"Retry-After": str(RATE_LIMIT_RETRY_AFTER)},
        metadata={"provider_name": "Rill Demo"},
    ),
    "error-500": _http_error(500, "Internal Server Error"),
    "error-502": _http_error(
        502, "Provider returned error", metadata={"provider_name": "Demo", "raw": "Bad Gateway"}
    ),
    "trickle": _trickle,
    "huge-chunk": _huge_chunk,
    "error-503": _http_error(
        503,
        "No allowed providers are available for the selected model.",
        metadata={"provider_name": None},
    ),
    "error-midstream": _partial_then(_midstream_error),
    "error-choice": _partial_then(_choice_error),
    "drop": _partial_then(lambda maker: [Drop()]),
    "stall": _partial_then(lambda maker: [Stall()]),
    "not-json": _partial_then(_not_json),
    "html": _html,
    "echo-key-401": _echo_key(401),
    "echo-key-502": _echo_key(502),
    "echo-key-midstream": _echo_key_midstream,
}


# Recordings and generated load --------------------------------------------------------------


STALL_MARKER = b": rill-stall"
"""A comment line in a recording where the server goes silent, leaving the stream open."""
CUT_MARKER = b"<rill-cut>"
"""Anywhere in a recording, even inside a line or a character: the server sends what came
before it as one piece and waits a moment before the rest, as a slow network splits a stream."""
CUT_PAUSE = 0.005


def recording_names(recordings_dir: Path = RECORDINGS_DIR) -> list[str]:
    return sorted(path.stem for path in recordings_dir.glob("*.sse"))


def _replay(name: str, recordings_dir: Path, pacing: Pacing) -> Plan:
    path = recordings_dir / f"{name}.sse"
    if "/" in name or not path.is_file():
        known = ", ".join(recording_names(recordings_dir)) or "none"
        return bad_request(f"No recording named {name!r}. Recordings: {known}.")
    data = path.read_bytes()
    events = [event + b"\n\n" for event in data.split(b"\n\n")]
    events[-1] = events[-1][:-2]  # the split added a separator after the last piece

    def steps() -> Iterator[Step]:
        for event in events:
            if event.strip() == STALL_MARKER:
                yield Stall()
            elif event:
                first, *rest = event.split(CUT_MARKER)
                yield RawBytes(first)
                for piece in rest:
                    yield Pause(CUT_PAUSE)
                    yield RawBytes(piece)
                yield from pacing.between_tokens()

    return StreamPlan(steps())


def _generated(turn: Turn, count: int, rate: float) -> Plan:
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
        yield from _finish_steps(maker, turn, "stop", count)

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
