"""A big paste is folded in the prompt and in the transcript, and sent and saved whole."""

from __future__ import annotations

from textual import events

from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.widgets.messages_view import UserMessage
from tests.app.helpers import chat, make_app, reply_done, type_prompt, until

LOG = "\n".join(
    f"line {number}: the service answered 200 in {number % 97} ms" for number in range(1, 3001)
)


async def paste(pilot, text: str) -> None:
    chat(pilot).prompt.post_message(events.Paste(text))
    await pilot.pause()


async def test_a_big_paste_is_folded_and_sent_and_saved_whole(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        await type_prompt(pilot, "Why is this slow? ")
        await paste(pilot, LOG)
        assert prompt.document.line_count == 1
        assert prompt.text.startswith("Why is this slow? [pasted #1: 3,000 lines, ")
        assert "tokens (estimate)" in prompt.text
        assert prompt.full_text == "Why is this slow? " + LOG

        await pilot.press("enter")
        await reply_done(pilot)
        sent = app_server.requests[-1]["messages"][-1]["content"]
        assert sent == "Why is this slow? " + LOG
        shown = chat(pilot).query_one(UserMessage)
        drawn = str(shown.render())
        assert drawn.startswith("Why is this slow? ▸ pasted 3,000 lines, ")
        assert "line 2999" not in drawn and shown.size.height < 5
        chat(pilot).conversation_view.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(UserMessage)
        assert "line 2999:" in str(shown.render())

        stored = History(open_database(path)).load(chat(pilot).conversation.id)
        assert stored.messages[0].text == "Why is this slow? " + LOG


async def test_a_folded_paste_expands_in_the_prompt_to_edit(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        await paste(pilot, LOG)
        await paste(pilot, "a small paste stays as it is")
        assert prompt.text.endswith("]a small paste stays as it is")
        await pilot.press("f6")
        assert prompt.text == LOG + "a small paste stays as it is"


async def test_a_big_prompt_reopened_from_history_is_folded_after_its_first_lines(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await paste(pilot, LOG)
        await pilot.press("enter")
        await reply_done(pilot)
        conversation_id = chat(pilot).conversation.id

    app = make_app(app_server, history_path=path, reopen=conversation_id)
    async with app.run_test(size=(100, 30)) as pilot:
        shown = chat(pilot).query_one(UserMessage)
        drawn = str(shown.render())
        assert drawn.startswith("line 1: the service answered 200 in 1 ms\nline 2:")
        assert "▸ 2,997 lines, " in drawn and "line 2999" not in drawn
        assert shown.size.height < 6
        await pilot.press("f6")  # the prompt is empty: F6 unfolds the conversation's prompts
        assert "line 2999:" in str(shown.render())
        assert "Showing 1 folded prompt in full" in str(list(app._notifications)[-1].message)


async def test_a_big_paste_queued_during_a_reply_stays_folded_when_given_back(app_server):
    app = make_app(app_server, model="demo/generate/100000/100")
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        await type_prompt(pilot, "go")
        await pilot.press("enter")
        await until(pilot, lambda: chat(pilot).replies and chat(pilot).replies[-1].message.text)
        await paste(pilot, LOG)
        await pilot.press("enter")
        assert chat(pilot).queued_prompt == LOG
        await pilot.press("up")  # takes the queued prompt back to edit
        assert prompt.text.startswith("[pasted #2: 3,000 lines, "), "folded again, numbered anew"
        assert prompt.full_text == LOG
        await pilot.press("escape")
        await reply_done(pilot)


async def test_a_big_paste_while_a_message_has_the_focus_is_folded_in_the_prompt(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        await type_prompt(pilot, "hello")
        await pilot.press("enter")
        await reply_done(pilot)
        await pilot.press("shift+tab")
        assert not prompt.has_focus
        app.post_message(events.Paste(LOG))  # as the terminal delivers it
        await until(pilot, lambda: prompt.text)
        assert prompt.has_focus and prompt.document.line_count == 1
        assert prompt.text.startswith("[pasted #1: 3,000 lines, ") and prompt.full_text == LOG


async def test_a_placeholder_is_one_piece_backspace_takes_the_paste_whole(app_server):
    """One Backspace used to leave "[pasted #1: … (estimate" in the prompt, sent as it was."""
    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        prompt = chat(pilot).prompt
        await type_prompt(pilot, "Why? ")
        await paste(pilot, LOG)
        await pilot.press("backspace")
        assert prompt.text == "Why? " and prompt.full_text == "Why? "
        await pilot.press("ctrl+z")
        assert prompt.full_text == "Why? " + LOG

        await pilot.press("end", "left", "left", "left", "!")  # typed inside: goes after it
        assert prompt.text.endswith("F6 expands]!") and prompt.full_text == "Why? " + LOG + "!"
        await pilot.press("home", "right", "right", "right", "right", "right", "delete")
        assert prompt.text == "Why? !" and prompt.full_text == "Why? !"
        await pilot.press("ctrl+z", "shift+end", "x")  # a selection into it replaces it whole
        assert prompt.full_text == "Why? x"
