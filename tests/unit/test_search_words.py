"""The list of indexed words behind prefix search: it follows every change to the index, and
a search spelled out from it finds what the prefix query found."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from rillchat.chat.conversation import Conversation, Message, ReasoningPart, TextPart, ToolCallPart
from rillchat.store import history as history_module
from rillchat.store.db import open_database
from rillchat.store.history import COUNTED_MATCHES, MATCH_END, MATCH_START, History, fts_query


@pytest.fixture
def history(tmp_path) -> History:
    return History(open_database(tmp_path / "history.sqlite3"))


def listed(history: History) -> dict[str, tuple[int, int]]:
    return {
        word: (passages, titles)
        for word, passages, titles in history.connection.execute("SELECT * FROM search_words")
    }


def indexed(history: History) -> dict[str, tuple[int, int]]:
    """The words of the full-text index, each with the passages and the titles holding it,
    read from the index itself."""
    db = history.connection
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.every_term USING fts5vocab (main, search, 'row')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.titles USING fts5 "
        "(body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.title_terms USING fts5vocab (temp, titles, 'row')"
    )
    db.execute("DELETE FROM temp.titles")
    db.execute("INSERT INTO temp.titles (body) SELECT body FROM search WHERE rowid < 0")
    titles = dict(db.execute("SELECT term, doc FROM temp.title_terms"))
    return {
        term: (rows - titles.get(term, 0), titles.get(term, 0))
        for term, rows in db.execute("SELECT term, doc FROM temp.every_term")
    }


def assert_listed_as_indexed(history: History) -> None:
    assert listed(history) == indexed(history)


def test_the_word_list_follows_saves_renames_and_deletes(history):
    conversation = Conversation(model="demo/auto", title="Lighthouse keepers")
    conversation.messages.append(Message.user("Who kept the Fastnet lighthouse?"))
    reply = Message(role="assistant", parts=[ReasoningPart("Thinking about Fastn")])
    conversation.messages.append(reply)
    history.save_message(conversation, reply)  # as a streaming reply is saved, part-way
    assert_listed_as_indexed(history)
    assert "fastn" in listed(history)

    reply.parts = [
        ReasoningPart("Thinking about Fastnet, the rock."),
        TextPart("Keepers rowed out from Crookhaven."),
        ToolCallPart(0, "call_1", "lookup", '{"rock": "Fastnet"}'),
    ]
    history.save_message(conversation, reply)
    assert_listed_as_indexed(history)
    assert "fastn" not in listed(history), "the words of a reply saved part-way go"
    assert listed(history)["fastnet"] == (3, 0) and listed(history)["lookup"] == (1, 0)

    history.save_conversation(conversation)  # the same title again changes nothing
    assert_listed_as_indexed(history)
    history.rename(conversation.id, "Fastnet Rock")
    assert_listed_as_indexed(history)
    assert listed(history)["fastnet"] == (3, 1) and "keepers" in listed(history)
    assert "lighthouse" in listed(history), "still in the prompt"

    other = Conversation(model="demo/auto", title="Harbours")
    other.messages.append(Message.user("Which harbour is nearest the rock?"))
    history.save_all(other)
    conversation.branch_off(1)
    conversation.messages.append(Message(role="assistant", parts=[TextPart("Crookhaven, rowed")]))
    history.save_all(conversation)
    history.import_conversation(history.load(conversation.id))  # a copy, under new ids
    assert_listed_as_indexed(history)
    assert listed(history)["crookhaven"] == (4, 0)

    for (gone,) in history.connection.execute(
        "SELECT id FROM conversations WHERE id != ?", (other.id,)
    ).fetchall():
        history.delete(gone)
    assert_listed_as_indexed(history)
    assert set(listed(history)) == {"harbours", "which", "harbour", "is", "nearest", "the", "rock"}
    history.delete(other.id)
    assert listed(history) == {}


VOCABULARY = [
    "model", "models", "modern", "mode", "moderate", "stream", "streaming", "token", "tokens",
    "the", "a", "café", "naïve", "x²", "foo_bar", "Paris", "paraffin", "parse", "42", "4242",
]  # fmt: skip
QUERIES = [
    *VOCABULARY,
    "mod", "mo", "m", "str", "stream tok", "the mod", "caf", "naive", "nai", "x", "foo_b",
    "par", "PAR", "4", "424", "zz", "the zz", "models streaming", "Mod",
]  # fmt: skip


def prefix_query_search(history: History, query: str, limit: int = 50) -> list[tuple]:
    """What `History.search` returned before the word list: the prefix query."""
    match = fts_query(query)
    if match is None:
        return []
    select = (
        "SELECT s.conversation_id, s.message_id, s.kind, c.title, m.role, "
        f"  snippet(search, 0, '{MATCH_START}', '{MATCH_END}', '…', 12) AS snippet "
        "FROM search AS s JOIN conversations AS c ON c.id = s.conversation_id "
        "LEFT JOIN messages AS m ON m.id = s.message_id "
        "WHERE search MATCH ? AND s.rowid {side} 0 ORDER BY s.rowid {order} LIMIT ?"
    )
    db = history.connection
    rows = db.execute(select.format(side="<", order="ASC"), (match, limit)).fetchall()
    rows += db.execute(
        select.format(side=">", order="DESC"), (match, limit - len(rows))
    ).fetchall()
    return [
        (
            row["conversation_id"],
            row["message_id"],
            row["kind"],
            row["snippet"],
            row["title"],
            row["role"],
        )
        for row in rows
    ]


def prefix_query_counts(history: History, query: str) -> dict[str, int]:
    newest = history.connection.execute(
        "SELECT conversation_id FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?",
        (fts_query(query), COUNTED_MATCHES),
    ).fetchall()
    counts: dict[str, int] = {}
    for (conversation_id,) in newest:
        counts[conversation_id] = counts.get(conversation_id, 0) + 1
    return counts


def random_history(history: History, conversations: int = 40) -> None:
    rng = random.Random(5)

    def words(count: int) -> str:
        return " ".join(rng.choice(VOCABULARY) for _ in range(count))

    for _ in range(conversations):
        conversation = Conversation(model="demo/auto", title=words(3))
        for _ in range(4):
            conversation.messages.append(Message.user(words(6)))
            conversation.messages.append(
                Message(role="assistant", parts=[ReasoningPart(words(8)), TextPart(words(12))])
            )
        history.save_all(conversation)


def marked(snippet: str) -> list[str]:
    return [piece.partition(MATCH_END)[0] for piece in snippet.split(MATCH_START)[1:]]


def matches(query: str, marked: str) -> bool:
    """Whether the words of `marked` (from a snippet) are ones the query looks for, folded as
    the index folds them."""
    *head, last = re.findall(r"[^\W_]+", folded(query))
    return all(
        word in head or word.startswith(last) for word in re.findall(r"[^\W_]+", folded(marked))
    )


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize("limit", [5, 50])
def test_searches_find_what_the_prefix_query_found(history, limit):
    """The same passages and titles in the same order, with the same counts. A snippet may
    show another stretch of the same passage: spelled out, "tok" is two words (token,
    tokens) where the prefix query saw one, and a stretch holding both scores higher."""
    random_history(history)
    assert_listed_as_indexed(history)
    for query in QUERIES:
        hits = history.search(query, limit=limit)
        before = prefix_query_search(history, query, limit)
        assert [(h.conversation_id, h.message_id, h.kind, h.title, h.role) for h in hits] == [
            (row[0], row[1], row[2], row[4], row[5]) for row in before
        ], query
        for hit in hits:
            assert marked(hit.snippet) and all(
                matches(query, word) for word in marked(hit.snippet)
            )
        counts = prefix_query_counts(history, query) if hits else {}
        for group in history.search_by_conversation(query, limit=limit):
            assert group.hit_count == max(counts[group.conversation_id], len(group.hits)), query
            assert not group.more_hits


def test_full_words_show_the_same_snippets(history):
    random_history(history)
    for query in ["paris", "naïve", "the café", "foo_bar", "42", "mode stream"]:
        hits = history.search(query)
        assert [h.snippet for h in hits] == [row[3] for row in prefix_query_search(history, query)]


def test_a_word_typed_half_way_is_found(history):
    conversation = Conversation(model="demo/auto", title="Weather in Paris")
    conversation.messages.append(Message.user("Is the Zanzibarian café open?"))
    history.save_all(conversation)
    for typed in [
        "z",
        "Zanz",
        "zanzibaria",
        "the zanzib",
        "weather in par",
        "caf",
        "café",
        "CAFE",
    ]:
        assert history.search(typed), typed
    assert [hit.kind for hit in history.search("weath")] == ["title"]
    assert f"{MATCH_START}Zanzibarian{MATCH_END}" in history.search("zan")[0].snippet
    assert history.search("zanzibarians") == [] and history.search("the q") == []


def test_a_start_shared_by_too_many_words_stands_for_its_commonest(history, monkeypatch):
    """Spelling out every word that starts with "l" would cost more than the prefix query;
    the commonest words stand for them all, and the counts say there may be more."""
    conversation = Conversation(model="demo/auto", title="Animals")
    for word, times in [("lamb", 3), ("lamp", 2), ("lame", 1)]:
        conversation.messages += [Message.user(f"a {word}") for _ in range(times)]
    history.save_all(conversation)
    monkeypatch.setattr(history_module, "SPELLED_OUT", 2)
    monkeypatch.setattr(history_module, "COMMONEST", 2)
    monkeypatch.setattr(history_module, "CHEAP_PREFIX_ROWS", 0)
    assert sorted(hit.snippet.strip(MATCH_START + MATCH_END + "a ") for hit in history.search("lam")) == [
        "lamb", "lamb", "lamb", "lamp", "lamp"
    ]  # fmt: skip
    (group,) = history.search_by_conversation("lam")
    assert (group.hit_count, group.more_hits) == (5, True)

    monkeypatch.setattr(history_module, "CHEAP_PREFIX_ROWS", 100)  # rare words: the prefix query
    assert len(history.search("lam")) == 6
    (group,) = history.search_by_conversation("lam")
    assert (group.hit_count, group.more_hits) == (6, False)


def test_a_title_saved_again_unchanged_is_not_indexed_again(history):
    conversation = Conversation(model="demo/auto", title="Same title")
    history.save_conversation(conversation)
    changes = history.connection.total_changes
    history.save_conversation(conversation)
    assert history.connection.total_changes - changes == 1, "the conversation row only"


def test_the_staging_table_is_left_empty(history):
    random_history(history, conversations=3)
    assert (
        history.connection.execute("SELECT count(*) FROM search_words_of_staged").fetchone()[0]
        == 0
    )
