"""`rill ask`: one prompt, the answer streamed to stdout, everything else to stderr."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import aclosing
from dataclasses import dataclass
from typing import TextIO

from rillchat.chat.conversation import Conversation, Decision, Message
from rillchat.chat.engine import ChatEngine, Keeper
from rillchat.chat.structured import Schema
from rillchat.chat.summary import format_cost, who_answered
from rillchat.chat.tool_round import ToolPolicy
from rillchat.chat.tools.session import ToolSession
from rillchat.chat.tools.toolbox import CheckedCall
from rillchat.chat.turn_events import (
    ReplyProgress,
    RoundLimitReached,
    ToolCallWaiting,
    ToolResultKept,
    ToolRoundStarted,
    TurnEvent,
)
from rillchat.cli import exit_codes
from rillchat.config.keys import DEFAULTS
from rillchat.config.settings import Settings
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
from rillchat.redaction import mask_secrets
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
        line = mask_secrets(line, self.api_key)
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


class NotesFromThreads:
    """Lines for stderr from other threads (the history's writer: saving waits, saved after
    all). While an answer is printed they go through its printer, on the event loop's thread,
    so that they start a line of their own wherever the reasoning has got to; before and
    after, straight to stderr."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._lock = threading.Lock()
        self._printer: _Printer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: list[str] = []
        self._err_mid_line = False
        """The printer left stderr in the middle of a line (reasoning with no answer)."""

    def say(self, line: str) -> None:
        """Tell `line`, from any thread."""
        with self._lock:
            if self._printer is None:
                try:
                    self._err.write(("\n" if self._err_mid_line else "") + line + "\n")
                    self._err.flush()
                except OSError:  # the terminal is gone: the history's thread must go on
                    pass
                self._err_mid_line = False
                return
            assert self._loop is not None
            self._waiting.append(line)
            self._loop.call_soon_threadsafe(self._print_waiting)

    @contextlib.contextmanager
    def through(self, printer: _Printer) -> Iterator[None]:
        """Print what is told through `printer` meanwhile; call on the event loop's thread."""
        with self._lock:
            self._printer, self._loop = printer, asyncio.get_running_loop()
        try:
            yield
        finally:
            with self._lock:
                self._print_waiting_now()  # the loop may not get to them any more
                self._printer = self._loop = None
                self._err_mid_line = not printer.err_at_line_start

    def _print_waiting(self) -> None:
        with self._lock:
            self._print_waiting_now()

    def _print_waiting_now(self) -> None:
        if self._printer is not None:
            for line in self._waiting:
                self._printer.note(line)
        self._waiting.clear()


@dataclass(frozen=True, slots=True)
class AskTools:
    """The tool loop of `rill ask --tools`."""

    session: ToolSession
    allow_all: bool = False
    """--yes: every call runs without asking."""
    max_rounds: int = DEFAULTS.max_tool_rounds
    approve: Callable[[str], Awaitable[str]] | None = None
    """Asks the user a question on the terminal and returns the answer; None when there is
    no terminal to ask on."""

    def policy(self) -> ToolPolicy:
        # One question at a time on the terminal, all before any call runs.
        return ToolPolicy(
            self.session.toolbox, self.max_rounds, allow_all=self.allow_all, decide_all_first=True
        )


async def ask(
    settings: Settings,
    conversation: Conversation,
    request_for: Callable[[], ChatRequest],
    output: AskOutput,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    *,
    keeper: Keeper | None = None,
    tools: AskTools | None = None,
    schema: Schema | None = None,
    notes: NotesFromThreads | None = None,
) -> int:
    """Stream the reply to the conversation's last prompt, running the tool loop when there
    are tools; returns the exit code. `keeper` saves each message as it grows and once it has
    ended. `notes`: lines other threads tell meanwhile. Cancellation (Ctrl+C) propagates after
    the printed part of the answer has been closed with a newline and the reply and its calls
    have been saved as stopped."""
    printer = _Printer(out, err, settings.api_key)
    with (notes or NotesFromThreads(err)).through(printer):
        client = make_client(settings)
        engine = ChatEngine(
            conversation,
            lambda request: stream_reply(client, request, retries=settings.retries),
            lambda _schema: request_for(),
            keeper=keeper,
            tools=tools.policy() if tools is not None else None,
            api_key=settings.api_key,
        )
        try:
            async with aclosing(engine.turn(schema)) as turn:
                async for event in turn:
                    await _show(event, engine, printer, output, settings, tools)
        finally:
            printer.end_answer()
            await client.close()
        return _verdict(
            conversation.messages[-1] if conversation.messages else None, printer, output, schema
        )


async def _show(
    event: TurnEvent,
    engine: ChatEngine,
    printer: _Printer,
    output: AskOutput,
    settings: Settings,
    tools: AskTools | None,
) -> None:
    match event:
        case ReplyProgress(event=TextDelta(text=text)):
            printer.answer(text)
        case ReplyProgress(event=ReasoningDelta(text=text)):
            if output.show_reasoning:
                printer.reasoning(text)
        case ReplyProgress(event=Retrying(failure=failure, delay=delay, attempt=attempt)):
            printer.note(
                f"rill: {describe_failure(failure)}; retrying in {delay:g} s "
                f"(attempt {attempt} of {settings.retries})"
            )
        case ToolRoundStarted(calls=calls):
            printer.end_answer()
            for checked in calls:
                printer.note(
                    f"rill: tool call: "
                    f"{describe_tool_call(checked.call.name, checked.call.arguments)}"
                )
        case ToolCallWaiting(call=checked):
            if checked.call.call_id in engine.waiting_calls:  # else allowed for the chat since
                assert tools is not None
                engine.decide(checked.call.call_id, await _ask_approval(checked, tools, printer))
        case ToolResultKept(result=result):
            _say_result(result, printer)
        case RoundLimitReached(limit=limit):
            printer.note(
                f"rill: the model asked for more tools after {limit} rounds; stopped "
                "here (max_tool_rounds in config.toml)."
            )


def _say_result(result: Message, printer: _Printer) -> None:
    part = result.tool_result_part
    assert part is not None
    name = one_line(part.name or "?")
    if part.decision is Decision.INVALID:
        printer.note(f"rill: {name} not run: {part.content}")
    elif part.decision is Decision.DENIED:
        printer.note(f"rill: {name} denied; the model is told.")
    elif part.decision not in (Decision.NOT_RUN, Decision.STOPPED):
        first = one_line(part.content)[:160]
        took = f" ({part.duration:.1f} s)" if part.duration is not None else ""
        printer.note(f"rill: {name} {'failed' if part.is_error else '->'} {first}{took}")


async def _ask_approval(checked: CheckedCall, tools: AskTools, printer: _Printer) -> Decision:
    if tools.approve is None:
        printer.note(
            "rill: no terminal to ask for approval on, so the call is denied; "
            "--yes allows every call."
        )
        return Decision.DENIED
    source = checked.tool.spec.source if checked.tool else ""
    question = (
        f"Allow {one_line(checked.name)} ({source})? "
        "[y] once, [a] always in this conversation, [N] deny: "
    )
    answer = (await tools.approve(question)).strip().lower()
    if answer in ("y", "yes"):
        return Decision.ALLOWED_ONCE
    if answer in ("a", "always"):
        return Decision.ALLOWED_IN_CHAT
    return Decision.DENIED


def _verdict(
    message: Message | None, printer: _Printer, output: AskOutput, schema: Schema | None
) -> int:
    if message is None:
        return exit_codes.BUG
    if output.show_usage and message.usage is not None:
        printer.note(describe_usage(message))
    failure = message.error
    if failure is not None:
        printer.note(f"rill: {describe_failure(failure).rstrip('.')}. {failure.hint}")
        return exit_code_for(failure)
    if message.role == "assistant":
        for call in message.tool_calls:
            printer.note(f"tool call: {describe_tool_call(call.name, call.arguments)}")
    if message.finish_reason == "length":
        printer.note("rill: the answer was cut off at the max tokens limit.")
    structured = message.structured
    if schema is not None and structured is not None and structured.problems:
        printer.note(
            f"rill: the answer does not fit the schema {schema.name!r}: "
            + "; ".join(structured.problems)
        )
        return exit_codes.INVALID_ANSWER
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
