"""What the history screen, its dialogs and branches look like, at 100x30 and 80x24."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from rillchat.chat.conversation import Conversation, Message, ReasoningPart, TextPart
from rillchat.openrouter.events import Usage
from rillchat.store.db import open_database
from rillchat.store.history import History
from tests.app.helpers import make_app, until
from tests.snapshots.test_chat_snapshots import SIZES, settle, steps

TOPICS = [
    "Rust lifetimes explained",
    "A haiku about rivers",
    "Weather in Paris",
    "Why is the sky blue?",
    "SQL window functions",
]
NOON_2024_03_01 = 1709294400.0


@pytest.fixture
def filled_history(tmp_path) -> Path:
    """Five conversations saved at noon on five days of March 2024."""
    path = tmp_path / "history.sqlite3"
    times = iter(NOON_2024_03_01 + 86400 * n for n in range(100))
    history = History(open_database(path), clock=times.__next__)
    for number, topic in enumerate(TOPICS):
        conversation = Conversation(
            model="anthropic/claude-sonnet-4.5",
            title=topic,
            created=NOON_2024_03_01,
            id=f"{number + 1:08x}" * 4,
        )
        conversation.messages.append(Message.user(topic))
        conversation.messages.append(
            Message(
                role="assistant",
                model="anthropic/claude-sonnet-4.5",
                usage=Usage(120, 340, cost=0.0042 * (number + 1)),
                parts=[
                    ReasoningPart("The user asks something; the zanzibarian angle matters here."),
                    TextPart(f"Here is what I know about {topic.lower()}."),
                ],
            )
        )
        history.save_all(conversation)
    history.connection.close()
    return path


def history_steps(query: str | None = None, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.press("f3")
        await settle(pilot)
        if query is not None:
            screen = pilot.app.screen
            screen.query_one("#search").value = query
            await until(pilot, lambda: screen._query == query)
        if keys:
            await pilot.press(*keys)
        await settle(pilot)

    return run_before


HISTORY_CASES = {
    "history_list": history_steps(),
    "history_search_hits": history_steps("zanzib"),
    "history_no_matches": history_steps("nothing like this"),
    "history_rename_dialog": history_steps(None, "f2"),
    "history_delete_dialog": history_steps(None, "ctrl+d"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(HISTORY_CASES))
def test_history_states(snap_compare, snapshot_server, filled_history, case, size):
    app = make_app(snapshot_server, history_path=filled_history)
    assert snap_compare(app, terminal_size=size, run_before=HISTORY_CASES[case])


@pytest.fixture
def history_with_twins(filled_history) -> Path:
    """The five conversations, and two more titled "Weather in Paris" three hours apart on
    the day after the last of them: a search for "weather" finds three of that title."""
    after_the_five = NOON_2024_03_01 + 86400 * len(TOPICS)
    times = iter([after_the_five, after_the_five + 3 * 3600])
    history = History(open_database(filled_history), clock=times.__next__)
    for number, replies in enumerate(
        [("Sunny weather all week.", "Warm weather, too."), ("Rainy weather today.",)]
    ):
        conversation = Conversation(
            model="openai/gpt-4o-mini",
            title="Weather in Paris",
            created=after_the_five,
            id=f"{number + 10:08x}" * 4,
        )
        conversation.messages.append(Message.user("What is the weather in Paris?"))
        conversation.messages += [
            Message(role="assistant", model="openai/gpt-4o-mini", parts=[TextPart(reply)])
            for reply in replies
        ]
        history.save_all(conversation)
    history.connection.close()
    return filled_history


@pytest.mark.parametrize("size", SIZES)
def test_history_search_grouped_by_conversation(
    snap_compare, snapshot_server, history_with_twins, size
):
    """Hits under each conversation with its count and date; the two of the same day show
    their times too; the cursor has moved to the second conversation's first hit."""
    app = make_app(snapshot_server, history_path=history_with_twins)
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=history_steps("weather", "down", "down", "down", "down"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_history_list_dates_tell_same_day_twins_apart(
    snap_compare, snapshot_server, history_with_twins, size
):
    app = make_app(snapshot_server, history_path=history_with_twins)
    assert snap_compare(app, terminal_size=size, run_before=history_steps())


@pytest.mark.parametrize("size", SIZES)
def test_history_export_dialog(snap_compare, snapshot_server, filled_history, monkeypatch, size):
    folder = Path(tempfile.gettempdir()) / "rill-snapshot-export"  # the path is on screen
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(folder))
    app = make_app(snapshot_server, history_path=filled_history)
    assert snap_compare(app, terminal_size=size, run_before=history_steps(None, "ctrl+e"))
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("size", SIZES)
def test_opened_at_a_search_hit_in_reasoning(snap_compare, snapshot_server, filled_history, size):
    app = make_app(snapshot_server, history_path=filled_history)
    assert snap_compare(
        app, terminal_size=size, run_before=history_steps("zanzib", "down", "enter")
    )


CHAT_CASES = {
    "branch_after_retry": steps("tools", then=("ctrl+r",)),
    "branch_switched_back": steps("hello", "tools", then=("ctrl+r",)),
    "editing_a_prompt": steps("hello", "tools", then=("f2",)),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", list(CHAT_CASES))
def test_branch_states(snap_compare, snapshot_server, tmp_path, case, size):
    app = make_app(snapshot_server, history_path=tmp_path / "history.sqlite3")
    run = CHAT_CASES[case]

    async def run_before(pilot) -> None:
        await run(pilot)
        screen = pilot.app.screen
        if case.startswith("branch"):
            await until(pilot, lambda: screen.replies and screen.replies[-1].ended)
        if case == "branch_switched_back":
            await pilot.press("alt+left")
            await until(
                pilot,
                lambda: screen.query("BranchBar") and screen.query_one("BranchBar").number == 1,
            )
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
