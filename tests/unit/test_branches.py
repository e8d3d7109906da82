"""Branches: a retried reply or an edited prompt keeps what it replaced, and either can be
shown again; the history remembers which was shown."""

from __future__ import annotations

from rillchat.chat.conversation import Conversation, Message, TextPart
from rillchat.store.db import open_database
from rillchat.store.history import History


def reply(text: str, created: float) -> Message:
    return Message(role="assistant", parts=[TextPart(text)], created=created)


def prompt(text: str, created: float) -> Message:
    message = Message.user(text)
    message.created = created
    return message


def conversation_with_a_retry_and_an_edit() -> Conversation:
    """Q1 → A1 → Q2 → A2, then A2 retried (A2b), then Q2 edited (Q2b → A3)."""
    conversation = Conversation(model="demo/auto")
    conversation.messages += [prompt("Q1", 1), reply("A1", 2), prompt("Q2", 3), reply("A2", 4)]
    conversation.branch_off(3)
    conversation.messages.append(reply("A2b", 5))
    conversation.branch_off(2)
    conversation.messages += [prompt("Q2b", 6), reply("A3", 7)]
    return conversation


def texts(messages):
    return [message.text for message in messages]


def test_branching_off_keeps_the_old_continuation_with_its_parent():
    conversation = conversation_with_a_retry_and_an_edit()
    assert texts(conversation.messages) == ["Q1", "A1", "Q2b", "A3"]
    assert sorted(texts(conversation.other_branches)) == ["A2", "A2b", "Q2"]
    a1 = conversation.messages[1].id
    assert {m.text: m.parent_id for m in conversation.other_branches}["Q2"] == a1
    assert texts(conversation.alternatives(2)) == ["Q2", "Q2b"]
    assert texts(conversation.alternatives(1)) == ["A1"]


def test_switching_shows_the_newest_continuation_of_the_chosen_branch():
    conversation = conversation_with_a_retry_and_an_edit()
    old_prompt = conversation.alternatives(2)[0]
    assert conversation.switch_to(old_prompt) == 2
    assert texts(conversation.messages) == ["Q1", "A1", "Q2", "A2b"]
    assert sorted(texts(conversation.other_branches)) == ["A2", "A3", "Q2b"]
    assert texts(conversation.alternatives(3)) == ["A2", "A2b"]

    conversation.switch_to(conversation.alternatives(3)[0])
    assert texts(conversation.messages) == ["Q1", "A1", "Q2", "A2"]
    assert len(conversation.other_branches) == 3


def test_the_history_keeps_every_branch_and_reopens_on_the_one_shown(tmp_path):
    history = History(open_database(tmp_path / "h.sqlite3"))
    conversation = conversation_with_a_retry_and_an_edit()
    history.save_all(conversation)
    conversation.switch_to(conversation.alternatives(2)[0])
    history.save_conversation(conversation)

    loaded = history.load(conversation.id)
    assert texts(loaded.messages) == ["Q1", "A1", "Q2", "A2b"]
    assert sorted(texts(loaded.other_branches)) == ["A2", "A3", "Q2b"]
    assert history.recent()[0].message_count == 7
    hit = history.search("A3")[0]
    assert loaded.message_by_id(hit.message_id).text == "A3"


def test_messages_saved_one_by_one_while_chatting_keep_their_branches(tmp_path):
    history = History(open_database(tmp_path / "h.sqlite3"))
    conversation = Conversation(model="demo/auto")
    for message in [prompt("Q1", 1), reply("A1", 2)]:
        conversation.messages.append(message)
        history.save_message(conversation, message)
    conversation.branch_off(1)
    retried = reply("A1b", 3)
    conversation.messages.append(retried)
    history.save_message(conversation, retried)

    loaded = history.load(conversation.id)
    assert texts(loaded.messages) == ["Q1", "A1b"]
    assert texts(loaded.other_branches) == ["A1"]
    assert loaded.other_branches[0].parent_id == loaded.messages[0].id
