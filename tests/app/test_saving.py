"""The chat saves what happens as it happens."""

from __future__ import annotations

from rillchat.chat.conversation import MessageStatus
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.widgets.notices import Notice
from tests.app.helpers import chat, make_app, send


def saved(path) -> History:
    return History(open_database(path))


async def test_every_turn_is_saved_whole(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "reasoning")
        await send(pilot, "tool")
        await send(pilot, "mid-stream error")
        conversation = chat(pilot).conversation
        stored = saved(path).load(conversation.id)
        assert stored == conversation
        assert stored.title == "reasoning"
        assert [m.status for m in stored.messages[1::2]] == [
            MessageStatus.COMPLETE, MessageStatus.COMPLETE, MessageStatus.FAILED]
        assert stored.messages[1].reasoning and stored.messages[3].tool_calls
        assert saved(path).search("Paris")[0].kind == "tool_call"


async def test_a_retried_reply_replaces_the_failed_one_in_the_history(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 500")
        await pilot.press("ctrl+r")
        await send(pilot, "thanks")
        conversation = chat(pilot).conversation
        stored = saved(path).load(conversation.id)
        assert [m.role for m in stored.messages] == ["user", "assistant", "user", "assistant"]
        assert stored.messages[1].text.startswith("**The retry worked.**")


async def test_a_stopped_reply_is_saved_as_stopped(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "stall", wait=False)
        screen = chat(pilot)
        from tests.app.helpers import reply_done, until
        await until(pilot, lambda: "is kept" in screen.replies[-1].message.text)
        await pilot.press("escape")
        await reply_done(pilot)
        stored = saved(path).load(screen.conversation.id)
        assert stored.messages[1].status is MessageStatus.STOPPED
        assert stored.messages[1].text == screen.replies[-1].message.text


async def test_a_history_file_that_is_not_a_database_turns_saving_off_not_the_chat(app_server,
                                                                                   tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"my notes\n" * 1000)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        notice = chat(pilot).query(Notice).first()
        assert notice.source.startswith("**History is off.**")
        assert "is not a Rill history database" in notice.source
        await send(pilot, "hello")
        assert chat(pilot).replies[-1].message.status is MessageStatus.COMPLETE
    assert path.read_bytes() == b"my notes\n" * 1000
