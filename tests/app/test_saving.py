"""The chat saves what happens as it happens."""

from __future__ import annotations

from rillchat.chat.conversation import Decision, MessageStatus
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.screens.dialogs import ConfirmDialog
from rillchat.ui.widgets.notices import Notice
from tests.app.helpers import chat, decide_call, make_app, reply_done, send, until


def saved_exchanges(path, answers: list[str]):
    """A conversation of "question N" prompts and these answers, saved at `path`."""
    from rillchat.chat.conversation import Conversation, Message, TextPart

    conversation = Conversation(model="demo/auto", title="long")
    for number, answer in enumerate(answers):
        conversation.messages.append(Message.user(f"question {number}"))
        conversation.messages.append(Message(role="assistant", parts=[TextPart(answer)]))
    history = saved(path)
    history.save_all(conversation)
    history.connection.close()
    return conversation


def saved(path) -> History:
    return History(open_database(path))


async def test_every_turn_is_saved_whole(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path, builtin_tools=("calculator",))
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "reasoning")
        await send(pilot, "a failing tool")
        await until(pilot, lambda: chat(pilot).query(".-waiting"))
        await decide_call(pilot, "y")
        screen = chat(pilot)
        await until(pilot, lambda: len(screen.replies) == 3 and screen.replies[-1].ended)
        await send(pilot, "mid-stream error")
        conversation = screen.conversation
        stored = saved(path).load(conversation.id)
        assert stored == conversation
        assert stored.title == "reasoning"
        assert [m.role for m in stored.messages] == [
            "user",
            "assistant",
            "user",
            "assistant",
            "tool",
            "assistant",
            "user",
            "assistant",
        ]
        assert [m.status for m in stored.messages if m.role == "assistant"] == [
            MessageStatus.COMPLETE,
            MessageStatus.COMPLETE,
            MessageStatus.COMPLETE,
            MessageStatus.FAILED,
        ]
        assert stored.messages[1].reasoning and stored.messages[3].tool_calls
        assert stored.messages[4].tool_result_part.decision is Decision.ALLOWED_ONCE
        assert saved(path).search("expression")[0].kind == "tool_call"
        assert "tool_result" in {hit.kind for hit in saved(path).search("Division")}


async def test_a_retried_reply_is_shown_and_the_failed_one_kept_as_a_branch(app_server, tmp_path):
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
        assert [m.status for m in stored.other_branches] == [MessageStatus.FAILED]
        assert stored.other_branches[0].parent_id == stored.messages[0].id


async def test_a_stopped_reply_is_saved_as_stopped(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "stall", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: "is kept" in screen.replies[-1].message.text)
        await pilot.press("escape")
        await reply_done(pilot)
        stored = saved(path).load(screen.conversation.id)
        assert stored.messages[1].status is MessageStatus.STOPPED
        assert stored.messages[1].text == screen.replies[-1].message.text


async def test_a_history_file_that_is_not_a_database_turns_saving_off_not_the_chat(
    app_server, tmp_path
):
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


async def test_a_saved_conversation_reopens_whole_and_can_be_continued(app_server, tmp_path):
    from rillchat.ui.app import LATEST
    from rillchat.ui.widgets.error_banner import ErrorBanner
    from rillchat.ui.widgets.messages_view import ReplyFooter, ToolResult, UserMessage
    from rillchat.ui.widgets.reasoning import ReasoningPanel
    from rillchat.ui.widgets.tool_call import ToolCallPanel
    from tests.unit.test_store import full_conversation

    path = tmp_path / "history.sqlite3"
    original = full_conversation()
    history = saved(path)
    history.save_all(original)
    history.connection.close()
    app = make_app(app_server, history_path=path, reopen=LATEST)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        assert screen.conversation == original and not screen.query(Notice)
        assert [w.text for w in screen.query(UserMessage)] == ["What is the weather in Paris?"]
        panel = screen.query_one(ReasoningPanel)
        assert panel.collapsed and panel.title == "Reasoning · 40 tokens"
        assert "zanzibarian" in panel.body.text and panel.encrypted_blocks == 1
        tool = screen.query_one(ToolCallPanel)
        assert tool.has_class("-done") and tool.tool_name == "get_weather"
        assert "allowed in this conversation" in str(tool.query_one(".tool-status").render())
        assert "21" in str(tool.query_one(".tool-result").render())
        assert not screen.query(ToolResult)
        banner = screen.query_one(ErrorBanner)
        assert not banner.has_class("-stale"), "the last reply failed: it can be retried"
        footers = [str(f.render()) for f in screen.query(ReplyFooter)]
        assert footers[0].startswith("✓ anthropic/claude-sonnet-4.5 via Anthropic · 12 in")
        assert footers[1].startswith("✗ Failed")

        await send(pilot, "and tomorrow?")
        sent = app_server.requests[-1]["messages"]
        assert sent[0] == {"role": "system", "content": "Be brief."}
        assert sent[-1] == {"role": "user", "content": "and tomorrow?"}
        assert any(m.get("tool_calls") for m in sent) and any(m["role"] == "tool" for m in sent)
        assert banner.has_class("-stale")
    assert len(saved(path).load(original.id).messages) == len(original.messages) + 2


async def test_retrying_a_reopened_failed_reply_asks_again_with_what_came_before(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "error 503")
        conversation_id = chat(pilot).conversation.id
    app = make_app(app_server, history_path=path, reopen=conversation_id[:8])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        await reply_done(pilot)
        assert app_server.requests[-1] == app_server.requests[-2]
        assert chat(pilot).conversation.messages[-1].text.startswith("**The retry worked.**")
    stored = saved(path).load(conversation_id)
    assert [m.role for m in stored.messages] == ["user", "assistant"]
    assert stored.messages[1].status is MessageStatus.COMPLETE


async def test_continue_with_nothing_saved_opens_a_new_chat_and_says_so(app_server, tmp_path):
    from rillchat.ui.app import LATEST

    app = make_app(app_server, history_path=tmp_path / "h.sqlite3", reopen=LATEST)
    async with app.run_test(size=(100, 30)) as pilot:
        assert chat(pilot).query(Notice)
        assert any("no saved conversation" in str(n.message) for n in app._notifications)


async def test_a_long_conversation_opens_at_its_latest_page_and_shows_earlier_on_request(
    app_server, tmp_path
):
    from rillchat.ui.widgets.conversation_view import SAVED_MESSAGES_PER_PAGE
    from rillchat.ui.widgets.messages_view import AssistantMessage, UserMessage

    path = tmp_path / "history.sqlite3"
    conversation = saved_exchanges(path, [f"answer {number}" for number in range(50)])
    app = make_app(app_server, history_path=path, reopen=conversation.id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        shown = lambda: len(screen.query(UserMessage)) + len(screen.query(AssistantMessage))
        page = SAVED_MESSAGES_PER_PAGE
        assert shown() == page
        assert screen.query(UserMessage).first().text == f"question {50 - page // 2}"
        while screen.query("#earlier"):
            before = shown()
            label = str(screen.query_one("#earlier").label)
            assert (
                label == f"↑ {100 - before} earlier messages: show {min(page, 100 - before)} more"
            )
            screen.query_one("#earlier").press()  # as Enter on it does, once Tab reaches it
            await until(pilot, lambda: shown() == min(100, before + page))
        assert shown() == 100 and screen.query(UserMessage).first().text == "question 0"
        await send(pilot, "one more")
        assert len(app_server.requests[-1]["messages"]) == 101


async def test_an_unreadable_history_can_be_moved_aside_and_saving_resumes(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"my notes\n" * 1000)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "hello")
        chat(pilot).query_one("#move-aside").press()
        await until(pilot, lambda: not chat(pilot).query("#history-off"))
        (kept,) = tmp_path.glob("history.sqlite3.unreadable-*")
        assert kept.read_bytes() == b"my notes\n" * 1000, "moved, never deleted"
        await send(pilot, "again")
        conversation = chat(pilot).conversation
    stored = saved(path).load(conversation.id)
    assert [m.text for m in stored.messages if m.role == "user"] == ["hello", "again"]


async def test_long_messages_make_shorter_pages_and_ctrl_home_reaches_the_first(
    app_server, tmp_path
):
    from rillchat.demo.generated_scenarios import generated_markdown
    from rillchat.ui.widgets.conversation_view import (
        SAVED_MESSAGES_PER_PAGE,
        SAVED_PAGE_CHARACTERS,
    )
    from rillchat.ui.widgets.messages_view import AssistantMessage, UserMessage

    path = tmp_path / "history.sqlite3"
    answer = generated_markdown(1000)
    conversation = saved_exchanges(path, [answer] * 60)
    app = make_app(app_server, history_path=path, reopen=conversation.id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = chat(pilot)
        view = screen.conversation_view
        shown = lambda: screen.query(UserMessage).first().text
        drawn = lambda: len(screen.query(UserMessage)) + len(screen.query(AssistantMessage))
        await until(pilot, lambda: drawn() > 0)
        # A page ends once its text is long enough: a few long answers, not 20 of them.
        answers_drawn = len(screen.query(AssistantMessage))
        assert 1 <= answers_drawn <= SAVED_PAGE_CHARACTERS // len(answer) + 1
        assert drawn() < SAVED_MESSAGES_PER_PAGE
        label = str(screen.query_one("#earlier").label)
        assert label.startswith(f"↑ {120 - drawn()} earlier messages: show ")

        await pilot.press("ctrl+home")
        await until(pilot, lambda: shown() == "question 0")
        assert not screen.query("#earlier") and screen.query("#later")
        await pilot.pause()
        assert view.scroll_y == 0 and not view.following

        await pilot.press("ctrl+end")
        await until(pilot, lambda: shown() != "question 0")
        assert screen.query(UserMessage).last().text == "question 59"
        assert not screen.query("#later") and screen.query("#earlier")
        await send(pilot, "one more")  # the reply goes after the latest, in the chat
        assert len(app_server.requests[-1]["messages"]) == 121
        await pilot.press("ctrl+home")
        await until(pilot, lambda: shown() == "question 0")
        await pilot.press("ctrl+end")
        await until(pilot, lambda: screen.query(UserMessage).last().text == "one more")
        await pilot.press("ctrl+r")  # retry works on the reply drawn again from history
        await reply_done(pilot)
        assert len(app_server.requests[-1]["messages"]) == 121


async def test_quitting_mid_reply_saves_what_arrived_as_interrupted(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, model="demo/generate/100000/300", history_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "go", wait=False)
        screen = chat(pilot)
        await until(pilot, lambda: screen.replies and len(screen.replies[-1].message.text) > 200)
        await pilot.press("ctrl+q")  # it asks first; a second Ctrl+Q quits
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("ctrl+q")
        shown = screen.replies[-1].message
    stored = saved(path).load(screen.conversation.id).messages[-1]
    assert stored.status is MessageStatus.INTERRUPTED
    assert stored.text == shown.text and len(stored.text) > 200
    assert not list((tmp_path / "writers").iterdir()), "the lease is given back"
