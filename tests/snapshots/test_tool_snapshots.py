"""Tool calls in every state they can be in, and structured answers growing and finished."""

from __future__ import annotations

import sys

import pytest

from rillchat.chat.structured import Schema
from rillchat.chat.tools.configs import CommandToolConfig
from rillchat.ui.widgets.structured_view import StructuredView
from rillchat.ui.widgets.tool_call import ToolCallPanel
from tests.app.helpers import chat, decide_call, make_app, send, until
from tests.snapshots.test_chat_snapshots import settle

SIZE = (100, 40)
SLOW = CommandToolConfig(
    "slow_lookup",
    "Never answers",
    (sys.executable, "-c", "import time; time.sleep(60)"),
    {"type": "object", "properties": {"query": {"type": "string"}}},
    timeout=60,
)
FIXED_DATE = CommandToolConfig(  # the built-in one would put today's date in the pictures
    "current_datetime",
    "The date, fixed for the pictures",
    (sys.executable, "-c", "print('Monday 01 December 2025, 09:00:00 (CET, UTC+0100)')"),
    {"type": "object", "properties": {}},
    timeout=10,
)
BOOKS = Schema(
    "books", {"type": "object", "properties": {"books": {"type": "array"}}, "required": ["books"]}
)


def _app(server, **options):
    return make_app(
        server, builtin_tools=("calculator",), command_tools=(FIXED_DATE, SLOW), **options
    )


def panel_states(pilot) -> list[str]:
    return [panel.state for panel in chat(pilot).query(ToolCallPanel)]


def calls(
    prompt: str,
    *answers: str,
    keys: tuple[str, ...] = (),
    until_states=None,
    replies: int | None = None,
):
    """Send `prompt`, give `answers` (y, a, n to the first call waiting, each from its panel;
    escape once one runs), then press `keys` as they are."""

    async def run_before(pilot) -> None:
        await send(pilot, prompt)
        await until(pilot, lambda: "waiting" in panel_states(pilot))
        for answer in answers:
            if answer == "escape":
                await until(pilot, lambda: "running" in panel_states(pilot))
                await pilot.press(answer)
            else:
                await until(pilot, lambda: "waiting" in panel_states(pilot))
                await decide_call(pilot, answer)
        await pilot.press(*keys)
        screen = chat(pilot)
        if until_states is not None:
            await until(pilot, lambda: panel_states(pilot) == until_states)
        if replies is not None:
            await until(pilot, lambda: len(screen.replies) == replies and screen.replies[-1].ended)
        pilot.app.clear_notifications()  # the toasts would hide what the picture is for
        await settle(pilot)

    return run_before


CASES = {
    "waiting_two_calls": calls("tools", until_states=["waiting", "waiting"]),
    # Tab from the prompt: the first call has the keys, and shows it; the second does not.
    "waiting_one_focused": calls("tools", keys=("tab",), until_states=["waiting", "waiting"]),
    "waiting_to_confirm": calls(
        "tools", keys=("tab", "tab", "a"), until_states=["waiting", "waiting"]
    ),
    "running": calls("a slow tool", "y", until_states=["running"]),
    "done_and_next_round": calls("tools", "y", "a", replies=3),
    "failed": calls("a failing tool", "y", replies=2),
    "denied": calls("a failing tool", "n", replies=2),
    "stopped": calls("a slow tool", "y", "escape", until_states=["stopped"]),
    "invalid_arguments": None,
}


@pytest.mark.parametrize("case", list(CASES))
def test_tool_call_states(snap_compare, snapshot_server, case):
    run_before = CASES[case]
    if run_before is None:  # never asked: it fails at once

        async def run_before(pilot) -> None:
            await send(pilot, "bad arguments")
            screen = chat(pilot)
            await until(pilot, lambda: len(screen.replies) == 2 and screen.replies[-1].ended)
            await settle(pilot)

    assert snap_compare(_app(snapshot_server), terminal_size=SIZE, run_before=run_before)


def test_round_limit_banner(snap_compare, snapshot_server):
    app = _app(snapshot_server, max_tool_rounds=1)
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=calls("tools", "a", "a", until_states=["done", "done", "stopped"]),
    )


def structured(
    prompt: str, *, model: str = "demo/auto", then: tuple[str, ...] = (), wait: bool = True
):
    async def run_before(pilot) -> None:
        screen = chat(pilot)
        screen.options.choose_schema(BOOKS)
        await send(pilot, prompt, wait=wait)
        if not wait:
            await until(
                pilot,
                lambda: (
                    screen.query(StructuredView)
                    and "3. …"
                    in str(screen.query_one(StructuredView).query_one(".structured-body").render())
                ),
            )
        for key in then:
            await pilot.click(key)
        pilot.app.clear_notifications()
        await settle(pilot)

    return run_before


STRUCTURED = {
    "growing": structured("books", model="demo/replay/structured-stalled", wait=False),
    "checked": structured("list some books"),
    "raw": structured("list some books", then=("#toggle-raw",)),
}


@pytest.mark.parametrize("case", list(STRUCTURED))
def test_structured_view(snap_compare, snapshot_server, case):
    model = "demo/replay/structured-stalled" if case == "growing" else "demo/auto"
    app = make_app(snapshot_server, model=model)
    assert snap_compare(app, terminal_size=SIZE, run_before=STRUCTURED[case])
