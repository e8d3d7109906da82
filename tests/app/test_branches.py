"""Branches in the chat: retry and edit keep what they replace, and the user can switch."""

from __future__ import annotations

import tomllib

from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.widgets.branch_bar import BranchBar
from rillchat.ui.widgets.messages_view import AssistantMessage, UserMessage
from tests.app.helpers import (
    chat,
    make_app,
    reply_done,
    saved,
    send,
    shown_text,
    type_prompt,
    until,
)


def texts(conversation):
    return [message.text[:20] for message in conversation.messages]


def bars(screen):
    return [(bar.number, bar.count) for bar in screen.query(BranchBar)]


async def test_retry_keeps_the_old_reply_as_a_branch_to_switch_back_to(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 500")
        screen = chat(pilot)
        await pilot.press("ctrl+r")
        await reply_done(pilot)
        assert bars(screen) == [(2, 2)]
        assert screen.conversation.messages[-1].text.startswith("**The retry worked.**")

        await pilot.press("alt+left")
        await until(pilot, lambda: bars(screen) == [(1, 2)])
        assert screen.conversation.messages[-1].error is not None
        assert len(screen.query(AssistantMessage)) == 1 and screen.query("ErrorBanner")

        await pilot.click("#next-branch")
        await until(pilot, lambda: bars(screen) == [(2, 2)])
        assert "The retry worked" in shown_text(screen.query_one(AssistantMessage))
        await pilot.press("alt+left")
        await until(pilot, lambda: bars(screen) == [(1, 2)])
        conversation_id = screen.conversation.id

    # reopened on the branch shown last
    app = make_app(app_server, history_path=path, reopen=conversation_id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        assert bars(screen) == [(1, 2)]
        assert screen.conversation.messages[-1].error is not None


async def test_editing_an_earlier_prompt_starts_a_branch_and_keeps_the_old_one(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        await send(pilot, "markdown")
        await send(pilot, "thanks")
        screen = chat(pilot)
        await type_prompt(pilot, "a draft")
        screen.conversation_view.scroll_home(animate=False)
        await pilot.pause()
        await pilot.click(UserMessage, offset=(2, 0))  # the first prompt
        await pilot.pause()
        assert screen.prompt.text == "hello"
        assert screen.query_one("#editing").has_class("-visible")
        assert "Editing prompt 1" in str(screen.query_one("#editing").render())
        await pilot.press("escape")
        assert screen.prompt.text == "a draft"
        assert not screen.query_one("#editing").has_class("-visible")

        await pilot.press("f2")  # the last prompt
        assert screen.prompt.text == "thanks"
        await pilot.pause(0.2)  # show_widget scrolls to it again after 0.1 s
        screen.conversation_view.scroll_home(animate=False)
        first = screen.query(UserMessage).first()
        await until(pilot, lambda: first.region.y >= 0 and screen.conversation_view.scroll_y == 0)
        await pilot.click(UserMessage, offset=(2, 0))
        await type_prompt(pilot, "code")
        await pilot.press("enter")
        await reply_done(pilot)
        assert [m.role for m in screen.conversation.messages] == ["user", "assistant"]
        assert screen.conversation.messages[0].text == "code"
        assert bars(screen) == [(2, 2)]
        assert len(screen.conversation.other_branches) == 6
        assert app_server.requests[-1]["messages"][-1] == {"role": "user", "content": "code"}
        assert len(app_server.requests[-1]["messages"]) == 1

        screen.query_one("#previous-branch").press()  # as Enter on it does, once Tab reaches it
        await until(pilot, lambda: bars(screen) == [(1, 2)])
        assert [m.text for m in screen.conversation.messages[::2]] == [
            "hello",
            "markdown",
            "thanks",
        ]
        assert len(screen.query(UserMessage)) == 3

        await send(pilot, "one more")  # continues the branch shown
        assert len(app_server.requests[-1]["messages"]) == 7

    stored = History(open_database(path)).load(screen.conversation.id)
    assert [m.text for m in stored.messages[::2]] == ["hello", "markdown", "thanks", "one more"]
    assert sorted(m.text[:4] for m in stored.other_branches if m.role == "user") == ["code"]


async def test_titles_come_from_the_prompt_and_from_the_model_only_when_asked(
    app_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("RILL_CONFIG_DIR", str(tmp_path))
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "reasoning please")
        screen = chat(pilot)
        assert screen.conversation.title == "reasoning please"
        assert len(app_server.requests) == 1  # no title call behind the user's back

        screen.naming.name_now()
        await until(pilot, lambda: screen.conversation.title != "reasoning please")
        assert screen.conversation.title.startswith("Reasoning please")
        assert screen.conversation.title.endswith("in the demo")
        assert app_server.requests[-1]["max_tokens"] == 30
        await saved(pilot)
        stored = History(open_database(path)).load(screen.conversation.id)
        assert stored.title == screen.conversation.title

        screen.naming.toggle_automatic()  # on: each new conversation is named after a reply
        assert tomllib.loads((tmp_path / "config.toml").read_text()) == {"generate_titles": True}
        await pilot.press("ctrl+n")
        await send(pilot, "hello there")
        await until(pilot, lambda: chat(pilot).conversation.title != "hello there")
        assert chat(pilot).conversation.title.startswith("Hello there")
        await send(pilot, "thanks")  # only after the first reply
        assert app_server.requests[-1]["messages"][-1]["content"] == "thanks"


async def test_an_older_failed_reply_is_retried_as_a_new_branch_from_its_banner(app_server):
    from rillchat.chat.conversation import MessageStatus
    from rillchat.ui.widgets.error_banner import ErrorBanner

    app = make_app(app_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 500")
        await send(pilot, "hello")
        screen = chat(pilot)
        banner = screen.query_one(ErrorBanner)
        retry = banner.query_one("#retry")
        assert retry.display and not retry.disabled
        assert str(retry.label) == "Retry as a new branch", "the button says what it does"
        failed, later_prompt, later_reply = (
            screen.conversation.messages[1],
            *screen.conversation.messages[2:],
        )
        banner.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(retry)
        await reply_done(pilot)
        messages = screen.conversation.messages
        assert [message.role for message in messages] == ["user", "assistant"]
        assert messages[1].status is MessageStatus.COMPLETE
        assert messages[1].text.startswith("**The retry worked.**")
        assert app_server.requests[-1]["messages"] == [{"role": "user", "content": "error 500"}]
        assert {failed.id, later_prompt.id, later_reply.id} <= {
            message.id for message in screen.conversation.other_branches
        }, "nothing is lost"
        bar = screen.query_one(BranchBar)
        assert (bar.number, bar.count) == (2, 2)
        await pilot.press("alt+left")
        await pilot.pause()
        assert [message.id for message in screen.conversation.messages][1:] == [
            failed.id,
            later_prompt.id,
            later_reply.id,
        ]
