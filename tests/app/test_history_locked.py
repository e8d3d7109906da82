"""Another program holding the history's write lock (a real second process in `BEGIN
EXCLUSIVE`): the chat keeps answering and streaming, and saves everything once it lets go."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from rillchat.chat.conversation import MessageStatus
from rillchat.store.db import migrate, open_database
from rillchat.store.history import History
from rillchat.store.migrations import LATEST_VERSION
from rillchat.ui.screens.help import HelpScreen
from tests.app.helpers import chat, make_app, reply_done, send, until
from tests.held_lock import HeldLock

SLOW_REPLY = "demo/generate/1000/150"
"""About seven seconds of Markdown."""


def stored_messages(path, conversation_id):
    history = History(open_database(path))
    try:
        conversation = history.load(conversation_id)
        return conversation.messages if conversation is not None else []
    finally:
        history.close()


async def seconds_to_open_help(pilot) -> float:
    """From F1 to the help screen being the app's screen, watched from beside the app's loop:
    Pilot's own waiting for idle is not part of what a person sees."""
    pressed = time.monotonic()
    press = asyncio.create_task(pilot.press("f1"))
    while not isinstance(pilot.app.screen, HelpScreen):
        assert time.monotonic() - pressed < 60, "F1 never opened the help"
        await asyncio.sleep(0.01)
    took = time.monotonic() - pressed
    await press
    return took


def notices(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def told(app, words: str) -> bool:
    return any(words.lower() in notice.lower() for notice in notices(app))


async def test_a_lock_held_elsewhere_leaves_keys_and_the_stream_going(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, model=SLOW_REPLY, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: screen.replies and len(screen.replies[-1].message.text) > 50)
        with HeldLock(path):
            reply = screen.replies[-1]
            before = len(reply.message.text)
            took = await seconds_to_open_help(pilot)
            assert took < 2, f"F1 took {took:.1f} s with the history locked"
            await pilot.press("escape")
            await until(pilot, lambda: len(reply.message.text) > before + 500, timeout=5)
            await until(pilot, lambda: told(app, "another program holds the history locked"))
            await reply_done(pilot, timeout=20)
            assert reply.message.status is MessageStatus.COMPLETE
            assert stored_messages(path, screen.conversation.id)[-1].status is (
                MessageStatus.STREAMING
            ), "nothing written while the lock is held"
        await until(
            pilot, lambda: any(n.startswith("Saved again") for n in notices(app)), timeout=10
        )
        stored = stored_messages(path, screen.conversation.id)
        assert stored == screen.conversation.messages
        assert stored[-1].status is MessageStatus.COMPLETE and stored[-1].usage.cost


async def test_a_lock_at_start_up_keeps_history_on_and_it_saves_once_the_lock_goes(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    History(open_database(path)).close()
    with HeldLock(path) as lock:
        app = make_app(app_server, history_path=path)
        started = time.monotonic()
        async with app.run_test(size=(100, 30)) as pilot:
            assert time.monotonic() - started < 3, "start-up does not wait out the lock"
            screen = chat(pilot)
            assert not screen.query("#history-off")
            await send(pilot, "hello")
            await until(pilot, lambda: told(app, "another program holds the history locked"))
            assert stored_messages(path, screen.conversation.id) == []
            lock.release()
            await until(
                pilot, lambda: any(n.startswith("Saved again") for n in notices(app)), timeout=10
            )
            stored = stored_messages(path, screen.conversation.id)
            assert stored == screen.conversation.messages and len(stored) == 2


async def test_a_lock_while_the_history_needs_upgrading_is_retried_until_it_goes(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    migrate(connection, path, to=LATEST_VERSION - 1)
    connection.close()
    with HeldLock(path) as lock:
        app = make_app(app_server, history_path=path)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = chat(pilot)
            notice = screen.query_one("#history-off")
            assert "Another program" in notice.source and "tries again" in notice.source
            await send(pilot, "hello")
            lock.release()
            await until(pilot, lambda: not screen.query("#history-off"), timeout=15)
            assert any(n.startswith("History is on") for n in notices(app))
            await until(
                pilot, lambda: len(stored_messages(path, screen.conversation.id)) == 2, timeout=10
            )
            assert stored_messages(path, screen.conversation.id) == screen.conversation.messages


async def test_the_open_conversation_renamed_or_deleted_under_a_lock_loses_nothing(
    app_server, tmp_path
):
    from rillchat.ui.screens.history import HistoryScreen

    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "hello")
        await reply_done(pilot)
        screen = chat(pilot)
        open_id = screen.conversation.id
        with HeldLock(path) as lock:
            await send(pilot, "and again")  # waits in memory for the lock to go
            await pilot.press("f3")
            await until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen))
            history_screen = pilot.app.screen
            await pilot.press("f2")
            await until(pilot, lambda: pilot.app.screen is not history_screen)
            pilot.app.screen.query_one("#title").value = "Named under a lock"
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen is history_screen)
            assert screen.conversation.title == "Named under a lock"
            await pilot.press("ctrl+d")
            await until(pilot, lambda: pilot.app.screen is not history_screen)
            await pilot.click("#confirm")
            await until(pilot, lambda: told(app, "Could not delete it"), timeout=10)
            await pilot.press("escape")
            assert chat(pilot).conversation.id == open_id, "the chat keeps it on screen"
            lock.release()
            await until(pilot, lambda: len(stored_messages(path, open_id)) == 4, timeout=10)
        stored = History(open_database(path)).load(open_id)
        assert stored.title == "Named under a lock"
        assert [m.text for m in stored.messages][::2] == ["hello", "and again"]
