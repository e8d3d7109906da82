"""Terminal conditions: the window resized while a reply streams, a 40x10 terminal, and
terminals without true colour (TERM=xterm) or without colour at all (NO_COLOR). Rill stays
usable in each: the reply comes through whole, every screen opens and closes, nothing
crashes."""

from __future__ import annotations

import os
import re

import pytest

from rillchat.chat.conversation import MessageStatus
from rillchat.demo.generated_scenarios import generated_markdown
from tests.app.helpers import chat, make_app, reply_done, send, until
from tests.cli.terminal import Terminal, environment

SIZES = [(120, 40), (40, 10), (200, 60), (20, 5), (80, 24), (41, 11), (120, 40)]


async def test_resizing_while_a_reply_streams_loses_nothing(app_server):
    app = make_app(app_server, model="demo/generate/3000/600")
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: screen.replies and screen.replies[-1].message.text)
        for width, height in SIZES * 3:
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.05)
        await reply_done(pilot, timeout=60)
        reply = screen.replies[-1]
        assert reply.message.status is MessageStatus.COMPLETE
        assert reply.message.text == generated_markdown(3000)
        await pilot.resize_terminal(40, 10)
        await send(pilot, "again", wait=False)  # still usable at 40x10
        await reply_done(pilot, timeout=60)  # 3,000 tokens at 600 a second: some 12 s
        assert screen.replies[-1].message.status is MessageStatus.COMPLETE
        assert len(screen.replies) == 2


async def test_every_screen_opens_and_closes_in_a_40_by_10_terminal(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(40, 10)) as pilot:
        await send(pilot, "reasoning")
        base = pilot.app.screen
        for key in ("f1", "f3", "f4", "f5", "f8", "ctrl+p"):
            await pilot.press(key)
            await until(pilot, lambda: pilot.app.screen is not base, timeout=15)
            await pilot.pause(0.2)
            await pilot.press("escape")
            await until(pilot, lambda: pilot.app.screen is base, timeout=15)
        await send(pilot, "markdown")
        assert chat(pilot).replies[-1].message.status is MessageStatus.COMPLETE


TRUE_COLOUR = re.compile(rb"\x1b\[[0-9;]*[34]8;2;")
SGR = re.compile(rb"\x1b\[([0-9;]*)m")
GREY_256 = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}
GREY_BASIC = {30, 37, 90, 97, 40, 47, 100, 107}


def hues(shown: bytes) -> set[str]:
    """The colours in what was written that are not a grey (NO_COLOR, as Textual reads it,
    asks for monochrome: greys, bold and reverse, no hue)."""
    found = set()
    for match in SGR.finditer(shown):
        params = [int(p) if p else 0 for p in match.group(1).split(b";")]
        at = 0
        while at < len(params):
            code = params[at]
            if code in (38, 48) and at + 2 < len(params) and params[at + 1] == 5:
                if params[at + 2] not in GREY_256:
                    found.add(f"{code};5;{params[at + 2]}")
                at += 3
            elif code in (38, 48) and at + 4 < len(params) and params[at + 1] == 2:
                r, g, b = params[at + 2 : at + 5]
                if not r == g == b:
                    found.add(f"{code};2;{r};{g};{b}")
                at += 5
            else:
                if (
                    (30 <= code <= 47 or 90 <= code <= 107)
                    and code not in (38, 39, 48, 49)
                    and code not in GREY_BASIC
                ):
                    found.add(str(code))
                at += 1
    return found


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals")
@pytest.mark.parametrize(
    "extra",
    [{"TERM": "xterm"}, {"TERM": "xterm-256color", "NO_COLOR": "1"}],
    ids=["TERM=xterm", "NO_COLOR"],
)
def test_the_demo_chat_works_without_true_colour_or_any_colour(tmp_path, extra):
    env = environment(RILL_DATA_DIR=str(tmp_path), RILL_CONFIG_DIR=str(tmp_path))
    env.pop("COLORTERM", None)
    terminal = Terminal(
        "--demo",
        env=env,
        term=extra["TERM"],
        extra={k: v for k, v in extra.items() if k != "TERM"},
    )
    try:
        terminal.read_until(b"Demo")
        terminal.type(b"hello\r")
        terminal.read_until(b"Rill Demo")  # the reply's footer names the provider
        terminal.type(b"\x11")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    shown = bytes(terminal.shown)
    assert not TRUE_COLOUR.search(shown) or "NO_COLOR" in extra
    if "NO_COLOR" in extra:
        assert hues(shown) == set()
    assert b"Traceback" not in shown
