"""Driving the real app against the local server."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from rillchat.config.settings import Settings
from rillchat.demo import DemoServer
from rillchat.ui.app import RillApp
from rillchat.ui.screens.chat import ChatScreen
from rillchat.ui.widgets.reply_body import ReplyBody
from tests.conftest import TEST_API_KEY


def frozen_clock() -> float:
    """Snapshots must not show how long a test machine took."""
    return 0.0


def make_app(
    server: DemoServer | None,
    *,
    model: str = "demo/auto",
    api_key: str | None = TEST_API_KEY,
    read_timeout: float = 30.0,
    demo: bool = False,
    retries: int = 0,
    clock: Callable[[], float] = frozen_clock,
    history_path: Path | None = None,
    reopen: str | None = None,
    config_problems: tuple[str, ...] = (),
    **settings_extra: object,
) -> RillApp:
    base_url = server.url if server is not None else "https://openrouter.ai/api/v1"
    settings = Settings(
        api_key=api_key,
        base_url=base_url,
        model=model,
        read_timeout=read_timeout,
        retries=retries,
        config_problems=config_problems,
        **settings_extra,
    )
    return RillApp(
        settings,
        demo=demo,
        clock=clock,
        cursor_blink=False,
        history_path=history_path,
        reopen=reopen,
    )


def chat(pilot: Pilot) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def type_prompt(pilot: Pilot, text: str) -> None:
    prompt = chat(pilot).prompt
    prompt.load_text(text)
    prompt.move_cursor(prompt.document.end)
    await pilot.pause()


async def send(pilot: Pilot, text: str, *, wait: bool = True) -> None:
    await type_prompt(pilot, text)
    await pilot.press("enter")
    if wait:
        await reply_done(pilot)


async def until(pilot: Pilot, condition: Callable[[], object], *, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()


async def reply_done(pilot: Pilot, *, timeout: float = 10.0) -> None:
    screen = chat(pilot)
    await until(pilot, lambda: screen.replies and screen.replies[-1].ended, timeout=timeout)
    # The turn goes on while its tool calls wait for the user: done for now, as far as a
    # test goes, once they wait (or the turn is over).
    await until(pilot, lambda: not screen.busy or screen.engine.waiting_calls, timeout=timeout)
    if not screen.busy:
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await saved(pilot)


async def saved(pilot: Pilot, *, timeout: float = 5.0) -> None:
    """Wait for the history's own thread to write what the app handed it (the app never
    waits for that), unless saving is paused (another program holding the lock)."""
    recorder = pilot.app.recorder
    if recorder is not None and recorder.problem is None:
        await asyncio.to_thread(recorder.flush, timeout)


def shown_text(widget) -> str:
    """The text the reply bodies under `widget` display (as drawn, not the source)."""
    return "\n".join(body.plain_text for body in widget.query(ReplyBody))


async def decide_call(pilot: Pilot, key: str) -> None:
    """Answer the first tool call waiting as a user does: Tab from the prompt to its panel,
    then `key` (y, n, or a, which is confirmed with a second a)."""
    await pilot.press("tab", *(("a", "a") if key == "a" else (key,)))


def saved_config(config_dir) -> dict:
    """What config.toml in `config_dir` holds; empty when there is none."""
    import tomllib

    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}
