"""The schema, as forward-only numbered migrations. Migration N brings `user_version` to N;
never edit one that has shipped, add the next. A migration is a SQL script, or a function for
what SQL cannot say; each runs inside its own transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from rillchat.redaction import mask_secrets


def _mask_saved_keys(db: sqlite3.Connection) -> None:
    """Mask what an older Rill saved holding an API key: error messages that quoted the
    Authorization header back, a key pasted where the model id goes, and a title made from a
    prompt that held one. The full-text index is rebuilt when anything changed, so no piece
    of a key stays in it either."""
    changed = 0
    for part_id, text, data in db.execute(
        "SELECT id, text, data FROM parts WHERE kind = 'error'"
    ).fetchall():
        masked_text, masked_data = mask_secrets(text), mask_secrets(data)
        if (masked_text, masked_data) != (text, data):
            db.execute(
                "UPDATE parts SET text = ?, data = ? WHERE id = ?",
                (masked_text, masked_data, part_id),
            )
            db.execute("UPDATE search SET body = ? WHERE rowid = ?", (masked_text, part_id))
            changed += 1
    for table in ("conversations", "messages"):
        for row_id, model in db.execute(
            f"SELECT id, model FROM {table} WHERE model LIKE '%sk-%' OR model LIKE '%bearer%'"
        ).fetchall():
            if mask_secrets(model) != model:
                db.execute(
                    f"UPDATE {table} SET model = ? WHERE id = ?", (mask_secrets(model), row_id)
                )
                changed += 1
    for row_id, title in db.execute(
        "SELECT id, title FROM conversations WHERE title LIKE '%sk-%' OR title LIKE '%bearer%'"
    ).fetchall():
        if mask_secrets(title) != title:  # the titles_reindexed trigger updates its search row
            db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (mask_secrets(title), row_id)
            )
            changed += 1
    if changed:
        db.execute("INSERT INTO search (search) VALUES ('rebuild')")


def statements(script: str) -> list[str]:
    """Split a migration into statements; a trigger body's `;` stays inside its statement."""
    found: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if pending.strip():
        found.append(pending.strip())
    return found


_WORD_TRIGGERS = """
CREATE TABLE search_words (
    word TEXT PRIMARY KEY,
    passages INTEGER NOT NULL DEFAULT 0,
    titles INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- One row at a time: a body goes in, its words are read from the vocabulary, it is emptied.
CREATE VIRTUAL TABLE search_words_staged USING fts5 (
    body, content = '', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search_words_of_staged USING fts5vocab (search_words_staged, 'row');

DROP TRIGGER parts_indexed;
CREATE TRIGGER parts_indexed AFTER INSERT ON parts BEGIN
    INSERT INTO search (rowid, body, kind, conversation_id, message_id)
    SELECT new.id,
           CASE new.kind WHEN 'tool_call'
               THEN coalesce(json_extract(new.data, '$.name'), '') || ' ' ||
                    coalesce(json_extract(new.data, '$.arguments'), '')
               ELSE new.text END,
           new.kind, m.conversation_id, new.message_id
    FROM messages AS m WHERE m.id = new.message_id;
    INSERT INTO search_words_staged (rowid, body) SELECT 1, body FROM search WHERE rowid = new.id;
    INSERT INTO search_words (word, passages) SELECT term, 1 FROM search_words_of_staged WHERE 1
        ON CONFLICT (word) DO UPDATE SET passages = passages + 1;
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
END;

DROP TRIGGER parts_unindexed;
CREATE TRIGGER parts_unindexed AFTER DELETE ON parts BEGIN
    INSERT INTO search_words_staged (rowid, body) SELECT 1, body FROM search WHERE rowid = old.id;
    DELETE FROM search_words WHERE passages = 1 AND titles = 0
        AND word IN (SELECT term FROM search_words_of_staged);
    UPDATE search_words SET passages = passages - 1
        WHERE word IN (SELECT term FROM search_words_of_staged);
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
    DELETE FROM search WHERE rowid = old.id;
END;

DROP TRIGGER titles_indexed;
CREATE TRIGGER titles_indexed AFTER INSERT ON conversations BEGIN
    INSERT INTO search (rowid, body, kind, conversation_id, message_id)
    VALUES (-new.rowid, coalesce(new.title, ''), 'title', new.id, NULL);
    INSERT INTO search_words_staged (rowid, body) VALUES (1, coalesce(new.title, ''));
    INSERT INTO search_words (word, titles) SELECT term, 1 FROM search_words_of_staged WHERE 1
        ON CONFLICT (word) DO UPDATE SET titles = titles + 1;
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
END;

DROP TRIGGER titles_reindexed;
CREATE TRIGGER titles_reindexed AFTER UPDATE OF title ON conversations
WHEN old.title IS NOT new.title BEGIN
    INSERT INTO search_words_staged (rowid, body) SELECT 1, body FROM search WHERE rowid = -old.rowid;
    DELETE FROM search_words WHERE passages = 0 AND titles = 1
        AND word IN (SELECT term FROM search_words_of_staged);
    UPDATE search_words SET titles = titles - 1
        WHERE word IN (SELECT term FROM search_words_of_staged);
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
    UPDATE search SET body = coalesce(new.title, '') WHERE rowid = -new.rowid;
    INSERT INTO search_words_staged (rowid, body) VALUES (1, coalesce(new.title, ''));
    INSERT INTO search_words (word, titles) SELECT term, 1 FROM search_words_of_staged WHERE 1
        ON CONFLICT (word) DO UPDATE SET titles = titles + 1;
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
END;

DROP TRIGGER titles_unindexed;
CREATE TRIGGER titles_unindexed AFTER DELETE ON conversations BEGIN
    INSERT INTO search_words_staged (rowid, body) SELECT 1, body FROM search WHERE rowid = -old.rowid;
    DELETE FROM search_words WHERE passages = 0 AND titles = 1
        AND word IN (SELECT term FROM search_words_of_staged);
    UPDATE search_words SET titles = titles - 1
        WHERE word IN (SELECT term FROM search_words_of_staged);
    INSERT INTO search_words_staged (search_words_staged) VALUES ('delete-all');
    DELETE FROM search WHERE rowid = -old.rowid;
END;
"""


def _list_search_words(db: sqlite3.Connection) -> None:
    """Keep a list of the distinct words in the full-text index, with how many passages and
    titles hold each, so a word typed half-way can be looked up as the words it may become
    (see `History._spelled_out`) instead of a prefix query, which reads every match of every
    such word in the whole history before it returns the newest. Triggers keep the list as
    the index changes: each body going in or out is tokenized once more, by a one-row
    table with the same tokenizer, whose vocabulary gives its words. Whatever writes to the
    `search` table directly (not through parts and conversations) must do the same."""
    for statement in statements(_WORD_TRIGGERS):
        db.execute(statement)
    # The words already indexed, from the index itself: how many rows hold each, less the
    # titles (tokenized again, in a table of their own: there are few of them).
    db.execute("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab (main, search, 'row')")
    db.execute(
        "CREATE VIRTUAL TABLE temp.titles_staged USING fts5 "
        "(body, content = '', tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE temp.title_terms USING fts5vocab (temp, titles_staged, 'row')"
    )
    try:
        db.execute(
            "INSERT INTO temp.titles_staged (rowid, body) SELECT rowid, body FROM search "
            "WHERE rowid < 0"
        )
        db.execute("INSERT INTO search_words (word, passages) SELECT term, doc FROM search_terms")
        db.execute(
            "UPDATE search_words SET passages = passages - t.doc, titles = t.doc "
            "FROM temp.title_terms AS t WHERE t.term = search_words.word"
        )
    finally:
        for table in ("search_terms", "title_terms", "titles_staged"):
            db.execute(f"DROP TABLE temp.{table}")


MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 1: conversations, messages with their figures, ordered parts, and a full-text index.
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT,
        model TEXT NOT NULL,
        system_prompt TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE INDEX conversations_by_update ON conversations (updated DESC);

    CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        parent_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL,
        model TEXT,
        provider TEXT,
        generation_id TEXT,
        finish_reason TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        reasoning_tokens INTEGER,
        cached_tokens INTEGER,
        cost REAL,
        is_byok INTEGER,
        time_to_first_token REAL,
        duration REAL,
        created REAL NOT NULL
    );
    CREATE INDEX messages_in_conversation ON messages (conversation_id, position);
    CREATE INDEX messages_by_parent ON messages (parent_id);

    CREATE TABLE parts (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}',
        UNIQUE (message_id, position)
    );

    -- Rows: a part's searchable text (rowid = parts.id), or a title (rowid = -conversation rowid).
    CREATE VIRTUAL TABLE search USING fts5 (
        body, kind UNINDEXED, conversation_id UNINDEXED, message_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );

    CREATE TRIGGER parts_indexed AFTER INSERT ON parts BEGIN
        INSERT INTO search (rowid, body, kind, conversation_id, message_id)
        SELECT new.id,
               CASE new.kind WHEN 'tool_call'
                   THEN coalesce(json_extract(new.data, '$.name'), '') || ' ' ||
                        coalesce(json_extract(new.data, '$.arguments'), '')
                   ELSE new.text END,
               new.kind, m.conversation_id, new.message_id
        FROM messages AS m WHERE m.id = new.message_id;
    END;
    CREATE TRIGGER parts_unindexed AFTER DELETE ON parts BEGIN
        DELETE FROM search WHERE rowid = old.id;
    END;
    CREATE TRIGGER titles_indexed AFTER INSERT ON conversations BEGIN
        INSERT INTO search (rowid, body, kind, conversation_id, message_id)
        VALUES (-new.rowid, coalesce(new.title, ''), 'title', new.id, NULL);
    END;
    CREATE TRIGGER titles_reindexed AFTER UPDATE OF title ON conversations BEGIN
        UPDATE search SET body = coalesce(new.title, '') WHERE rowid = -new.rowid;
    END;
    CREATE TRIGGER titles_unindexed AFTER DELETE ON conversations BEGIN
        DELETE FROM search WHERE rowid = -old.rowid;
    END;
    """,
    # 2: branches. Messages already point at their parent; the conversation now remembers
    # which branch was shown last (the last message of it). NULL: the newest message.
    """
    ALTER TABLE conversations ADD COLUMN leaf_id TEXT;
    """,
    # 3: which running Rill is writing a streaming reply (its lease token, see
    # store/writers.py), so a Rill starting up only marks the replies of dead ones interrupted.
    """
    ALTER TABLE messages ADD COLUMN writer TEXT;
    CREATE INDEX messages_streaming ON messages (writer) WHERE status = 'streaming';
    """,
    # 4: no API key in what was saved before Rill masked them (see the function).
    _mask_saved_keys,
    # 5: the prompt left unsent (typed, or queued behind a reply) when Rill closed, given
    # back when the conversation is opened again.
    """
    ALTER TABLE conversations ADD COLUMN draft TEXT;
    """,
    # 6: the distinct words of the full-text index, kept up to date (see the function).
    _list_search_words,
]

LATEST_VERSION = len(MIGRATIONS)
