"""The history screen: list, search, open at a hit, rename, export, delete."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from rillchat.chat.conversation import Conversation, Message, ReasoningPart, TextPart
from rillchat.store.db import open_database
from rillchat.store.history import History
from rillchat.ui.screens.history import PAGE, HistoryScreen
from rillchat.ui.widgets.messages_view import AssistantMessage
from tests.app.helpers import chat, make_app, send, shown_text, until


def fill(path, count: int = 3) -> list[Conversation]:
    """`count` saved conversations, the last updated newest; the first has a reasoning-only word."""
    history = History(open_database(path), clock=iter(range(1000, 10**6)).__next__)
    conversations = []
    for number in range(count):
        conversation = Conversation(model="demo/auto", title=f"talk {number}")
        conversation.messages.append(Message.user(f"question {number}"))
        conversation.messages.append(
            Message(
                role="assistant",
                model="demo/auto",
                parts=[
                    ReasoningPart("weighing the zanzibarian option" if number == 0 else "hmm"),
                    TextPart(f"answer {number}"),
                ],
            )
        )
        history.save_all(conversation)
        conversations.append(conversation)
    history.connection.close()
    return conversations


def history_screen(pilot) -> HistoryScreen:
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def search_for(pilot, text: str) -> HistoryScreen:
    screen = history_screen(pilot)
    screen.query_one("#search").value = text
    await until(pilot, lambda: screen._query == text.strip())
    return screen


def titles(screen: HistoryScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_f3_lists_conversations_newest_first_with_their_figures(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    fill(path)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        screen = history_screen(pilot)
        assert titles(screen) == ["talk 2", "talk 1", "talk 0"]
        row = screen.query_one(DataTable).get_row_at(0)
        assert str(row[1]) == "demo/auto" and row[3] == "2"
        assert "3 conversations" in str(screen.query_one("#history-bar").render())
        await pilot.press("escape")
        assert chat(pilot)


async def test_a_narrow_list_shortens_titles_and_model_ids_with_a_mark(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    history = History(open_database(path))
    long_one = Conversation(
        model="anthropic/claude-sonnet-4.5",
        title="Rust lifetimes explained to someone who writes Python",
    )
    long_one.messages.append(Message.user("why"))
    history.save_all(long_one)
    history.connection.close()
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        title, model = [
            str(cell) for cell in history_screen(pilot).query_one(DataTable).get_row_at(0)[:2]
        ]
        assert title.startswith("Rust lifetimes") and title.endswith("…")
        assert model.startswith("claude-son") and model.endswith("…")  # the provider goes first


async def test_search_finds_a_reasoning_word_and_opens_the_conversation_at_it(
    app_server, tmp_path
):
    path = tmp_path / "history.sqlite3"
    conversations = fill(path)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        chat(pilot).prompt.load_text("a draft I keep")
        await pilot.press("f3")
        screen = await search_for(pilot, "zanzib")
        assert [(hit.kind, hit.conversation_id) for hit in screen.hits] == [
            ("reasoning", conversations[0].id)
        ]
        heading = screen.query_one(OptionList).get_option_at_index(0)
        assert heading.disabled and heading.prompt.plain.startswith("talk 0  ·  1 hit  ·  ")
        prompt = screen.query_one(OptionList).get_option_at_index(1).prompt
        assert "zanzibarian" in prompt.plain and "in reasoning" in prompt.plain
        assert any("reverse" in str(span.style) for span in prompt.spans)
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HistoryScreen))
        screen = chat(pilot)
        assert screen.conversation.id == conversations[0].id
        reply = screen.query_one(AssistantMessage)
        assert reply.has_class("-found")
        assert not reply.reasoning_panels[0].collapsed
        assert screen.prompt.text == "a draft I keep"


async def test_conversations_opened_one_after_another_replace_each_other(app_server, tmp_path):
    """The first chat is the app's base screen: the first conversation opened goes above it
    (which lets go of what it drew), later ones replace that one."""
    path = tmp_path / "history.sqlite3"
    conversations = fill(path)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        first = chat(pilot)
        for number, row in ((2, 0), (1, 1), (0, 2)):
            await pilot.press("f3")
            table = history_screen(pilot).query_one(DataTable)
            table.move_cursor(row=row)
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(pilot.app.screen, HistoryScreen))
            shown = chat(pilot)
            assert shown.conversation.id == conversations[number].id
            assert f"answer {number}" in shown_text(shown)
            assert len(pilot.app.screen_stack) == 2 and pilot.app.screen_stack[0] is first
        assert not first.conversation_view.children


async def test_any_text_typed_into_search_gives_hits_or_says_no_matches(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    fill(path)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        for query in ['"unclosed', "AND (", "*", "talk OR", "nothing-like-this"]:
            screen = await search_for(pilot, query)
            if not screen.hits:
                assert screen.has_class("-empty")
                assert "No matches" in str(screen.query_one("#nothing").render())
        screen = await search_for(pilot, "talk OR")
        assert len(screen.hits) == 0 or all(hit.kind for hit in screen.hits)
        await pilot.press("escape")  # clears the search first
        assert not screen._query and isinstance(pilot.app.screen, HistoryScreen)


async def test_rename_and_export_and_delete_with_confirmation(app_server, tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    conversations = fill(path)
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(downloads))
    monkeypatch.chdir(tmp_path)  # not where an export is offered to go
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        screen = history_screen(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: pilot.app.screen is not screen)
        pilot.app.screen.query_one("#title").value = "Renamed talk"
        await pilot.press("enter")
        await until(pilot, lambda: titles(screen)[0] == "Renamed talk")
        assert History(open_database(path)).load(conversations[2].id).title == "Renamed talk"

        await pilot.press("ctrl+e")
        await until(pilot, lambda: pilot.app.screen is not screen)
        exported = downloads / f"rill-renamed-talk-{conversations[2].id[:8]}.md"
        assert pilot.app.screen.query_one("#path").value == str(exported)
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is screen)
        assert exported.read_text().startswith("# Renamed talk")
        assert f"Exported to {exported}" in [str(n.message) for n in app._notifications]
        await pilot.press("ctrl+e")
        await until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.press("enter")  # the same name again: refused, nothing overwritten
        assert "exists already" in str(pilot.app.screen.query_one(".dialog-problem").render())
        await pilot.press("escape")

        await pilot.press("ctrl+d")
        await until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.press("enter")  # Cancel has the focus
        await until(pilot, lambda: pilot.app.screen is screen)
        assert len(titles(screen)) == 3
        await pilot.press("ctrl+d")
        await until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.click("#confirm")
        await until(pilot, lambda: titles(screen) == ["talk 1", "talk 0"])
        assert History(open_database(path)).load(conversations[2].id) is None
        assert "2 conversations" in str(screen.query_one("#history-bar").render())


async def test_deleting_the_open_conversation_starts_a_new_chat(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "hello")
        open_id = chat(pilot).conversation.id
        await pilot.press("f3")
        screen = history_screen(pilot)
        await pilot.press("ctrl+d")
        await until(pilot, lambda: pilot.app.screen is not screen)
        await pilot.click("#confirm")
        await until(pilot, lambda: titles(screen) == [])
        assert screen.has_class("-empty")
        await pilot.press("escape")
        await until(pilot, lambda: chat(pilot).conversation.id != open_id)
        assert not chat(pilot).conversation.messages
        assert History(open_database(path)).recent() == []


async def test_thousands_of_conversations_are_read_a_page_at_a_time(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    fill(path, PAGE + 50)
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        screen = history_screen(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == PAGE
        await pilot.press("pagedown")
        table.move_cursor(row=PAGE - 5)
        await until(pilot, lambda: table.row_count == PAGE + 50)
        assert titles(screen)[-1] == "talk 0"


async def test_a_hit_on_another_branch_opens_that_branch(app_server, tmp_path):
    path = tmp_path / "history.sqlite3"
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "error 500")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: chat(pilot).replies[-1].ended)
        await pilot.press("f3")
        screen = await search_for(pilot, "Internal")  # only in the failed reply's banner
        assert screen.hits and screen.hits[0].kind == "error"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HistoryScreen))
        shown = chat(pilot).conversation.messages[-1]
        assert shown.error is not None
        assert chat(pilot).query_one(AssistantMessage).has_class("-found")


async def test_a_hit_early_in_a_long_conversation_draws_a_page_around_it(app_server, tmp_path):
    from rillchat.ui.widgets.conversation_view import SAVED_MESSAGES_PER_PAGE
    from rillchat.ui.widgets.messages_view import UserMessage

    path = tmp_path / "history.sqlite3"
    conversation = Conversation(model="demo/auto", title="long")
    for number in range(100):
        conversation.messages.append(Message.user(f"question {number}"))
        conversation.messages.append(
            Message(
                role="assistant",
                parts=[TextPart("the quokka answer" if number == 2 else f"answer {number}")],
            )
        )
    history = History(open_database(path))
    history.save_all(conversation)
    history.connection.close()
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("f3")
        await search_for(pilot, "quokka")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, HistoryScreen))
        screen = chat(pilot)
        drawn = lambda: len(screen.query(UserMessage)) + len(screen.query(AssistantMessage))
        assert drawn() == SAVED_MESSAGES_PER_PAGE
        assert screen.query_one(UserMessage).text == "question 2"
        assert screen.query_one(AssistantMessage).has_class("-found")
        later = screen.query_one("#later")
        assert str(later.label).startswith(f"↓ {200 - 4 - SAVED_MESSAGES_PER_PAGE} later")
        later.press()
        await until(pilot, lambda: drawn() == 2 * SAVED_MESSAGES_PER_PAGE)

        await send(pilot, "one more")  # goes after the latest, with everything before it
        assert len(app_server.requests[-1]["messages"]) == 201
        assert not screen.query("#later")
        assert screen.query(UserMessage).last().text == "one more"
        assert drawn() == SAVED_MESSAGES_PER_PAGE + 2
