"""The history database: schema, saving and loading whole turns, search, bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from rillchat.chat.assembler import ReplyAssembler
from rillchat.chat.conversation import (
    Conversation,
    Decision,
    Message,
    MessageStatus,
    StructuredPart,
    TextPart,
)
from rillchat.openrouter.events import (
    FailureKind,
    Finished,
    ReasoningDelta,
    ResponseStarted,
    StreamFailed,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from rillchat.store.db import NewerDatabase, NotADatabase, open_database, schema_version
from rillchat.store.history import MATCH_END, MATCH_START, History, fts_query
from rillchat.store.migrations import LATEST_VERSION
from rillchat.store.writers import WriterLease, leases_folder


@pytest.fixture
def history(tmp_path) -> History:
    return History(open_database(tmp_path / "history.sqlite3"))


def full_conversation() -> Conversation:
    """A turn with everything a reply can hold, and one that failed part-way."""
    conversation = Conversation(
        model="anthropic/claude-sonnet-4.5", system_prompt="Be brief.", title="Weather in Paris"
    )
    conversation.messages.append(Message.user("What is the weather in Paris?"))
    assembler = ReplyAssembler(model="anthropic/claude-sonnet-4.5")
    for event in [
        ResponseStarted("gen-1", "anthropic/claude-sonnet-4.5", "Anthropic"),
        ReasoningDelta(
            "I should call the zanzibarian tool.",
            (
                {
                    "type": "reasoning.text",
                    "text": "I should call the zanzibarian tool.",
                    "signature": "c2ln",
                    "index": 0,
                },
            ),
        ),
        ReasoningDelta("", ({"type": "reasoning.encrypted", "data": "gAAA", "index": 1},)),
        TextDelta("Let me check."),
        ToolCallDelta(0, "toolu_1", "get_weather", '{"city": "Par'),
        ToolCallDelta(0, None, None, 'is"}'),
        Usage(12, 80, reasoning_tokens=40, cached_tokens=3, cost=0.00042),
        Finished("tool_calls"),
    ]:
        assembler.apply(event)
    conversation.messages.append(assembler.message)
    conversation.messages.append(
        Message.tool_result(
            "toolu_1",
            '{"temp": 21}',
            name="get_weather",
            decision=Decision.ALLOWED_IN_CHAT,
            duration=0.25,
        )
    )
    conversation.allowed_tools = {"get_weather"}
    failed = ReplyAssembler(model="anthropic/claude-sonnet-4.5")
    failed.apply(TextDelta("It is 21 degrees and"))
    failed.apply(
        StreamFailed(
            FailureKind.PROVIDER,
            "Upstream went away.",
            "Retry.",
            code=502,
            provider="Anthropic",
            metadata={"raw": "x"},
        )
    )
    conversation.messages.append(failed.message)
    return conversation


def test_a_structured_answer_keeps_its_schema_and_verdict(history):
    conversation = Conversation(model="openai/gpt-4o-mini")
    conversation.messages.append(Message.user("List two books as JSON"))
    structured = ReplyAssembler(model="openai/gpt-4o-mini")
    part = StructuredPart("books", {"type": "object"})
    structured.message.parts.append(part)
    structured.apply(TextDelta('{"books": []}'))
    structured.apply(Finished("stop"))
    assert part.problems == []  # checked when the reply completed
    part.problems = ["$: oops"]  # a verdict of its own, to see it is the one kept
    conversation.messages.append(structured.message)
    history.save_all(conversation)
    loaded = history.load(conversation.id)
    assert loaded == conversation
    assert loaded.messages[1].structured == StructuredPart(
        "books", {"type": "object"}, ["$: oops"]
    )


def test_a_new_database_has_the_latest_schema_in_wal_with_foreign_keys(tmp_path):
    connection = open_database(tmp_path / "h.sqlite3")
    assert schema_version(connection) == LATEST_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_opening_again_migrates_nothing_and_keeps_data(tmp_path, history):
    conversation = full_conversation()
    history.save_all(conversation)
    again = History(open_database(tmp_path / "history.sqlite3"))
    assert again.load(conversation.id) == conversation


def test_every_part_and_figure_comes_back(history):
    conversation = full_conversation()
    history.save_all(conversation)
    loaded = history.load(conversation.id)
    assert loaded == conversation
    assert loaded.id == conversation.id
    assert [m.id for m in loaded.messages] == [m.id for m in conversation.messages]
    reply = loaded.messages[1]
    assert reply.usage == Usage(12, 80, 40, 3, 0.00042)
    assert reply.provider == "Anthropic" and reply.generation_id == "gen-1"
    assert reply.reasoning_details[0]["signature"] == "c2ln"
    assert reply.reasoning_details[1]["type"] == "reasoning.encrypted"
    assert reply.tool_calls[0].arguments == '{"city": "Paris"}'
    assert loaded.messages[3].status is MessageStatus.FAILED
    assert loaded.messages[3].error.code == 502
    assert loaded.request_messages() == conversation.request_messages()
    assert loaded.messages[2].tool_result_part.decision is Decision.ALLOWED_IN_CHAT
    assert loaded.messages[2].tool_result_part.duration == 0.25
    assert loaded.allowed_tools == {"get_weather"}


def streaming_exchange(first: str) -> tuple[Conversation, ReplyAssembler]:
    """A prompt and a reply that has received `first` and is still streaming."""
    conversation = Conversation(model="m")
    conversation.messages.append(Message.user("go"))
    assembler = ReplyAssembler(model="m")
    conversation.messages.append(assembler.message)
    assembler.apply(TextDelta(first))
    return conversation, assembler


def test_a_streaming_reply_saved_again_replaces_its_parts(history):
    conversation, assembler = streaming_exchange("one ")
    history.save_message(conversation, assembler.message)
    assembler.apply(TextDelta("two"))
    history.save_message(conversation, assembler.message)
    loaded = history.load(conversation.id)
    assert [m.text for m in loaded.messages] == ["go", "one two"], "the prompt is saved with it"
    assert loaded.messages[1].status is MessageStatus.STREAMING
    assert history.mark_interrupted() == 1
    assert history.load(conversation.id).messages[1].status is MessageStatus.INTERRUPTED


def test_recent_lists_newest_first_with_counts_and_cost(history):
    clock = iter(range(100, 200))
    history._clock = lambda: next(clock)
    older, newer = full_conversation(), Conversation(model="m", title="Second")
    history.save_all(older)
    history.save_all(newer)
    summaries = history.recent()
    assert [s.id for s in summaries] == [newer.id, older.id]
    assert summaries[1].message_count == 4 and summaries[1].cost == pytest.approx(0.00042)
    assert history.latest_id() == newer.id


def test_search_finds_words_in_reasoning_tool_arguments_titles_and_errors(history):
    conversation = full_conversation()
    history.save_all(conversation)
    (hit,) = history.search("zanzibarian")
    assert hit.kind == "reasoning" and hit.message_id == conversation.messages[1].id
    assert f"{MATCH_START}zanzibarian{MATCH_END}" in hit.snippet
    assert history.search("Paris")[0].conversation_id == conversation.id
    assert {h.kind for h in history.search("paris")} >= {"title", "text", "tool_call"}
    assert history.search("upstream")[0].kind == "error"
    assert history.search("zanzib"), "the last word may be a prefix"
    history.rename(conversation.id, "Renamed trip")
    assert history.search("trip")[0].kind == "title"
    assert not history.search("weather in paris xyzzy")


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "(",
        "AND (",
        "*",
        "OR",
        "a NOT",
        "NEAR(",
        "col:paris",
        "-",
        "''",
        "   ",
        "^x",
        "📎",
    ],
)
def test_any_text_typed_into_search_gives_results_or_none(history, query):
    history.save_all(full_conversation())
    assert isinstance(history.search(query), list)


def test_fts_query_quotes_every_word():
    assert fts_query('say "hi" AND (x*') == '"say" "hi" "AND" "x"*'
    assert fts_query("  ()* ") is None


def test_delete_removes_the_conversation_its_messages_and_its_search_rows(history):
    conversation = full_conversation()
    history.save_all(conversation)
    assert history.delete(conversation.id)
    assert history.load(conversation.id) is None
    assert not history.search("zanzibarian") and not history.search("Paris")
    assert history.connection.execute("SELECT count(*) FROM parts").fetchone()[0] == 0


def test_a_file_that_is_not_a_database_is_named_and_left_alone(tmp_path):
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    with pytest.raises(NotADatabase, match="is not a Rill history database") as caught:
        open_database(path)
    assert "never deletes it" in str(caught.value)
    assert path.read_bytes().startswith(b"these are my notes")


def test_a_database_from_a_newer_rill_is_refused(tmp_path):
    path = tmp_path / "history.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    connection.close()
    with pytest.raises(NewerDatabase, match="newer Rill"):
        open_database(path)


def test_two_rills_on_one_database_both_write(tmp_path):
    first = History(open_database(tmp_path / "h.sqlite3"))
    second = History(open_database(tmp_path / "h.sqlite3"))
    a, b = Conversation(model="m", title="from the first"), Conversation(model="m", title="second")
    first.save_all(a)
    second.save_all(b)
    assert {s.title for s in first.recent()} == {"from the first", "second"}


def test_a_reply_another_running_rill_is_writing_is_not_marked_interrupted(tmp_path):
    path = tmp_path / "history.sqlite3"
    folder = leases_folder(path)
    writing = History(open_database(path), writer=WriterLease(folder))
    conversation, assembler = streaming_exchange("still coming")
    writing.save_message(conversation, assembler.message)

    starting = History(open_database(path), writer=WriterLease(folder))
    assert starting.mark_interrupted() == 0, "its writer still holds its lease"
    assert starting.load(conversation.id).messages[1].status is MessageStatus.STREAMING

    writing.writer.release()
    assert starting.mark_interrupted() == 1
    assert starting.load(conversation.id).messages[1].status is MessageStatus.INTERRUPTED
    starting.close()
    assert list(folder.iterdir()) == []


def test_the_lease_of_a_killed_rill_is_free_and_its_file_swept(tmp_path):
    folder = tmp_path / "writers"
    died = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; from rillchat.store.writers import WriterLease;"
            f"print(WriterLease(__import__('pathlib').Path({str(folder)!r})).token); os._exit(9)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    token = died.stdout.strip()
    assert (folder / f"{token}.lock").exists(), "nothing cleaned up after it"
    lease = WriterLease(folder)
    assert not lease.is_running(token)
    assert [p.stem for p in folder.iterdir()] == [lease.token]
    assert lease.is_running(lease.token)


def test_nothing_shaped_like_a_key_is_saved_in_an_error_or_as_a_model(history):
    """The stream layer masks keys before anything is saved; the store does not count on it."""
    key = "sk-or-v1-" + "ab" * 32
    conversation = Conversation(model=key)
    conversation.messages.append(Message.user("hi"))
    reply = ReplyAssembler(model=key)
    reply.apply(
        StreamFailed(
            FailureKind.AUTH,
            f"Invalid key: Bearer {key}",
            "Check it.",
            status=401,
            metadata={"echo": {"Authorization": f"Bearer {key}"}},
        )
    )
    conversation.messages.append(reply.message)
    history.save_all(conversation)

    assert key not in "\n".join(history.connection.iterdump())
    loaded = history.load(conversation.id)
    assert loaded.messages[1].error.message == "Invalid key: Bearer sk-or-…abab"
    assert loaded.model == loaded.messages[1].model == "sk-or-…abab"


def test_saving_waits_out_another_programs_lock_and_keeps_only_the_latest_state(tmp_path):
    from rillchat.store.recorder import open_recorder
    from tests.held_lock import HeldLock

    path = tmp_path / "history.sqlite3"
    History(open_database(path)).close()
    paused, resumed = [], threading.Event()
    with HeldLock(path) as lock:
        recorder = open_recorder(path, on_paused=paused.append, on_resumed=resumed.set)
        conversation, assembler = streaming_exchange("one")
        started = time.monotonic()
        for word in (" two", " three"):
            recorder.save(conversation, assembler.message)
            assembler.apply(TextDelta(word))
        assembler.apply(Finished("stop"))
        recorder.save(conversation, assembler.message)
        assert time.monotonic() - started < 0.5, "handing over never waits for the lock"
        assert not recorder.flush(1.5)
        assert [problem.kind.value for problem in paused] == ["busy"], "said once"
        lock.release()
        assert recorder.flush(10)
        assert resumed.wait(5), "said once it works again"
    assert recorder.close(1) == []
    stored = History(open_database(path)).load(conversation.id)
    assert [m.text for m in stored.messages] == ["go", "one two three"]
    assert stored.messages[1].status is MessageStatus.COMPLETE


def test_closing_while_locked_gives_up_in_time_and_names_what_was_not_saved(tmp_path):
    from rillchat.store.recorder import open_recorder
    from tests.held_lock import HeldLock

    path = tmp_path / "history.sqlite3"
    History(open_database(path)).close()
    with HeldLock(path):
        recorder = open_recorder(path, on_paused=lambda problem: None, on_resumed=lambda: None)
        conversation, assembler = streaming_exchange("x" * 1234)
        conversation.title = "Kept on screen"
        recorder.save(conversation, conversation.messages[0])  # as the chat does on Enter
        recorder.save(conversation, assembler.message)
        started = time.monotonic()
        unsaved = recorder.close(1)
        took = time.monotonic() - started
    assert took < 4, f"closing took {took:.1f} s"
    assert unsaved == [
        "your prompt in “Kept on screen” (2 characters)",
        "a reply in “Kept on screen” (1,234 characters)",
    ]
    assert recorder.problem is not None and "another program" in recorder.problem.reason


def test_a_delete_refused_by_a_lock_loses_nothing_and_a_late_save_does_not_undo_one(tmp_path):
    from concurrent.futures import Future

    from rillchat.store.recorder import open_recorder
    from tests.held_lock import HeldLock

    path = tmp_path / "history.sqlite3"
    History(open_database(path)).close()
    recorder = open_recorder(path, on_paused=lambda problem: None, on_resumed=lambda: None)
    conversation, assembler = streaming_exchange("kept")
    assembler.apply(Finished("stop"))
    with HeldLock(path):
        recorder.save(conversation, conversation.messages[0])
        recorder.save(conversation, assembler.message)
        refused: Future[bool] = recorder.delete(conversation.id)
        with pytest.raises(sqlite3.OperationalError):
            refused.result(timeout=10)
    assert recorder.flush(10)
    reader = History(open_database(path))
    assert [m.text for m in reader.load(conversation.id).messages] == ["go", "kept"], (
        "what waited to be saved is saved, not dropped with the refused delete"
    )

    assert recorder.delete(conversation.id).result(timeout=10) is True
    conversation.title = "A title that was on its way"
    recorder.save_conversation(conversation)
    recorder.save(conversation, assembler.message)
    assert recorder.flush(10)
    assert reader.load(conversation.id) is None, "a save after the delete brings nothing back"
    assert recorder.close(1) == []


def test_a_listener_that_fails_does_not_stop_the_saving(tmp_path):
    from rillchat.store.recorder import open_recorder
    from tests.held_lock import HeldLock

    def gone_terminal(*arguments: object) -> None:
        raise OSError(5, "Input/output error")  # a hung-up terminal's stderr

    path = tmp_path / "history.sqlite3"
    History(open_database(path)).close()
    with HeldLock(path) as lock:
        recorder = open_recorder(path, on_paused=gone_terminal, on_resumed=gone_terminal)
        conversation, assembler = streaming_exchange("still saved")
        recorder.save(conversation, assembler.message)
        assert not recorder.flush(1.5)  # paused: the listener was told, and failed
        lock.release()
        assert recorder.flush(10)
    assert recorder.close(1) == []
    stored = History(open_database(path)).load(conversation.id)
    assert [m.text for m in stored.messages] == ["go", "still saved"]


def test_branches_made_while_the_history_was_off_are_saved_with_it(tmp_path):
    from rillchat.store.recorder import open_recorder

    path = tmp_path / "history.sqlite3"
    conversation = Conversation(model="m")
    conversation.messages += [
        Message.user("go"),
        Message(role="assistant", parts=[TextPart("first answer")]),
    ]
    conversation.branch_off(1)  # a retry: the first answer becomes a branch
    conversation.messages.append(Message(role="assistant", parts=[TextPart("second answer")]))
    recorder = open_recorder(path, on_paused=lambda problem: None, on_resumed=lambda: None)
    for message in conversation.messages:  # what the chat does when the history comes on
        recorder.save(conversation, message)
    recorder.save_branches(conversation)
    assert recorder.flush(10)
    assert recorder.close(1) == []
    stored = History(open_database(path)).load(conversation.id)
    assert [m.text for m in stored.messages] == ["go", "second answer"]
    assert [m.text for m in stored.other_branches] == ["first answer"]


def test_hit_counts_stop_early_for_words_found_everywhere(history, monkeypatch):
    """Counting every match of a common word in a big history took 0.5 s a keystroke: the
    counts cover the newest matches only, and say when there may be more."""
    from rillchat.dates import hits_label
    from rillchat.store import history as history_module

    conversation = Conversation(model="demo/auto", title="Lighthouses")
    conversation.messages += [Message.user(f"lighthouse number {n}") for n in range(12)]
    history.save_all(conversation)
    (group,) = history.search_by_conversation("lighthouse", limit=3)
    assert (group.hit_count, group.more_hits) == (13, False)  # the title and twelve prompts
    assert hits_label(group.hit_count, more=group.more_hits) == "13 hits"

    monkeypatch.setattr(history_module, "COUNTED_MATCHES", 5)
    (group,) = history.search_by_conversation("lighthouse", limit=3)
    assert (group.hit_count, group.more_hits) == (5, True)
    assert hits_label(group.hit_count, more=group.more_hits) == "5+ hits"
    assert hits_label(1, more=True) == "1+ hits" and hits_label(1) == "1 hit"
