"""Terminal and markup injection: text from a model, a tool or a file can hold Rich/Textual
markup, OSC/CSI/DCS escape sequences, C1 controls, bidi overrides and zero-width characters.
Wherever Rill shows it (the chat, the reasoning panel, tool panels, titles, the history
screen, an imported conversation, `rill ask` in a terminal, exports), it is inert: no control
character reaches the screen, markup shows as the text it is, and nothing becomes a link."""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from textual import events

from rillchat.chat.conversation import Conversation, Message, ReasoningPart, TextPart
from rillchat.chat.tools.configs import CommandToolConfig
from rillchat.demo import DemoServer, Pacing
from rillchat.store.db import open_database
from rillchat.store.export import from_json, to_json, to_markdown
from rillchat.store.history import History
from rillchat.terminal_text import StreamStripper, strip_control, visible_controls
from rillchat.ui.widgets.reasoning import ReasoningPanel
from tests.app.helpers import chat, decide_call, make_app, until
from tests.app.test_tools import waiting
from tests.cli.terminal import Terminal, environment, saved_messages
from tests.conftest import TEST_API_KEY

HOSTILE = [
    "[bold red]loud[/]",
    "[link=file:///etc/passwd]click[/link]",
    "[@click=app.quit]q[/]",
    "\x1b]8;;https://evil.example/\x07a link\x1b]8;;\x07",
    "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "\x1b[31mred",
    "\x1b[6n",
    "\x1bP+q544e\x1b\\",
    "\x9b2J",
    "\x90dcs\x9c",
    "\x07",
    "\x08\x08",
    "\r",
    "\x00",
    "\x7f",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "zero\u200bwidth",
    "a\u200db",
    "\ufeff",
    "e\u0301",
    "😀",
    "`code`",
    "<b>html</b>",
    "*emph*",
    "\n",
    " ",
    "word",
    "\x1b",
    "\x1b]",
    "\t",
]
MARKUP = "[b]M[/b]"
"""In every reply: it must show as these eight characters."""
TALL = 150
"""Rows: a whole round on screen, so every part of it is checked as painted."""
SHOWN_RAW = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a painted line (tabs and newlines are layout, not text, there)."""


def hostile(draw: random.Random, pieces: int = 12) -> str:
    return "".join(draw.choice(HOSTILE) for _ in range(pieces))


# The stripping functions themselves ----------------------------------------------------------

TEXT = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=5), max_size=20).map("".join)


@given(text=TEXT)
def test_stripped_text_holds_no_control_and_no_override(text):
    assert not SHOWN_RAW.search(strip_control(text).replace("\t", "").replace("\n", ""))


@settings(max_examples=300)
@given(text=TEXT, cuts=st.lists(st.integers(0, 400), max_size=6))
def test_text_cut_anywhere_into_fragments_comes_out_as_clean(text, cuts):
    stripper = StreamStripper()
    points = sorted({cut % (len(text) + 1) for cut in cuts} | {0, len(text)})
    out = "".join(stripper.feed(text[start:end]) for start, end in zip(points, points[1:]))
    out += stripper.flush()
    assert not SHOWN_RAW.search(out.replace("\t", "").replace("\n", ""))
    assert "\x1b" not in out


# The chat ----------------------------------------------------------------------------------


def painted_problems(app) -> list[str]:
    """What on the screen as it would be written to the terminal is not inert."""
    problems = []
    for number, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            assert isinstance(segment, Segment)
            if SHOWN_RAW.search(segment.text):
                problems.append(f"line {number}: {segment.text!r}")
            link = segment.style.link if segment.style else None
            if link and ("evil" in link or "passwd" in link):
                problems.append(f"line {number}: a link to {link}")
            action = segment.style.meta.get("@click") if segment.style else None
            if action and "quit" in str(action):
                problems.append(f"line {number}: {segment.text!r} runs {action}")
    return problems


def painted_lines(app) -> list[str]:
    return [
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()
    ]


def sse(*chunks: dict) -> bytes:
    return b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for chunk in chunks)


def hostile_reply(draw: random.Random) -> bytes:
    """Reasoning, an answer, a call to the echo tool and one to a tool whose name is an
    attack, all from the model."""

    def delta(**fields):
        return {
            "id": "gen-1",
            "model": "demo/replay",
            "provider": hostile(draw, 2),
            "choices": [{"index": 0, "delta": fields, "finish_reason": None}],
        }

    return (
        sse(
            delta(reasoning=hostile(draw)),
            # Blank lines around the marker: hostile text before it may open an escape sequence
            # that a later BEL ends, and what a terminal would swallow Rill strips with it.
            delta(content=f"{hostile(draw)}\n\n{MARKUP}\n\n{hostile(draw)}"),
            delta(
                tool_calls=[
                    {
                        "index": 0,
                        "id": "call_a",
                        "type": "function",
                        "function": {
                            "name": "echo_back",
                            "arguments": json.dumps({"text": hostile(draw)}),
                        },
                    }
                ]
            ),
            delta(
                tool_calls=[
                    {
                        "index": 1,
                        "id": "call_b",
                        "type": "function",
                        "function": {
                            "name": "x" + hostile(draw, 3),
                            "arguments": hostile(draw, 4),
                        },
                    }
                ]
            ),
            {"id": "gen-1", "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        )
        + b"data: [DONE]\n\n"
    )


ECHO_BACK = CommandToolConfig(
    "echo_back",
    "Says back what it is given, and worse",
    (
        sys.executable,
        "-c",
        "import json, sys; text = json.load(sys.stdin)['text']; "
        "sys.stdout.write(text); sys.stdout.flush(); "
        "sys.stdout.buffer.write(b'\\x1b]52;c;AAAA\\x07\\x9b2J\\xff\\xfe\\x1b[6n')",
    ),
    {"type": "object", "properties": {"text": {"type": "string"}}},
)


@pytest.fixture
def hostile_server(tmp_path):
    folder = tmp_path / "recordings"
    folder.mkdir()
    with DemoServer(pacing=Pacing.instant(), recordings_dir=folder) as server:
        yield server


async def test_the_chat_shows_hostile_text_inert_everywhere(hostile_server, tmp_path):
    seed = int(os.environ.get("RILL_INJECTION_SEED", random.randrange(10**6)))
    print(f"injection seed {seed} (set RILL_INJECTION_SEED to repeat)")
    draw = random.Random(seed)
    recording = hostile_server.recordings_dir / "hostile.sse"
    path = tmp_path / "history.sqlite3"
    app = make_app(
        hostile_server,
        model="demo/replay/hostile",
        history_path=path,
        command_tools=(ECHO_BACK,),
        max_tool_rounds=1,
    )
    async with app.run_test(size=(120, TALL)) as pilot:
        for round_number in range(4):
            where = f"round {round_number} (seed {seed})"
            screen = chat(pilot)
            recording.write_bytes(hostile_reply(draw))
            pasted = "go " + hostile(draw)
            screen.prompt.focus()
            app.post_message(events.Paste(pasted))  # as the terminal driver does
            await until(pilot, lambda: screen.prompt.text)
            assert screen.prompt.text == visible_controls(
                pasted.replace("\r\n", "\n").replace("\r", "\n")
            ), where
            assert painted_problems(app) == [], f"the prompt box, {where}"
            await pilot.press("enter")
            await until(pilot, lambda: waiting(pilot))
            assert painted_problems(app) == [], f"waiting for approval, {where}"
            await decide_call(pilot, "y")
            await until(pilot, lambda: not screen.busy, timeout=20)
            assert painted_problems(app) == [], where
            assert any(MARKUP in line for line in painted_lines(app)), where
            screen.action_toggle_reasoning()
            await pilot.pause()
            assert painted_problems(app) == [], f"reasoning shown, {where}"
            await screen.action_new_chat()

        chat(pilot).action_history()
        await pilot.pause(0.3)
        await pilot.press(*"word")
        await pilot.pause(0.5)
        assert painted_problems(app) == [], "the history screen"

    history = History(open_database(path))
    for summary in history.recent():
        conversation = history.load(summary.id)
        markdown = to_markdown(conversation)
        assert not SHOWN_RAW.search(markdown.replace("\t", "").replace("\n", ""))
        exported = to_json(conversation)
        assert not SHOWN_RAW.search(exported.replace("\n", ""))
        assert from_json(exported).messages == conversation.messages, "inert, not lost"


async def test_an_imported_conversation_shows_inert(hostile_server, tmp_path):
    draw = random.Random(7)
    conversation = Conversation(model="x" + hostile(draw, 3), title=f"{hostile(draw, 6)} {MARKUP}")
    conversation.messages.append(Message.user(f"[/link] [@click=app.quit]q[/] {hostile(draw)}"))
    conversation.messages.append(
        Message(
            role="assistant",
            parts=[ReasoningPart(hostile(draw)), TextPart(f"{hostile(draw)} {MARKUP}")],
        )
    )
    exported = tmp_path / "hostile.json"
    exported.write_text(to_json(conversation))
    path = tmp_path / "history.sqlite3"
    history = History(open_database(path))
    history.save_all(from_json(exported.read_text()))
    history.close()

    app = make_app(hostile_server, history_path=path, reopen=conversation.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        chat(pilot).action_toggle_reasoning()
        await pilot.pause()
        assert not chat(pilot).query_one(ReasoningPanel).collapsed
        assert painted_problems(app) == []
        assert any(MARKUP in line for line in painted_lines(app)), "\n".join(painted_lines(app))
        await pilot.press("ctrl+p")
        await pilot.press(*"edit prompt")
        await until(pilot, lambda: any("Edit prompt 1" in line for line in painted_lines(app)))
        assert painted_problems(app) == [], "the prompt in the command palette"
        assert any("[@click=app.quit]q[/]" in line for line in painted_lines(app))
        await pilot.press("escape")
        chat(pilot).action_history()
        await pilot.pause(0.3)
        assert painted_problems(app) == [], "its title in the history list"
        assert any(MARKUP in line for line in painted_lines(app)), "the title as written"


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
def test_rill_ask_in_a_terminal_prints_hostile_text_inert(hostile_server, tmp_path):
    draw = random.Random(11)
    (hostile_server.recordings_dir / "hostile.sse").write_bytes(
        sse(
            {"id": "g", "choices": [{"index": 0, "delta": {"reasoning": hostile(draw, 20)}}]},
            *(
                {"id": "g", "choices": [{"index": 0, "delta": {"content": piece}}]}
                for piece in HOSTILE
            ),
            {"id": "g", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        )
    )
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        RILL_CONFIG_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=hostile_server.url,
    )
    terminal = Terminal("ask", "-m", "demo/replay/hostile", "hi", env=env, cwd=Path(tmp_path))
    try:
        assert terminal.wait() == 0
    finally:
        terminal.close()
    shown = terminal.shown.decode("utf-8", errors="replace")
    # Rill's own dimming of the reasoning is the one sequence allowed.
    own = shown.replace("\x1b[2m", "").replace("\x1b[22m", "")
    assert not SHOWN_RAW.search(own.replace("\r\n", "").replace("\n", "").replace("\t", ""))
    assert "[bold red]loud[/]" in shown


async def test_a_paste_into_any_input_shows_its_escapes_inert(hostile_server, tmp_path):
    """The prompt is not the only place a paste can go: Textual's own inputs (the history's
    search, the settings' fields) would write an ESC in it to the terminal."""
    from textual.widgets import Input

    app = make_app(hostile_server, history_path=tmp_path / "history.sqlite3")
    async with app.run_test(size=(120, 40)) as pilot:
        chat(pilot).action_history()
        await until(pilot, lambda: isinstance(app.focused, Input))
        app.post_message(events.Paste("find \x1b[2J\x1b]52;c;AAAA\x07 this\x9b6n"))
        await until(pilot, lambda: app.focused.value)
        assert app.focused.value == "find ␛[2J␛]52;c;AAAA␇ this␛[6n"
        await pilot.pause(0.3)
        assert painted_problems(app) == []


# A paste in a real terminal -------------------------------------------------------------

PASTES = {  # what is pasted, and the text the prompt must hold
    "an enter in it": ("innocent \x1bZ hello\rrest", "innocent ␛Z hello\nrest"),
    "an allow in it": ("see this:\x1bXaaaa", "see this:␛Xaaaa"),
    "a quit in it": ("\x1b\x11", "␛␑"),
}


def bracketed(text: str) -> bytes:
    """What a terminal sends for a paste once the app has asked for bracketed paste."""
    return b"\x1b[200~" + text.encode() + b"\x1b[201~"


def read_for(terminal: Terminal, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        terminal.read(0.05)


def wait_for(condition, what: str, terminal: Terminal, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        terminal.read(0.05)


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
@pytest.mark.parametrize("case", list(PASTES))
def test_a_paste_holding_escapes_is_text_in_the_prompt_of_rill_in_a_terminal(
    app_server, tmp_path, case
):
    pasted, held = PASTES[case]
    (tmp_path / "config.toml").write_text('builtin_tools = ["datetime", "calculator"]\n')
    env = environment(
        RILL_DATA_DIR=str(tmp_path),
        RILL_CONFIG_DIR=str(tmp_path),
        OPENROUTER_API_KEY=TEST_API_KEY,
        OPENROUTER_BASE_URL=app_server.url,
    )
    database = tmp_path / "history.sqlite3"

    def saved(role: str) -> list[str]:
        return [
            text for saved_role, _, text in saved_messages(database).values() if saved_role == role
        ]

    terminal = Terminal(env=env)
    try:
        terminal.read_until(b"Type a message")
        # Into an empty chat: nothing is sent, Rill does not quit, the prompt shows it all.
        terminal.type(bracketed(pasted))
        read_for(terminal, 1.5)
        assert terminal.process.poll() is None, "the paste quit Rill"
        assert app_server.requests == [], "the paste sent the prompt"
        terminal.read_until(held.splitlines()[0].encode())
        terminal.type(b"\r")  # the prompt holds the whole paste: sending it shows that
        wait_for(lambda: saved("user") == [held], "the prompt sent as pasted", terminal)
        wait_for(
            lambda: (
                ("assistant", "complete")
                in {(role, status) for role, status, _ in saved_messages(database).values()}
            ),
            "the reply",
            terminal,
        )

        # While tool calls wait: none is decided by a paste.
        terminal.type(b"tools\r")
        terminal.read_until(b"Tab goes to them")
        requests = len(app_server.requests)
        terminal.type(bracketed(pasted))
        read_for(terminal, 1.5)
        assert terminal.process.poll() is None, "the paste quit Rill"
        assert len(app_server.requests) == requests, "a call was decided and run"
        assert saved("tool") == [], "a call was decided"
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
