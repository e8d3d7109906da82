"""The history screen's search puts each conversation's hits under one heading with its hit
count and date, the list and the headings tell same-title conversations apart by date (and
time, on a shared date), and the arrow keys still walk from hit to hit."""

from __future__ import annotations

import time

import pytest
from textual.widgets import DataTable, OptionList

from rillchat.chat.conversation import Conversation, Message, TextPart
from rillchat.store.db import open_database
from rillchat.store.history import History
from tests.app.helpers import chat, make_app, until
from tests.app.test_history_screen import history_screen, search_for

DECEMBER_1_0900_UTC = 1796115600.0


@pytest.fixture
def utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def twins(tmp_path, utc):
    """Two "Trip notes" on December 1 (3 and 2 hits for "lighthouse"), "Harbour" the day after."""
    path = tmp_path / "history.sqlite3"
    times = iter(
        [DECEMBER_1_0900_UTC, DECEMBER_1_0900_UTC + 3 * 3600, DECEMBER_1_0900_UTC + 86400]
    )
    history = History(open_database(path), clock=times.__next__)
    saved = []
    for title, replies in [
        ("Trip notes", ["The lighthouse is white.", "A lighthouse keeper."]),
        ("Trip notes", ["No lighthouse today."]),
        ("Harbour", ["Ships."]),
    ]:
        conversation = Conversation(model="demo/auto", title=title)
        conversation.messages.append(Message.user("tell me about the lighthouse"))
        conversation.messages += [
            Message(role="assistant", parts=[TextPart(reply)]) for reply in replies
        ]
        history.save_all(conversation)
        saved.append(conversation)
    history.connection.close()
    return path, saved


def shown_options(screen) -> list[tuple[bool, str]]:
    hits = screen.query_one("#hits", OptionList)
    return [
        (option.disabled, option.prompt.plain)
        for option in (hits.get_option_at_index(n) for n in range(hits.option_count))
    ]


async def test_hits_are_grouped_under_each_conversation_with_count_and_date(app_server, twins):
    path, (morning, noon, harbour) = twins
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        screen = await search_for(pilot, "lighthouse")
        headings = [text for disabled, text in shown_options(screen) if disabled]
        assert headings == [
            "Harbour  ·  1 hit  ·  2026-12-02",
            "Trip notes  ·  2 hits  ·  2026-12-01 12:00",
            "Trip notes  ·  3 hits  ·  2026-12-01 09:00",
        ]
        assert [disabled for disabled, _ in shown_options(screen)] == [
            True,
            False,
            True,
            False,
            False,
            True,
            False,
            False,
            False,
        ]
        assert [group.conversation_id for group in screen.groups] == [
            harbour.id,
            noon.id,
            morning.id,
        ]


async def test_arrow_keys_walk_the_hits_over_the_headings_and_enter_opens_one(app_server, twins):
    path, (morning, noon, harbour) = twins
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        screen = await search_for(pilot, "lighthouse")
        hits = screen.query_one("#hits", OptionList)
        assert hits.highlighted == 1, "the first hit, under the first heading"
        await pilot.press("up")
        assert hits.highlighted == 1
        await pilot.press("down")
        assert hits.highlighted == 3, "over the second heading to its first hit"
        await pilot.press("pagedown")
        assert hits.highlighted == 8, "the last hit"
        await pilot.press("up", "up", "up")
        assert hits.highlighted == 4, "over the third heading, back to the second's last hit"
        opened_hit = screen.hits[screen._hit_options.index(4)]
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(pilot.app.screen, type(screen)))
        assert chat(pilot).conversation.id == noon.id
        assert opened_hit.conversation_id == noon.id


async def test_the_list_shows_dates_and_the_time_only_where_a_date_is_shared(app_server, twins):
    path, _ = twins
    app = make_app(app_server, history_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        table = history_screen(pilot).query_one(DataTable)
        assert [
            (str(table.get_row_at(row)[0]), table.get_row_at(row)[2])
            for row in range(table.row_count)
        ] == [
            ("Harbour", "2026-12-02"),
            ("Trip notes", "2026-12-01 12:00"),
            ("Trip notes", "2026-12-01 09:00"),
        ]
