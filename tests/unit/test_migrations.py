"""Every earlier schema version, holding the data that version could hold, opens in this Rill
with nothing lost."""

from __future__ import annotations

import sqlite3

import pytest

from rillchat.store.db import migrate, open_database, schema_version
from rillchat.store.history import History
from rillchat.store.migrations import LATEST_VERSION

# What a database of each version held: one conversation whose second reply was retried
# (version 1 deleted the old reply; the new one was saved after it).
SEEDS = {
    1: """
    INSERT INTO conversations (id, title, model, system_prompt, settings, created, updated)
    VALUES ('c1', 'Old times', 'demo/auto', 'Be brief.', '{}', 100, 200);
    INSERT INTO messages (id, conversation_id, parent_id, position, role, status, model,
                          prompt_tokens, completion_tokens, cost, created)
    VALUES ('m1', 'c1', NULL, 0, 'user', 'complete', NULL, NULL, NULL, NULL, 101),
           ('m2', 'c1', 'm1', 1, 'assistant', 'complete', 'demo/auto', 10, 20, 0.001, 102),
           ('m3', 'c1', 'm2', 2, 'user', 'complete', NULL, NULL, NULL, NULL, 103),
           ('m4', 'c1', 'm3', 3, 'assistant', 'stopped', 'demo/auto', 11, 5, 0.0004, 104);
    INSERT INTO parts (message_id, position, kind, text, data)
    VALUES ('m1', 0, 'text', 'What is a rill?', '{}'),
           ('m2', 0, 'reasoning', 'A small stream, thinks the zanzibarian.', '{"details": []}'),
           ('m2', 1, 'text', 'A small stream.', '{}'),
           ('m3', 0, 'text', 'And a brook?', '{}'),
           ('m4', 0, 'text', 'A bit bigger', '{}');
    """,
    2: """
    INSERT INTO conversations (id, title, model, system_prompt, settings, created, updated,
                               leaf_id)
    VALUES ('c1', 'Old times', 'demo/auto', 'Be brief.', '{}', 100, 200, 'm4');
    INSERT INTO messages (id, conversation_id, parent_id, position, role, status, model,
                          prompt_tokens, completion_tokens, cost, created)
    VALUES ('m1', 'c1', NULL, 0, 'user', 'complete', NULL, NULL, NULL, NULL, 101),
           ('m2', 'c1', 'm1', 1, 'assistant', 'complete', 'demo/auto', 10, 20, 0.001, 102),
           ('m3', 'c1', 'm2', 2, 'user', 'complete', NULL, NULL, NULL, NULL, 103),
           ('m4', 'c1', 'm3', 3, 'assistant', 'stopped', 'demo/auto', 11, 5, 0.0004, 104),
           ('m5', 'c1', 'm3', 3, 'assistant', 'streaming', 'demo/auto', NULL, NULL, NULL, 105);
    INSERT INTO parts (message_id, position, kind, text, data)
    VALUES ('m1', 0, 'text', 'What is a rill?', '{}'),
           ('m2', 0, 'reasoning', 'A small stream, thinks the zanzibarian.', '{"details": []}'),
           ('m2', 1, 'text', 'A small stream.', '{}'),
           ('m3', 0, 'text', 'And a brook?', '{}'),
           ('m4', 0, 'text', 'A bit bigger', '{}'),
           ('m5', 0, 'text', 'Cut off', '{}');
    """,
}
# Version 3 added the writer column, holding nothing new an old row lacks: its seed is 2's.
SEEDS[3] = SEEDS[2]
# Version 4 only masked keys in rows already there: the same seed again.
SEEDS[4] = SEEDS[2]
# Version 5 added the draft column, which an old row leaves empty.
SEEDS[5] = SEEDS[2]


def database_at(version: int, path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    migrate(connection, path, to=version)
    connection.executescript(SEEDS[version])
    return connection


def test_every_earlier_version_has_a_seed():
    assert sorted(SEEDS) == list(range(1, LATEST_VERSION))


def test_an_empty_database_migrates_to_the_latest(tmp_path):
    path = tmp_path / "h.sqlite3"
    sqlite3.connect(path).close()
    connection = open_database(path)
    assert schema_version(connection) == LATEST_VERSION
    assert History(connection).recent() == []


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_each_earlier_version_migrates_with_everything_kept(tmp_path, version):
    path = tmp_path / "h.sqlite3"
    database_at(version, path).close()

    connection = open_database(path)
    assert schema_version(connection) == LATEST_VERSION
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    history = History(connection)
    conversation = history.load("c1")
    assert [m.text for m in conversation.messages] == [
        "What is a rill?",
        "A small stream.",
        "And a brook?",
        "A bit bigger",
    ]
    assert conversation.messages[1].reasoning.startswith("A small stream")
    assert conversation.messages[3].status.value == "stopped"
    left_behind = [m.id for m in conversation.other_branches]
    assert left_behind == ([] if version == 1 else ["m5"])
    assert [hit.message_id for hit in history.search("zanzibarian")] == ["m2"]
    assert history.recent()[0].message_count == 4 + len(left_behind)
    # a reply an old Rill left streaming has no writer, so no running Rill owns it
    assert history.mark_interrupted() == len(left_behind)

    # and the migrated database takes new writes: a branch made on it is kept
    conversation.branch_off(3)
    history.save_all(conversation)
    assert history.load("c1").messages[-1].id == "m3"


KEY = "sk-or-v1-" + "5eed" * 16
LEAKED = f"""
INSERT INTO conversations (id, title, model, system_prompt, settings, created, updated)
VALUES ('c2', 'Pasted {KEY} by mistake', '{KEY}', NULL, '{{}}', 300, 400);
INSERT INTO messages (id, conversation_id, parent_id, position, role, status, model, created)
VALUES ('k1', 'c2', NULL, 0, 'user', 'complete', NULL, 301),
       ('k2', 'c2', 'k1', 1, 'assistant', 'failed', '{KEY}', 302);
INSERT INTO parts (message_id, position, kind, text, data)
VALUES ('k1', 0, 'text', 'hello', '{{}}'),
       ('k2', 0, 'error', 'Invalid key: Bearer {KEY}',
        json_object('kind', 'auth', 'message', 'Invalid key: Bearer {KEY}', 'hint', 'Check it.',
                    'status', 401, 'code', 401, 'provider', NULL, 'retry_after', NULL,
                    'retryable', json('false'),
                    'metadata', json_object('headers', json_object('Authorization',
                                                                   'Bearer {KEY}'))));
"""


def test_keys_an_older_rill_saved_are_masked_and_leave_no_copy_in_the_files(tmp_path):
    path = tmp_path / "h.sqlite3"
    old = database_at(3, path)
    old.execute("PRAGMA journal_mode = WAL")
    old.executescript(LEAKED)
    old.close()
    assert KEY.encode() in path.read_bytes()

    history = History(open_database(path))
    conversation = history.load("c2")
    failure = conversation.messages[1].error
    assert failure.message == "Invalid key: Bearer sk-or-…5eed"
    assert failure.metadata == {"headers": {"Authorization": "Bearer sk-or-…5eed"}}
    assert conversation.model == conversation.messages[1].model == "sk-or-…5eed"
    assert conversation.title == "Pasted sk-or-…5eed by mistake"
    assert [(hit.kind, hit.title) for hit in history.search("mistake")] == [
        ("title", "Pasted sk-or-…5eed by mistake")
    ]
    assert history.load("c1").messages[1].text == "A small stream.", "the rest is kept"
    assert [hit.message_id for hit in history.search("Invalid key")] == ["k2"]
    assert history.search("5eed5eed5eed5eed") == []
    assert KEY not in "\n".join(history.connection.iterdump())
    assert [
        file.name for file in tmp_path.iterdir() if KEY[-40:].encode() in file.read_bytes()
    ] == [], "nothing left in the files"


def test_the_words_already_indexed_are_listed_and_kept_listed(tmp_path):
    """Version 6 lists the words of the full-text index, from the index, for prefix search."""
    path = tmp_path / "h.sqlite3"
    old = database_at(5, path)
    old.executescript(
        """
        INSERT INTO conversations (id, title, model, settings, created, updated)
        VALUES ('c2', 'Old times again', 'demo/auto', '{}', 300, 400);
        INSERT INTO messages (id, conversation_id, parent_id, position, role, status, created)
        VALUES ('n1', 'c2', NULL, 0, 'user', 'complete', 301);
        INSERT INTO parts (message_id, position, kind, text, data)
        VALUES ('n1', 0, 'text', 'A small café by the stream', '{}');
        """
    )
    old.close()

    history = History(open_database(path))
    words = {
        word: (passages, titles)
        for word, passages, titles in history.connection.execute("SELECT * FROM search_words")
    }
    assert words["small"] == (3, 0)  # two in c1 (reasoning and text), one in c2
    assert words["old"] == words["times"] == (0, 2)
    assert words["again"] == (0, 1) and words["cafe"] == (1, 0)  # as the tokenizer has it
    assert words["stream"] == (3, 0) and "rill" in words
    assert [hit.message_id for hit in history.search("zanzib")] == ["m2"]
    assert [(hit.kind, hit.conversation_id) for hit in history.search("old tim")] == [
        ("title", "c2"),
        ("title", "c1"),
    ]

    history.delete("c2")
    left = {word for (word,) in history.connection.execute("SELECT word FROM search_words")}
    assert "again" not in left and "cafe" not in left and "old" in left
