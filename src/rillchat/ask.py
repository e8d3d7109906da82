"""`rill ask`: one prompt, the answer streamed to stdout, everything else to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from rillchat import exit_codes
from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import Message
from rillchat.chat.summary import format_cost, who_answered
from rillchat.openrouter.client import make_client
from rillchat.openrouter.events import (
    FailureKind,
    ReasoningDelta,
    Retrying,
    StreamFailed,
    TextDelta,
)
from rillchat.openrouter.request import ChatRequest
from rillchat.openrouter.stream import stream_reply
from rillchat.settings import Settings
from rillchat.terminal_text import one_line, strip_control

_EXIT_BY_KIND = {
    FailureKind.AUTH: exit_codes.AUTH,
    FailureKind.CREDITS: exit_codes.AUTH,
    FailureKind.BAD_REQUEST: exit_codes.USAGE,
    FailureKind.NOT_FOUND: exit_codes.USAGE,
    FailureKind.MODERATION: exit_codes.USAGE,
    FailureKind.RATE_LIMIT: exit_codes.RATE_LIMIT,
}


def exit_code_for(failure: StreamFailed) -> int:
    return _EXIT_BY_KIND.get(failure.kind, exit_codes.UNAVAILABLE)


@dataclass(frozen=True, slots=True)
class AskOutput:
    show_reasoning: bool = False
    show_usage: bool = False


_SHORTEST_MASKED_KEY = 8
"""Masking a key of a letter or two would garble ordinary words; real keys are far longer."""


class _Printer:
    """Writes the answer to `out` and the rest to `err`, keeping each stream's lines whole."""

    def __init__(self, out: TextIO, err: TextIO, api_key: str | None) -> None:
        self.out = out
        self.err = err
        self.api_key = api_key
        self.sanitise_out = out.isatty()
        self.dim_reasoning = err.isatty()
        self.out_at_line_start = True
        self.err_at_line_start = True

    def answer(self, text: str) -> None:
        if self.sanitise_out:
            text = strip_control(text)
        if text:
            if not self.err_at_line_start:  # reasoning was printed: the answer starts below it
                self.err.write("\n\n")
                self.err.flush()
                self.err_at_line_start = True
            self.out.write(text)
            self.out.flush()
            self.out_at_line_start = text.endswith("\n")

    def reasoning(self, text: str) -> None:
        text = strip_control(text)
        if text:
            self.err.write(f"\x1b[2m{text}\x1b[22m" if self.dim_reasoning else text)
            self.err.flush()
            self.err_at_line_start = text.endswith("\n")

    def note(self, line: str) -> None:
        """One line on stderr, on a line of its own, never holding the key."""
        if self.api_key and len(self.api_key) >= _SHORTEST_MASKED_KEY:
            line = line.replace(self.api_key, "****")
        if not self.err_at_line_start:
            self.err.write("\n")
        self.err.write(one_line(line) + "\n")
        self.err.flush()
        self.err_at_line_start = True

    def end_answer(self) -> None:
        if not self.out_at_line_start:
            self.out.write("\n")
            self.out.flush()
            self.out_at_line_start = True


async def ask(settings: Settings, request: ChatRequest, output: AskOutput,
              out: TextIO = sys.stdout, err: TextIO = sys.stderr, *,
              on_reply: Callable[[Message, bool], None] | None = None) -> int:
    """Stream one reply; returns the exit code. Cancellation (Ctrl+C) propagates after the
    printed part of the answer has been closed with a newline. `on_reply(message, ended)` sees
    the reply as it grows and once more when it has ended (to save it)."""
    printer = _Printer(out, err, settings.api_key)
    assembler = ReplyAssembler(model=request.model)
    client = make_client(settings)
    try:
        async for event in stream_reply(client, request, retries=settings.retries):
            assembler.apply(event)
            if on_reply is not None:
                on_reply(assembler.message, False)
            kind = type(event)
            if kind is TextDelta:
                printer.answer(event.text)
            elif kind is ReasoningDelta:
                if output.show_reasoning:
                    printer.reasoning(event.text)
            elif kind is Retrying:
                printer.note(f"rill: {describe_failure(event.failure)}; retrying in "
                             f"{event.delay:g} s (attempt {event.attempt} of {settings.retries})")
    finally:
        assembler.stop()
        if on_reply is not None:
            on_reply(assembler.message, True)
        printer.end_answer()
        await client.close()
    message = assembler.message
    for call in message.tool_calls:
        printer.note(f"tool call: {describe_tool_call(call.name, call.arguments)}")
    if output.show_usage and message.usage is not None:
        printer.note(describe_usage(message))
    failure = message.error
    if failure is not None:
        printer.note(f"rill: {describe_failure(failure).rstrip('.')}. {failure.hint}")
        return exit_code_for(failure)
    if message.finish_reason == "length":
        printer.note("rill: the answer was cut off at the max tokens limit.")
    return exit_codes.OK


def describe_failure(failure: StreamFailed) -> str:
    code = failure.status or failure.code
    label = f"error {code}" if code is not None else "error"
    return f"{label} ({failure.title}): {failure.message}"


def describe_tool_call(name: str | None, arguments: str) -> str:
    try:
        shown = json.dumps(json.loads(arguments or "{}"), ensure_ascii=False)
    except ValueError:
        shown = arguments
    return f"{name or '?'}({shown})"


def describe_usage(message: Message) -> str:
    usage = message.usage
    assert usage is not None
    pieces = [f"tokens: {usage.prompt_tokens} prompt, {usage.completion_tokens} completion"]
    if usage.reasoning_tokens:
        pieces[0] += f" ({usage.reasoning_tokens} reasoning)"
    if usage.cached_tokens:
        pieces[0] += f", {usage.cached_tokens} cached"
    if usage.cost is not None:
        pieces.append(f"cost: {format_cost(usage.cost)}")
    pieces.append(who_answered(message))
    if message.duration is not None:
        pieces.append(f"{message.duration:.1f} s")
    return " · ".join(pieces)
