"""`rill history search` groups its hits under each conversation, with a hit count and a date
that tells apart two conversations of the same title, and `rill history export -o` never
overwrites a file unless told to."""

from __future__ import annotations

import pytest

from rillchat.chat.conversation import Conversation, Message, TextPart
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.history import History
from tests.cli.test_ask import run_rill

DECEMBER_1_0900_UTC = 1796115600.0
DECEMBER_2_0900_UTC = DECEMBER_1_0900_UTC + 86400


def save(history: History, title: str, *replies: str) -> Conversation:
    conversation = Conversation(model="demo/auto", title=title)
    conversation.messages.append(Message.user("tell me about the lighthouse"))
    for reply in replies:
        conversation.messages.append(Message(role="assistant", parts=[TextPart(reply)]))
    history.save_all(conversation)
    return conversation


@pytest.fixture
def twins(tmp_path):
    """Two conversations titled "Trip notes" on the same day, and one on the next day."""
    times = iter([DECEMBER_1_0900_UTC, DECEMBER_1_0900_UTC + 3 * 3600, DECEMBER_2_0900_UTC])
    history = History(open_database(tmp_path / DATABASE_NAME), clock=times.__next__)
    morning = save(history, "Trip notes", "The lighthouse is white.", "A lighthouse keeper.")
    noon = save(history, "Trip notes", "No lighthouse today.")
    next_day = save(history, "Harbour", "Ships.")
    history.connection.close()
    return tmp_path, morning, noon, next_day


def rill(folder, *args):
    return run_rill("history", *args, env_extra={"RILL_DATA_DIR": str(folder), "TZ": "UTC"})


def test_search_prints_each_conversation_once_with_its_hits_below(twins):
    folder, morning, noon, next_day = twins
    found = rill(folder, "search", "lighthouse")
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings == [
        f"{next_day.id[:8]}  Harbour · 1 hit · 2026-12-02",
        f"{noon.id[:8]}  Trip notes · 2 hits · 2026-12-01 12:00",
        f"{morning.id[:8]}  Trip notes · 3 hits · 2026-12-01 09:00",
    ]
    below_morning = lines[lines.index(headings[2]) + 1 :]
    assert [line.split()[:2] for line in below_morning] == [["in", "reply"]] * 2 + [
        ["in", "prompt"]
    ]
    assert lines[lines.index(headings[1]) - 1] == "", "a blank line between conversations"
    assert "A lighthouse keeper." in found.stdout


def test_a_conversation_alone_on_its_date_shows_the_date_only(twins):
    folder, morning, _, _ = twins
    found = rill(folder, "search", "keeper")
    assert found.stdout.splitlines()[0] == f"{morning.id[:8]}  Trip notes · 1 hit · 2026-12-01"


def test_export_refuses_to_overwrite_a_file_unless_forced(twins):
    folder, morning, _, _ = twins
    target = folder / "notes.md"
    target.write_text("my own notes\n")
    refused = rill(folder, "export", morning.id[:8], "-o", str(target))
    assert refused.returncode == 2
    assert refused.stderr == (
        f"rill: {target} already exists and was left as it is; pass "
        "--force to overwrite it, or choose another file with -o.\n"
    )
    assert target.read_text() == "my own notes\n"

    forced = rill(folder, "export", morning.id[:8], "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text().startswith("# Trip notes")


def test_export_to_a_new_file_needs_no_force_and_help_names_force(twins):
    folder, morning, _, _ = twins
    target = folder / "fresh.md"
    assert rill(folder, "export", morning.id[:8], "-o", str(target)).returncode == 0
    assert target.read_text().startswith("# Trip notes")
    shown = rill(folder, "export", "--help").stdout
    assert "--force" in shown and "overwrite" in shown


def test_conversations_saved_in_the_same_minute_show_seconds(tmp_path):
    times = iter([DECEMBER_1_0900_UTC + 5, DECEMBER_1_0900_UTC + 40])
    history = History(open_database(tmp_path / DATABASE_NAME), clock=times.__next__)
    first, second = save(history, "hello", "Hi."), save(history, "hello", "Hi.")
    history.connection.close()
    found = rill(tmp_path, "search", "lighthouse").stdout.splitlines()
    assert [line for line in found if line and not line.startswith(" ")] == [
        f"{second.id[:8]}  hello · 1 hit · 2026-12-01 09:00:40",
        f"{first.id[:8]}  hello · 1 hit · 2026-12-01 09:00:05",
    ]
