"""Ctrl+C and Ctrl+Q as chat clients use them: Ctrl+C copies what is selected, else stops
the reply (kept, marked stopped); Ctrl+Q during a reply asks first, and whichever way it
goes the partial reply is kept."""

from __future__ import annotations

from rillchat.chat.conversation import MessageStatus
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.screens.dialogs import ConfirmDialog
from rillchat.ui.widgets.messages_view import ReplyFooter
from tests.app.helpers import chat, make_app, reply_done, send, type_prompt, until

LONG = "demo/generate/100000/100"


def notices(app) -> str:
    return " ".join(str(notice.message) for notice in app._notifications)


async def streaming(pilot) -> None:
    await send(pilot, "go", wait=False)
    screen = chat(pilot)
    await until(pilot, lambda: screen.replies and len(screen.replies[-1].message.text) > 100)


async def test_ctrl_c_stops_the_reply_and_keeps_the_partial(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, model=LONG, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        await pilot.press("ctrl+c")
        await reply_done(pilot, timeout=2)
        screen = chat(pilot)
        reply = screen.replies[-1]
        assert reply.message.status is MessageStatus.STOPPED
        assert str(reply.view.query_one(ReplyFooter).render()).startswith("■ Stopped · ")
        assert "quit" not in notices(app).lower(), "not Textual's 'press ctrl+q to quit'"
        kept = reply.message.text
    stored = History(open_database(path)).load(screen.conversation.id).messages[-1]
    assert stored.status is MessageStatus.STOPPED and stored.text == kept


async def test_ctrl_c_copies_a_selection_in_the_prompt_and_the_reply_goes_on(app_server):
    app = make_app(app_server, model=LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await type_prompt(pilot, "copy me")
        await pilot.press("shift+home", "ctrl+c")
        assert app.clipboard == "copy me"
        assert screen.streaming, "copying does not stop the reply"
        await pilot.press("escape")
        await reply_done(pilot)


async def test_ctrl_c_copies_a_selection_on_screen(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        screen = chat(pilot)
        body = screen.replies[-1].view.bodies[0]
        body.text_select_all()
        await pilot.pause()
        selected = screen.get_selected_text()
        assert selected
        await pilot.press("ctrl+c")
        assert app.clipboard == selected
        assert "Copied the selected text" in notices(app)


async def test_ctrl_c_with_nothing_to_stop_or_copy_says_how_to_quit(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        assert "Nothing to stop or copy" in notices(app) and "Ctrl+Q quits" in notices(app)
        assert app.is_running


async def test_ctrl_q_during_a_reply_asks_and_cancel_lets_the_reply_go_on(app_server):
    app = make_app(app_server, model=LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert app.is_running and screen.streaming
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.streaming, "the reply goes on"
        await pilot.press("escape")
        await reply_done(pilot)


async def test_ctrl_q_during_a_reply_then_quit_keeps_the_partial(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, model=LONG, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#confirm")
        await until(pilot, lambda: not app.is_running)
        shown = screen.replies[-1].message.text
    stored = History(open_database(path)).load(screen.conversation.id).messages[-1]
    assert stored.status is MessageStatus.INTERRUPTED
    assert stored.text == shown and len(shown) > 100


async def test_a_prompt_left_unsent_at_quit_is_kept_and_given_back(app_server, tmp_path):
    """Ctrl+Q with a prompt queued behind the reply said nothing of it, and it was lost."""
    from rillchat.ui.app import LATEST

    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, model=LONG, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await streaming(pilot)
        screen = chat(pilot)
        await type_prompt(pilot, "and then?")
        await pilot.press("enter")
        assert screen.queued_prompt == "and then?"
        await type_prompt(pilot, "Also this.")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        detail = " ".join(str(widget.render()) for widget in app.screen.query("Static"))
        assert "Your queued prompt is not sent: it is kept" in detail
        await pilot.click("#confirm")
        await until(pilot, lambda: not app.is_running)
    stored = History(open_database(path)).load(screen.conversation.id)
    assert stored.draft == "and then?\nAlso this."

    again = make_app(app_server, history_path=path, reopen=LATEST)
    async with again.run_test(size=(100, 30)) as pilot:
        assert chat(pilot).prompt.text == "and then?\nAlso this."
        assert "left unsent last time is back in the prompt box" in notices(again)
        chat(pilot).prompt.clear()
    assert History(open_database(path)).load(screen.conversation.id).draft == ""
