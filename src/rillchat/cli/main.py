"""The `rill` command."""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import shlex
import sys
from typing import TextIO

from rillchat import __version__
from rillchat.cli import config_command, exit_codes, history_command, models_command
from rillchat.cli.errors import UsageError
from rillchat.cli.run_settings import demo_or_real_settings
from rillchat.config.settings import Settings
from rillchat.config.variables import API_KEY_ENV
from rillchat.openrouter.request import REASONING_EFFORTS
from rillchat.redaction import mask_secrets

COMMANDS = ("ask", "history", "config", "models")
_CHAT_OPTIONS_WITH_A_VALUE = frozenset({"-m", "--model", "--base-url", "--open"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rill",
        usage="%(prog)s [-h] [--version] [--demo] [-m MODEL] [--base-url URL] "
        "[-c | --open ID] [COMMAND ... | PROMPT ...]",
        description="Rill: a terminal chat client for OpenRouter. With no command, opens the "
        "full-screen chat. A prompt instead of a command is asked as rill ask "
        'does: rill "what is 2+2" is rill ask "what is 2+2". A first word '
        "close to a command's name (rill histroy) is taken for a typo of it.",
        epilog="Try it without a key: rill --demo (or rill ask --demo hello)",
    )
    parser.add_argument("--version", action="version", version=f"rill {__version__}")
    parser.add_argument(
        "--demo",
        dest="chat_demo",
        action="store_true",
        help="chat with the built-in demo server; no key needed",
    )
    parser.add_argument(
        "-m",
        "--model",
        dest="chat_model",
        metavar="MODEL",
        help="model id for the chat, e.g. anthropic/claude-sonnet-4.5",
    )
    parser.add_argument(
        "--base-url",
        dest="chat_base_url",
        metavar="URL",
        help="API base URL (default: $OPENROUTER_BASE_URL or OpenRouter's)",
    )
    reopen = parser.add_mutually_exclusive_group()
    reopen.add_argument(
        "-c",
        "--continue",
        dest="chat_continue",
        action="store_true",
        help="reopen the most recent conversation",
    )
    reopen.add_argument(
        "--open",
        dest="chat_open",
        metavar="ID",
        help="reopen a saved conversation (see: rill history list)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask_parser = commands.add_parser(
        "ask",
        help="ask one question and stream the answer to stdout",
        description="Stream one answer to stdout. Reasoning, tool calls, usage and errors go to "
        "stderr, so the answer can be piped. Exit codes: 0 done, 2 usage or bad "
        "request, 3 key or credits, 4 rate limited, 5 provider or network, "
        "6 the answer does not fit --schema, 130 interrupted.",
    )
    ask_parser.add_argument(
        "prompt",
        nargs="*",
        metavar="PROMPT",
        help="the prompt; '-' (or no prompt with piped input) reads stdin",
    )
    ask_parser.add_argument("-m", "--model", help="model id, e.g. anthropic/claude-sonnet-4.5")
    ask_parser.add_argument(
        "--base-url", help="API base URL (default: $OPENROUTER_BASE_URL or OpenRouter's)"
    )
    ask_parser.add_argument("-s", "--system", help="system prompt")
    ask_parser.add_argument(
        "--reasoning-effort",
        choices=REASONING_EFFORTS,
        help="how hard a reasoning model should think",
    )
    ask_parser.add_argument("--temperature", type=float)
    ask_parser.add_argument("--max-tokens", type=int)
    ask_parser.add_argument(
        "--show-reasoning", action="store_true", help="stream the model's reasoning to stderr"
    )
    ask_parser.add_argument(
        "--usage", action="store_true", help="print tokens, cost and timing to stderr"
    )
    ask_parser.add_argument(
        "--retries",
        type=int,
        metavar="N",
        help="retries for network and provider failures before the first token (default: 1)",
    )
    ask_parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="longest silence accepted from the server (default: 60)",
    )
    ask_parser.add_argument(
        "--demo", action="store_true", help="talk to the built-in demo server; no key needed"
    )
    ask_parser.add_argument(
        "-c",
        "--continue",
        dest="continue_latest",
        action="store_true",
        help="continue the most recent saved conversation",
    )
    ask_parser.add_argument(
        "--no-save", action="store_true", help="do not save this exchange in the history"
    )
    ask_parser.add_argument(
        "--tools",
        action="store_true",
        help="offer the tools from config.toml (built-in ones turned on, "
        "[[tools]] commands, [[mcp_servers]]) and run the tool loop; "
        "each call asks for approval on the terminal",
    )
    ask_parser.add_argument(
        "--yes",
        action="store_true",
        help="with --tools: run EVERY tool call the model makes without "
        "asking. Only use it with tools you trust with any arguments",
    )
    ask_parser.add_argument(
        "--schema",
        metavar="FILE",
        help="ask for JSON following this JSON Schema file; the raw JSON "
        "streams to stdout and the exit code is 6 if it does not fit",
    )
    history_command.add_parser(commands)
    config_command.add_parser(commands)
    models_command.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        argv = with_bare_prompt_as_ask(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        _tell(f"rill: {exc}")
        return exit_codes.USAGE
    args = parser.parse_args(argv)
    if args.command is not None:
        gc.enable()  # off for start-up (see launch.py); only the chat keeps it off longer
    try:
        if args.command is None:
            return run_chat(args)
        if args.command == "history":
            return history_command.run_history(args, sys.stdin, sys.stdout, sys.stderr)
        if args.command == "config":
            return config_command.run_config(args, sys.stdout, sys.stderr)
        if args.command == "models":
            return models_command.run_models(args, sys.stdout, sys.stderr)
        return run_ask(args, sys.stdin, sys.stdout, sys.stderr)
    except UsageError as exc:
        _tell(f"rill: {exc}")
        return exit_codes.USAGE
    except KeyboardInterrupt:
        _tell("rill: stopped")
        return exit_codes.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`rill ask ... | head`): that is their choice, not an error.
        _silence(sys.stdout)
        return 0
    except Exception as exc:  # a bug: one line instead of a traceback, unless debugging
        if os.environ.get("RILL_DEBUG"):
            raise
        _tell(
            f"rill: unexpected {type(exc).__name__}: {mask_secrets(str(exc), _known_key())} "
            "(set RILL_DEBUG=1 for details)"
        )
        return exit_codes.BUG


def with_bare_prompt_as_ask(argv: list[str]) -> list[str]:
    """`rill PROMPT...` is `rill ask PROMPT...` (the options before it included), so that a
    question can be asked without the word ask. A first word that is not a command but
    close to one's name is taken for a typo (UsageError with the suggestion) rather than
    sent to a model: `rill histroy` would otherwise spend a request."""
    index = 0
    while index < len(argv) and argv[index].startswith("-") and argv[index] != "-":
        if argv[index] == "--open":  # rill ask cannot reopen a chat: leave it to argparse
            return argv
        index += 2 if argv[index] in _CHAT_OPTIONS_WITH_A_VALUE else 1
    if index >= len(argv) or argv[index] in COMMANDS:
        return argv
    first = argv[index]
    close = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.8)
    if close and not any(character.isspace() for character in first):
        raise UsageError(
            f"there is no command {first!r}; did you mean rill {close[0]}? "
            f"(to ask it as a question: rill ask {shlex.join(argv[index:])})"
        )
    return ["ask", *argv]


def run_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    import asyncio

    from rillchat.chat.conversation import Message
    from rillchat.cli.ask import AskOutput, NotesFromThreads, ask  # the SDK: most of a second
    from rillchat.cli.ask_history import AskHistory

    if args.yes and not args.tools:
        raise UsageError("--yes only means something with --tools")
    schema = _load_schema(args.schema) if args.schema else None
    prompt = read_prompt(args.prompt, stdin)
    # As in the demo chat a failure scenario fails once; here Rill's own retry (--retries)
    # is what recovers it, and the demo's advice names flags, not the chat's keys.
    with demo_or_real_settings(
        demo=args.demo,
        model=args.model,
        base_url=args.base_url,
        retries=args.retries,
        timeout=args.timeout,
        transient_failures=True,
        shell_advice=True,
    ) as settings:
        for problem in settings.config_problems:
            print(f"rill: warning: {problem}", file=stderr)
        if not settings.api_key:
            print(
                f"rill: no API key. Set {API_KEY_ENV} (create one at "
                "https://openrouter.ai/settings/keys), or try the demo: rill ask --demo hello",
                file=stderr,
            )
            return exit_codes.AUTH
        notes = NotesFromThreads(stderr)
        saving = AskHistory.open(notes.say, save=not args.no_save, needed=args.continue_latest)
        conversation = saving.conversation(args, settings.model)
        prompt_message = Message.user(prompt)
        conversation.messages.append(prompt_message)
        saving.save(conversation, prompt_message)
        output = AskOutput(show_reasoning=args.show_reasoning, show_usage=args.usage)

        async def run() -> int:
            tools = await _open_ask_tools(args, settings, stderr) if args.tools else None

            def request_for():
                return conversation.build_request(
                    temperature=args.temperature,
                    max_tokens=args.max_tokens,
                    reasoning_effort=args.reasoning_effort or settings.reasoning_effort,
                    tools=tools.session.toolbox.api_tools() if tools else None,
                    response_format=schema.response_format() if schema else None,
                )

            try:
                return await ask(
                    settings,
                    conversation,
                    request_for,
                    output,
                    stdout,
                    stderr,
                    keeper=saving,
                    tools=tools,
                    schema=schema,
                    notes=notes,
                )
            finally:
                if tools is not None:
                    await tools.session.close()

        try:
            code = asyncio.run(run())
        finally:
            saving.close()
        return exit_codes.NOT_SAVED if saving.not_saved and code == exit_codes.OK else code


def _load_schema(path: str):
    from pathlib import Path

    from rillchat.chat.json_schema import SchemaInvalid
    from rillchat.chat.structured import load_schema_file

    try:
        return load_schema_file(Path(path))
    except SchemaInvalid as exc:
        raise UsageError(f"--schema {exc}") from None


async def _open_ask_tools(args: argparse.Namespace, settings: Settings, stderr: TextIO):
    from rillchat.chat.tools.session import ToolSession
    from rillchat.cli.ask import AskTools

    session = await ToolSession.open(settings)
    for server in session.failed_servers:
        print(
            f"rill: the MCP server {server.config.name!r} did not start: {server.failure}",
            file=stderr,
        )
    for problem in session.toolbox.problems:
        print(f"rill: {problem}", file=stderr)
    if not session.toolbox:
        print(
            "rill: --tools, but no tool is set up: turn on built-in ones (builtin_tools), "
            "or add [[tools]] or [[mcp_servers]] in config.toml (rill config edit).",
            file=stderr,
        )
    return AskTools(
        session,
        allow_all=args.yes,
        max_rounds=settings.max_tool_rounds,
        approve=None if args.yes else _terminal_question(),
    )


def _terminal_question():
    """Asks on the controlling terminal (stdin may be the prompt), or None without one. The
    answer is awaited on the event loop, not read in a thread: Ctrl+C cancels the wait at
    once, where a thread blocked reading the terminal would hold the process until Enter."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return None

    async def approve(question: str) -> str:
        import asyncio

        loop = asyncio.get_running_loop()
        answered: asyncio.Future[bytes] = loop.create_future()

        def take_line() -> None:
            # The terminal is in line mode: one read is one line (or b"" for Ctrl+D).
            try:
                line = os.read(terminal, 4096)
            except OSError:
                line = b""
            if not answered.done():
                answered.set_result(line)

        os.write(terminal, question.encode())
        loop.add_reader(terminal, take_line)
        try:
            return (await answered).decode(errors="replace")
        except asyncio.CancelledError:
            os.write(terminal, b"\n")  # "rill: stopped" starts a line, not after the question
            raise
        finally:
            loop.remove_reader(terminal)

    return approve


def run_chat(args: argparse.Namespace) -> int:
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("the chat needs a terminal; to pipe a question, use: rill ask -")
    # The collector stays off (see launch.py) until the app's first frame is drawn.
    gc.disable()
    from rillchat.ui.app import LATEST, RillApp

    # In the demo chat a failure scenario fails once and answers when retried. Rill's own
    # retry would hide the banner of a 500 or 503, so the demo leaves retrying to the user.
    with demo_or_real_settings(
        demo=args.chat_demo,
        model=args.chat_model,
        base_url=args.chat_base_url,
        transient_failures=True,
        retries=0 if args.chat_demo else None,
    ) as settings:
        reopen = LATEST if args.chat_continue else args.chat_open
        app = RillApp(settings, demo=args.chat_demo, reopen=reopen)
        app.run()
    if app.not_saved_at_exit:
        _tell(f"rill: {app.not_saved_at_exit}")
    if app.exit_signal is not None:
        return 128 + app.exit_signal  # as a shell reports a process a signal ended
    return exit_codes.BUG if app.return_code else exit_codes.OK


def read_prompt(words: list[str], stdin: TextIO) -> str:
    """The prompt from the words given, with '-' standing for stdin; stdin alone when no words
    are given and something is piped in."""
    if not words:
        if stdin is None or stdin.isatty():
            raise UsageError('give a prompt: rill ask "your question" (or pipe one in)')
        words = ["-"]
    pieces: list[str] = []
    spoken: list[str] = []
    stdin_text: str | None = None
    for word in words:
        if word != "-":
            spoken.append(word)
            continue
        if spoken:
            pieces.append(" ".join(spoken))
            spoken = []
        if stdin_text is None:
            stdin_text = stdin.read()
            pieces.append(stdin_text.strip("\n"))
    if spoken:
        pieces.append(" ".join(spoken))
    prompt = "\n\n".join(piece for piece in pieces if piece.strip())
    if not prompt.strip():
        raise UsageError("the prompt is empty")
    return prompt


def _tell(line: str) -> None:
    """Print `line` on stderr, unless the terminal is gone (closed, which is why a SIGHUP came):
    a line nobody can read must not end Rill with a traceback instead of its exit code."""
    try:
        print(line, file=sys.stderr, flush=True)
    except OSError:
        _silence(sys.stderr)


def _silence(stream: TextIO) -> None:
    """Send what is still written to `stream` nowhere: the interpreter flushes it on its way
    out, and a failed flush would turn the exit code into 120."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no file descriptor under it (a test's StringIO): nothing is flushed to a terminal


def _known_key() -> str | None:
    """The API key Rill would send, to mask it in the message of an error nothing expected
    (a key of any shape, not only one that looks like a key)."""
    from rillchat.config.environment import settings_from_environment

    try:
        return settings_from_environment().api_key
    except Exception:  # whatever failed may fail again here
        return None
