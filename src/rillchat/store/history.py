"""Saving, loading, listing and searching conversations."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rillchat.chat.conversation import Conversation, Message, MessageStatus, new_id
from rillchat.store.codec import decode_part, usage_from_row
from rillchat.store.rows import ConversationRow, MessageRow, MessageSave, branch_rows
from rillchat.store.writers import WriterLease
from rillchat.terminal_text import one_line

_MESSAGE_COLUMNS = (
    "id",
    "conversation_id",
    "parent_id",
    "position",
    "role",
    "status",
    "model",
    "provider",
    "generation_id",
    "finish_reason",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
    "cached_tokens",
    "cost",
    "is_byok",
    "time_to_first_token",
    "duration",
    "created",
    "writer",
)
_UPSERT_MESSAGE = (
    f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + name for name in _MESSAGE_COLUMNS)}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _MESSAGE_COLUMNS[2:])
)


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    id: str
    title: str | None
    model: str
    updated: float
    message_count: int
    cost: float


_KIND_LABELS = {
    "title": "title",
    "reasoning": "reasoning",
    "tool_call": "tool call",
    "tool_result": "tool result",
    "error": "error",
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    conversation_id: str
    message_id: str | None
    kind: str
    """Where the words were found: title, text, reasoning, tool_call, tool_result or error."""
    snippet: str
    """The matching passage, with each match between `MATCH_START` and `MATCH_END`."""
    title: str | None
    role: str | None = None
    """Who wrote the message the words are in (None for a title)."""

    @property
    def where(self) -> str:
        """Where the words were found, in words: prompt, reply, title, reasoning, ..."""
        if self.kind == "text":
            return "prompt" if self.role == "user" else "reply"
        return _KIND_LABELS.get(self.kind, self.kind)

    def snippet_pieces(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is a match) pieces, on one line."""
        # one_line on the whole (markers swapped for characters it keeps), so spaces at the
        # edges of a match survive.
        flat = one_line(self.snippet.replace(MATCH_START, "\ue000").replace(MATCH_END, "\ue001"))
        pieces: list[tuple[str, bool]] = []
        for number, chunk in enumerate(flat.split("\ue000")):
            matched, _, rest = chunk.partition("\ue001") if number else ("", "", chunk)
            pieces += [
                (text, is_match) for text, is_match in ((matched, True), (rest, False)) if text
            ]
        return pieces


@dataclass(frozen=True, slots=True)
class SearchGroup:
    """The hits of one conversation, shown together under its title."""

    conversation_id: str
    title: str | None
    updated: float
    hit_count: int
    """Every passage of the conversation that matches, including those not in `hits`; a
    lower bound when `more_hits`."""
    hits: tuple[SearchHit, ...]
    more_hits: bool = False
    """The words match so often in the whole history that counting stopped early: there may
    be more hits than `hit_count`."""


@dataclass(frozen=True, slots=True)
class Imported:
    """What adding a conversation from a file changed on the way in."""

    conversation_id: str
    """The id it was saved under."""
    clashing_id: str | None
    """Its id in the file, when another conversation in the history already had it."""
    renamed_messages: int
    """Messages given new ids because their ids in the file were taken."""
    dropped_grants: tuple[str, ...]
    """Tools the file allowed for the whole conversation, which were not kept."""


MATCH_START = "\x02"
MATCH_END = "\x03"
"""Snippet markers: control characters, so they cannot collide with stored text (which never
holds any) and the UI can turn them into highlighting."""


class History:
    def __init__(
        self, connection: sqlite3.Connection, *, clock=time.time, writer: WriterLease | None = None
    ) -> None:
        """`writer`: this process's lease, stamped on the replies it saves while they stream.
        Without one, every streaming reply found counts as left behind."""
        self.connection = connection
        self.writer = writer
        self.connection.row_factory = sqlite3.Row
        self._clock = clock
        self._snippets_left = 0
        """Passages still to be given a snippet in the search being read."""
        self.connection.create_function("rill_snippet_wanted", 0, self._snippet_wanted)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield self.connection
            self.connection.execute("COMMIT")  # a full disk can refuse it too: rolled back
        except BaseException:
            # After some full-disk and I/O errors SQLite has rolled back already; a ROLLBACK
            # then would raise and hide the error that says what went wrong.
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise

    # Writing -----------------------------------------------------------------------------

    def save_conversation(self, conversation: Conversation) -> None:
        """Create or update the conversation row (not its messages): its title, model,
        options, and the branch shown."""
        self.write([ConversationRow.of(conversation)], [])

    def save_message(self, conversation: Conversation, message: Message) -> None:
        """Write one message whole (its row and all its parts), and the conversation and the
        earlier messages when they are not saved yet. Cheap enough to call every half second
        while a reply streams."""
        self.write([ConversationRow.of(conversation)], [MessageSave.of(conversation, message)])

    def write(
        self, conversations: Iterable[ConversationRow], messages: Iterable[MessageSave]
    ) -> None:
        """Write rows taken earlier (see store/rows.py) in one transaction: the conversations,
        then each message, with the messages before it when the history lacks them."""
        with self._transaction() as db:
            for conversation in conversations:
                self._upsert_conversation(db, conversation)
            for save in messages:
                parent = save.row.columns["parent_id"]
                if (
                    parent is not None
                    and not db.execute("SELECT 1 FROM messages WHERE id = ?", (parent,)).fetchone()
                ):
                    for earlier in save.earlier_rows():
                        self._write_row(db, earlier)
                self._write_row(db, save.row)

    def save_all(self, conversation: Conversation) -> None:
        """Write the conversation whole, with every branch."""
        with self._transaction() as db:
            self._write_whole(db, conversation)

    def import_conversation(self, conversation: Conversation) -> Imported:
        """Add a conversation read from a file as a new one, never changing another: where
        its id or a message's is taken already (an edited copy of an export), it gets a new
        one, and the branches that follow a renamed message follow it under its new id. Tool
        approvals are not imported: a file must not decide what runs without asking."""
        dropped = tuple(sorted(conversation.allowed_tools))
        conversation.allowed_tools = set()
        with self._transaction() as db:
            clashing = None
            if db.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation.id,)
            ).fetchone():
                clashing, conversation.id = conversation.id, new_id()
            renamed = _give_free_ids(db, conversation)
            self._write_whole(db, conversation)
        return Imported(conversation.id, clashing, renamed, dropped)

    def _write_whole(self, db: sqlite3.Connection, conversation: Conversation) -> None:
        shown = conversation.messages
        self._upsert_conversation(db, ConversationRow.of(conversation))
        for position, message in enumerate(shown):
            self._write_row(
                db,
                MessageRow.of(
                    conversation.id,
                    message,
                    position,
                    shown[position - 1].id if position else None,
                ),
            )
        for row in branch_rows(conversation):
            self._write_row(db, row)

    def write_rows(self, rows: Iterable[MessageRow]) -> None:
        """Write message rows taken earlier, as they are, in one transaction."""
        with self._transaction() as db:
            for row in rows:
                self._write_row(db, row)

    def _upsert_conversation(self, db: sqlite3.Connection, row: ConversationRow) -> None:
        db.execute(
            "INSERT INTO conversations "
            "(id, title, model, system_prompt, settings, created, updated, leaf_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "title = excluded.title, model = excluded.model, "
            "system_prompt = excluded.system_prompt, updated = excluded.updated, "
            "leaf_id = excluded.leaf_id, settings = excluded.settings",
            (
                row.id,
                row.title,
                row.model,
                row.system_prompt,
                row.settings,
                row.created,
                self._clock(),
                row.leaf_id,
            ),
        )

    def _write_row(self, db: sqlite3.Connection, row: MessageRow) -> None:
        writer = self.writer.token if self.writer is not None and row.streaming else None
        db.execute(_UPSERT_MESSAGE, {**row.columns, "writer": writer})
        db.execute("DELETE FROM parts WHERE message_id = ?", (row.id,))
        db.executemany(
            "INSERT INTO parts (message_id, position, kind, text, data) VALUES (?, ?, ?, ?, ?)",
            [
                (row.id, index, kind, text, data)
                for index, (kind, text, data) in enumerate(row.parts)
            ],
        )

    def mark_interrupted(self) -> int:
        """Replies still marked streaming whose writer is no longer running belong to a Rill
        that went away: say so. Another Rill's live reply is left alone. Returns how many
        were marked."""
        streaming = MessageStatus.STREAMING.value
        with self._transaction() as db:
            writers = [
                row[0]
                for row in db.execute(
                    "SELECT DISTINCT writer FROM messages WHERE status = ?", (streaming,)
                )
            ]
            gone = [
                writer
                for writer in writers
                if writer is None or self.writer is None or not self.writer.is_running(writer)
            ]
            return sum(
                db.execute(
                    "UPDATE messages SET status = ?, writer = NULL "
                    "WHERE status = ? AND writer IS ?",
                    (MessageStatus.INTERRUPTED.value, streaming, writer),
                ).rowcount
                for writer in gone
            )

    def close(self) -> None:
        self.connection.close()
        if self.writer is not None:
            self.writer.release()

    def rename(self, conversation_id: str, title: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete(self, conversation_id: str) -> bool:
        with self._transaction() as db:
            db.execute(
                "DELETE FROM parts WHERE message_id IN "
                "(SELECT id FROM messages WHERE conversation_id = ?)",
                (conversation_id,),
            )
            # Each message is its next one's parent: deleted, each would take the next with
            # it, one inside the other, deeper than SQLite lets triggers go (1,000 levels).
            db.execute(
                "UPDATE messages SET parent_id = NULL "
                "WHERE conversation_id = ? AND parent_id IS NOT NULL",
                (conversation_id,),
            )
            cursor = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            return cursor.rowcount > 0

    def save_draft(self, conversation_id: str, text: str | None) -> bool:
        """Keep the prompt left unsent in a saved conversation (None forgets it); False when
        the conversation is not saved."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE conversations SET draft = ? WHERE id = ?", (text or None, conversation_id)
            )
            return cursor.rowcount > 0

    # Reading -----------------------------------------------------------------------------

    def load(self, conversation_id: str) -> Conversation | None:
        db = self.connection
        row = db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            return None
        conversation = Conversation(
            model=row["model"],
            system_prompt=row["system_prompt"],
            title=row["title"],
            id=row["id"],
            created=row["created"],
            draft=row["draft"] or "",
        )
        conversation.apply_settings(_json_or_none(row["settings"]))
        messages = db.execute(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY position, created",
            (conversation_id,),
        ).fetchall()
        parts: dict[str, list] = {}
        for part in db.execute(
            "SELECT p.message_id, p.kind, p.text, p.data FROM parts AS p "
            "JOIN messages AS m ON m.id = p.message_id WHERE m.conversation_id = ? "
            "ORDER BY p.message_id, p.position",
            (conversation_id,),
        ):
            parts.setdefault(part["message_id"], []).append(
                decode_part(part["kind"], part["text"], json.loads(part["data"]))
            )
        by_id = {
            message_row["id"]: Message(
                role=message_row["role"],
                parts=parts.get(message_row["id"], []),
                id=message_row["id"],
                created=message_row["created"],
                status=MessageStatus(message_row["status"]),
                model=message_row["model"],
                provider=message_row["provider"],
                generation_id=message_row["generation_id"],
                usage=usage_from_row(message_row),
                finish_reason=message_row["finish_reason"],
                time_to_first_token=message_row["time_to_first_token"],
                duration=message_row["duration"],
                parent_id=message_row["parent_id"],
            )
            for message_row in messages
        }
        conversation.messages = _branch_to(by_id, row["leaf_id"])
        shown = {id(message) for message in conversation.messages}
        conversation.other_branches = [
            message for message in by_id.values() if id(message) not in shown
        ]
        return conversation

    def find_id(self, prefix: str) -> str:
        """The id of the one conversation whose id starts with `prefix`. Raises LookupError
        with a message for the user when there is none or more than one."""
        prefix = prefix.strip().lower()
        if not prefix or not all(c in "0123456789abcdef" for c in prefix):
            raise LookupError(f"{prefix!r} is not a conversation id (see: rill history list)")
        rows = self.connection.execute(
            "SELECT id FROM conversations WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
        ).fetchall()
        if not rows:
            raise LookupError(
                f"no conversation has an id starting with {prefix!r} (see: rill history list)"
            )
        if len(rows) > 1:
            raise LookupError(
                f"more than one conversation has an id starting with {prefix!r}; give more of it"
            )
        return rows[0]["id"]

    def latest_id(self) -> str | None:
        row = self.connection.execute(
            "SELECT id FROM conversations ORDER BY updated DESC LIMIT 1"
        ).fetchone()
        return row["id"] if row else None

    def recent(self, *, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        """Conversations, most recently updated first."""
        rows = self.connection.execute(
            "SELECT c.id, c.title, c.model, c.updated, "
            "  (SELECT count(*) FROM messages AS m WHERE m.conversation_id = c.id) AS message_count, "
            "  (SELECT coalesce(sum(m.cost), 0) FROM messages AS m "
            "   WHERE m.conversation_id = c.id) AS cost "
            "FROM conversations AS c ORDER BY c.updated DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [
            ConversationSummary(
                row["id"],
                row["title"],
                row["model"],
                row["updated"],
                row["message_count"],
                row["cost"],
            )
            for row in rows
        ]

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Hits for whatever the user typed: titles first, then the newest passages. Never an
        error for odd input. Newest-first lets SQLite stop after `limit` hits instead of
        ranking every match, which keeps common words fast in a big history."""
        queries = self._queries(query)
        if queries is None:
            return []
        rows = self._title_rows(queries, limit)
        if len(rows) < limit and queries.passages is not None:
            rows += self._passage_rows(queries.passages, limit - len(rows))
        return self._hits(rows)

    def search_by_conversation(self, query: str, *, limit: int = 50) -> list[SearchGroup]:
        """The hits of `search`, grouped by conversation in the order their first hit came
        (titles first, then the newest passages), each with its count of every match."""
        queries = self._queries(query)
        if queries is None or queries.any is None:
            return []
        rows = self._title_rows(queries, limit)
        # The index cannot count by conversation: count over the newest matches only, so a
        # common word costs the same few milliseconds per keystroke in any size of history.
        # The same read gives the newest passages, with snippets for those shown only.
        wanted = limit - len(rows)
        self._snippets_left = wanted
        newest = self.connection.execute(
            "SELECT rowid, conversation_id, message_id, kind, "
            f"  CASE WHEN rowid < 0 THEN NULL WHEN rill_snippet_wanted() THEN {_SNIPPET} END "
            "  AS snippet "
            "FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?",
            (queries.any, COUNTED_MATCHES),
        ).fetchall()
        passages = [row for row in newest if row["rowid"] > 0][:wanted]
        if any(row["snippet"] is None for row in passages):  # not read in order after all
            passages = self._passage_rows(queries.any, wanted)
        hits = self._hits(rows + passages)
        grouped: dict[str, list[SearchHit]] = {}
        for hit in hits:
            grouped.setdefault(hit.conversation_id, []).append(hit)
        if not grouped:
            return []
        counts = Counter(row["conversation_id"] for row in newest)
        more_hits = len(newest) == COUNTED_MATCHES or queries.partial
        updated = dict(
            self.connection.execute(
                "SELECT id, updated FROM conversations "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(grouped)),),
            ).fetchall()
        )
        return [
            SearchGroup(
                conversation_id,
                group[0].title,
                updated.get(conversation_id, 0.0),
                max(counts[conversation_id], len(group)),
                tuple(group),
                more_hits,
            )
            for conversation_id, group in grouped.items()
        ]

    def _snippet_wanted(self) -> bool:
        self._snippets_left -= 1
        return self._snippets_left >= 0

    def _title_rows(self, queries: _Queries, limit: int) -> list[sqlite3.Row]:
        if queries.titles is None:
            return []
        return self.connection.execute(
            f"SELECT conversation_id, message_id, kind, {_SNIPPET} AS snippet FROM search "
            "WHERE search MATCH ? AND rowid < 0 ORDER BY rowid ASC LIMIT ?",
            (queries.titles, limit),
        ).fetchall()

    def _passage_rows(self, match: str, limit: int) -> list[sqlite3.Row]:
        return self.connection.execute(
            f"SELECT conversation_id, message_id, kind, {_SNIPPET} AS snippet FROM search "
            "WHERE search MATCH ? AND rowid > 0 ORDER BY rowid DESC LIMIT ?",
            (match, limit),
        ).fetchall()

    def _hits(self, rows: list[sqlite3.Row]) -> list[SearchHit]:
        """Search rows as hits, with the title of each one's conversation and the role of
        its message, read for these rows only."""
        db = self.connection
        titles = dict(
            db.execute(
                "SELECT id, title FROM conversations WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([row["conversation_id"] for row in rows]),),
            ).fetchall()
        )
        roles = dict(
            db.execute(
                "SELECT id, role FROM messages WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([row["message_id"] for row in rows if row["message_id"]]),),
            ).fetchall()
        )
        return [
            SearchHit(
                row["conversation_id"],
                row["message_id"],
                row["kind"],
                row["snippet"],
                titles[row["conversation_id"]],
                roles.get(row["message_id"]),
            )
            for row in rows
            if row["conversation_id"] in titles
        ]

    def _queries(self, text: str) -> _Queries | None:
        """`text` as FTS5 queries for titles, for passages and for both (None where none can
        match; None for all when there are no words). The last word may be the start of
        one: when it is plain ASCII, it is spelled out as the words of the index it may
        become, which FTS5 reads lazily, newest first, where a prefix query ("mod"*) reads
        every match of every such word in the whole history before it returns one."""
        words = _WORD.findall(text)
        if not words:
            return None
        last = words[-1].lower()
        spelled = self._spelled_out(last) if _PLAIN.fullmatch(last) else None
        if spelled is None:
            prefix_query = fts_query(text)
            return _Queries(prefix_query, prefix_query, prefix_query, partial=False)
        head = [_quoted(word) for word in words[:-1]]

        def match(terms: list[str]) -> str | None:
            if not terms:
                return None
            either = terms[0] if len(terms) == 1 else f"({' OR '.join(terms)})"
            return " AND ".join([*head, either])

        titles, passages, either, partial = spelled
        return _Queries(match(titles), match(passages), match(either), partial)

    def _spelled_out(self, prefix: str) -> tuple[list[str], list[str], list[str], bool] | None:
        """The words of the index that start with `prefix`, quoted for FTS5: those in titles,
        those in passages, all of them, and whether they are only the commonest (when more
        than `SPELLED_OUT` start with it). None when the prefix query costs little."""
        bounds = (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))
        within = "FROM search_words WHERE word >= ? AND word < ?"
        rows = self.connection.execute(
            f"SELECT word, passages, titles {within} LIMIT ?", (*bounds, SPELLED_OUT + 1)
        ).fetchall()
        partial = len(rows) > SPELLED_OUT
        if partial:
            # Titles and passages share one index: a prefix query reads the rows of both.
            (held,) = self.connection.execute(
                f"SELECT sum(passages + titles) {within}", bounds
            ).fetchone()
            if held <= CHEAP_PREFIX_ROWS:
                return None
            rows = self.connection.execute(
                f"SELECT word, passages, 0 {within} ORDER BY passages + titles DESC LIMIT ?",
                (*bounds, COMMONEST),
            ).fetchall()
            rows += self.connection.execute(
                f"SELECT word, 0, titles {within} ORDER BY titles DESC LIMIT ?",
                (*bounds, COMMONEST),
            ).fetchall()
        titles = {row[0] for row in rows if row[2]}
        passages = {row[0] for row in rows if row[1]}
        return (
            [_quoted(word) for word in sorted(titles)],
            [_quoted(word) for word in sorted(passages)],
            [_quoted(word) for word in sorted(titles | passages)],
            partial,
        )

    def recent_models(self, limit: int = 5) -> list[str]:
        """The models of the most recently updated conversations, newest first, once each."""
        rows = self.connection.execute(
            "SELECT model FROM conversations GROUP BY model ORDER BY max(updated) DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [row["model"] for row in rows]

    def count(self) -> int:
        return self.connection.execute("SELECT count(*) FROM conversations").fetchone()[0]


COUNTED_MATCHES = 2_000
"""Matches counted for the hit counts of a search, newest first."""
SPELLED_OUT = 200
"""Most words of the index a word typed half-way is spelled out as. Each costs FTS5 a look-up
in every segment of the index, in each query that uses it: some 40 microseconds in a history
of 100,000 conversations (25 segments), so 200 words cost a grouped search about 20 ms."""
COMMONEST = 50
"""When more words than `SPELLED_OUT` start with a word typed half-way (one or two letters
usually), the commonest in passages and the commonest in titles stand for them all, unless
they are so rare that the prefix query is cheap (`CHEAP_PREFIX_ROWS`). The hits are then
the newest with those words, and the counts say there may be more."""
CHEAP_PREFIX_ROWS = 50_000
"""Rows holding the words that start with a word typed half-way below which a prefix query,
which reads all of them, takes a few milliseconds."""

_WORD = re.compile(r"\w+", re.UNICODE)
_PLAIN = re.compile(r"[0-9a-z]+")
"""A word the tokenizer keeps as it is (once lowercased): one token, no diacritics to fold."""
_SNIPPET = f"snippet(search, 0, '{MATCH_START}', '{MATCH_END}', '…', 12)"


@dataclass(frozen=True, slots=True)
class _Queries:
    """What the user typed as FTS5 queries, for each kind of row (None: none can match)."""

    titles: str | None
    passages: str | None
    any: str | None
    partial: bool
    """A word typed half-way stands for only the commonest words it may become."""


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _json_or_none(text: str | None) -> object:
    try:
        return json.loads(text or "null")
    except ValueError:
        return None


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: every word must appear, the last one may be the
    start of a word. FTS5 syntax in the input (quotes, AND, parentheses, *) is just text."""
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _branch_to(by_id: dict[str, Message], leaf_id: str | None) -> list[Message]:
    """The branch from the first message to `leaf_id` (or, when that is unknown, to the newest
    message)."""
    leaf = by_id.get(leaf_id) if leaf_id else None
    if leaf is None and by_id:
        leaf = max(by_id.values(), key=lambda message: message.created)
    branch: list[Message] = []
    while leaf is not None and len(branch) <= len(by_id):
        branch.append(leaf)
        leaf = by_id.get(leaf.parent_id) if leaf.parent_id else None
    branch.reverse()
    return branch


def _give_free_ids(db: sqlite3.Connection, conversation: Conversation) -> int:
    """Give a new id to each message of `conversation` whose id the history holds already,
    or an earlier message of it has; branches point at the new ids. Returns how many."""
    messages = [*conversation.messages, *conversation.other_branches]
    taken = {
        row[0]
        for row in db.execute(
            "SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([message.id for message in messages]),),
        )
    }
    seen: set[str] = set()
    moved: dict[str, str] = {}
    """Old id to new, for the first message that had it: the one a branch follows."""
    renamed = 0
    for message in messages:
        old = message.id
        if old in taken or old in seen:
            message.id = new_id()
            renamed += 1
            if old not in seen:
                moved[old] = message.id
        seen.update((old, message.id))
    for message in conversation.other_branches:
        if message.parent_id in moved:
            message.parent_id = moved[message.parent_id]
    return renamed
