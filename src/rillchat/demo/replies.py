"""Pieces several scenarios build their replies from: a streamed text answer, the end of a
stream with its usage, and OpenRouter's 400 for a request it refuses."""

from __future__ import annotations

from collections.abc import Iterator

from rillchat.demo.catalogue import prices
from rillchat.demo.pacing import Pacing
from rillchat.demo.turn import Turn
from rillchat.demo.wire import (
    ChunkMaker,
    Data,
    Done,
    HttpError,
    Step,
    StreamPlan,
    split_tokens,
    usage_for,
)


def bad_request(message: str) -> HttpError:
    return HttpError(400, {"code": 400, "message": message})


def text_reply(
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
        yield from finish_steps(
            maker, turn, "stop", len(tokens) + reasoning_tokens, reasoning_tokens=reasoning_tokens
        )

    return StreamPlan(steps(), maker.generation_id)


def finish_steps(
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
