"""Deleting a conversation, however long."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation, Message
from rillchat.store.db import open_database
from rillchat.store.history import History


def test_a_conversation_of_thousands_of_messages_can_be_deleted(tmp_path):
    """Its messages each point at the one before: deleting them cascaded one message into the
    next, and past 1,000 SQLite refused ("too many levels of trigger recursion")."""
    history = History(open_database(tmp_path / "history.sqlite3"))
    conversation = Conversation(model="demo/auto", title="A long session")
    conversation.messages += [Message.user(f"message {n}") for n in range(1_500)]
    history.save_all(conversation)
    kept = Conversation(model="demo/auto", title="Kept")
    kept.messages += [Message.user("first"), Message.user("second")]
    history.save_all(kept)

    assert history.delete(conversation.id)
    assert history.load(conversation.id) is None and not history.search("message")
    count = history.connection.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert count == 2 and history.load(kept.id).messages[1].parent_id == kept.messages[0].id
