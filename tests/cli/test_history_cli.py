"""`rill history` against a real database in a private data folder."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from rillchat.chat.conversation import Conversation, Message, TextPart
from rillchat.store.db import DATABASE_NAME, open_database
from rillchat.store.export import to_json
from rillchat.store.history import History
from tests.cli.test_ask import run_rill
from tests.held_lock import HeldLock
from tests.unit.test_store import full_conversation


@pytest.fixture
def data(tmp_path):
    history = History(open_database(tmp_path / DATABASE_NAME))
    conversation = full_conversation()
    history.save_all(conversation)
    history.connection.close()
    return tmp_path, conversation


def rill(folder, *args, stdin=None):
    return run_rill("history", *args, stdin=stdin, env_extra={"RILL_DATA_DIR": str(folder)})


def test_list_shows_short_ids_and_json_lists_everything(data):
    folder, conversation = data
    listed = rill(folder, "list")
    assert listed.returncode == 0
    assert listed.stdout.startswith(conversation.id[:8])
    assert "4 msgs" in listed.stdout and "$0.000420" in listed.stdout
    assert listed.stdout.rstrip().endswith("Weather in Paris")
    (line,) = rill(folder, "list", "--json").stdout.splitlines()
    assert json.loads(line)["id"] == conversation.id


def test_show_and_search_by_a_short_id(data):
    folder, conversation = data
    shown = rill(folder, "show", conversation.id[:6])
    assert shown.returncode == 0 and shown.stdout.startswith("# Weather in Paris")
    found = rill(folder, "search", "zanzibarian")
    assert found.stdout.startswith(f"{conversation.id[:8]}  Weather in Paris · 1 hit · ")
    assert "\n  in reasoning    " in found.stdout
    assert "zanzibarian" in found.stdout
    assert rill(folder, "search", '"AND (').returncode == 0
    assert rill(folder, "search", '"AND ( xyzzy*').stderr == "No matches.\n"


def test_export_then_import_elsewhere_brings_back_the_same_conversation(data, tmp_path_factory):
    folder, conversation = data
    exported = folder / "out.json"
    assert (
        rill(
            folder, "export", conversation.id[:8], "--format", "json", "-o", str(exported)
        ).returncode
        == 0
    )
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    imported = rill(elsewhere, "import", str(exported))
    assert imported.returncode == 0, imported.stderr
    history = History(open_database(elsewhere / DATABASE_NAME))
    restored = history.load(conversation.id)
    assert restored.allowed_tools == set(), "approvals stay behind (see below)"
    assert restored == replace(conversation, allowed_tools=set())
    again = rill(elsewhere, "import", str(exported))
    assert again.returncode == 0, again.stderr
    assert (
        f"conversation {conversation.id[:8]} is already in the history and stays as it "
        "is; the file was imported as a new conversation"
    ) in again.stderr
    assert history.count() == 2 and history.load(conversation.id) == restored


def test_importing_something_else_says_what_is_wrong_and_writes_nothing(data):
    folder, _ = data
    bad = folder / "notes.json"
    bad.write_text('{"hello": "world"}')
    result = rill(folder, "import", str(bad))
    assert result.returncode == 2
    assert "not a Rill conversation" in result.stderr and "nothing was imported" in result.stderr
    assert len(rill(folder, "list", "--json").stdout.splitlines()) == 1


def test_unknown_or_ambiguous_ids_are_named(data):
    folder, _ = data
    result = rill(folder, "show", "ffffffff")
    assert result.returncode == 2 and "no conversation has an id starting with" in result.stderr
    assert "is not a conversation id" in rill(folder, "show", "not-an-id").stderr


def test_delete_asks_unless_told_and_removes_for_good(data):
    folder, conversation = data
    refused = rill(folder, "delete", conversation.id[:8], stdin="y\n")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    deleted = rill(folder, "delete", conversation.id[:8], "--yes")
    assert deleted.returncode == 0 and "deleted" in deleted.stderr
    assert rill(folder, "list").stderr == "No saved conversations yet.\n"


def test_a_history_file_that_is_not_a_database_is_left_alone(tmp_path):
    (tmp_path / DATABASE_NAME).write_text("notes")
    result = rill(tmp_path, "list")
    assert result.returncode == 2 and "is not a Rill history database" in result.stderr
    assert (tmp_path / DATABASE_NAME).read_text() == "notes"


def ask(folder, *args, server=None):
    return run_rill("ask", *args, server=server, env_extra={"RILL_DATA_DIR": str(folder)})


def test_rill_ask_saves_its_exchange_and_continue_goes_on_from_it(demo_server, tmp_path):
    first = ask(tmp_path, "-m", "demo/markdown", "first question", server=demo_server)
    assert first.returncode == 0, first.stderr
    history = History(open_database(tmp_path / DATABASE_NAME))
    (summary,) = history.recent()
    assert summary.title == "first question" and summary.message_count == 2
    second = ask(tmp_path, "-c", "and a second", server=demo_server)
    assert second.returncode == 0, second.stderr
    sent = demo_server.requests[-1]["messages"]
    assert [m["content"][:12] for m in sent] == ["first questi", "# Welcome to", "and a second"]
    conversation = history.load(summary.id)
    assert [m.role for m in conversation.messages] == ["user", "assistant"] * 2
    assert conversation.model == "demo/markdown"


def test_rill_ask_no_save_keeps_nothing_and_continue_needs_something(demo_server, tmp_path):
    assert ask(tmp_path, "--no-save", "hello", server=demo_server).returncode == 0
    assert not (tmp_path / DATABASE_NAME).exists()
    result = ask(tmp_path, "-c", "hello", server=demo_server)
    assert result.returncode == 2
    assert result.stderr == "rill: there is no saved conversation to continue yet\n"


def test_a_failed_answer_is_saved_with_its_error(demo_server, tmp_path):
    result = ask(tmp_path, "-m", "demo/error-midstream", "go", server=demo_server)
    assert result.returncode == 5
    history = History(open_database(tmp_path / DATABASE_NAME))
    reply = history.load(history.latest_id()).messages[1]
    assert reply.status.value == "failed" and reply.error.code == 502
    assert reply.text.startswith("Here is the beginning")


def test_imported_approvals_are_dropped_so_the_tools_ask_again(demo_server, tmp_path):
    conversation = Conversation(model="demo/auto", title="Granted")
    conversation.messages += [
        Message.user("hello"),
        Message(role="assistant", parts=[TextPart("Hi.")]),
    ]
    conversation.allowed_tools = {"calculator", "run_anything"}
    file = tmp_path / "granted.json"
    file.write_text(to_json(conversation))
    folder = tmp_path / "data"
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('builtin_tools = ["calculator"]\n')

    imported = rill(folder, "import", str(file))
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr == (
        "rill: the file allowed calculator, run_anything for the whole "
        "conversation; approvals are not imported, so each call of "
        "them asks again\n"
    )
    assert (
        History(open_database(folder / DATABASE_NAME)).load(conversation.id).allowed_tools == set()
    )
    asked = run_rill(
        "ask",
        "-c",
        "--tools",
        "a failing tool",
        server=demo_server,
        new_session=True,
        env_extra={"RILL_DATA_DIR": str(folder), "RILL_CONFIG_DIR": str(config)},
    )
    assert asked.returncode == 0, asked.stderr
    assert "no terminal to ask for approval on, so the call is denied" in asked.stderr
    assert "allowed in this conversation" not in asked.stderr + asked.stdout


def test_an_edited_copy_of_an_export_never_changes_the_conversation_it_came_from(data):
    folder, conversation = data
    history = History(open_database(folder / DATABASE_NAME))
    conversation = history.load(conversation.id)
    conversation.branch_off(3)  # the failed reply becomes a branch after the tool result
    conversation.messages.append(Message(role="assistant", parts=[TextPart("21 degrees.")]))
    history.save_all(conversation)
    original = history.load(conversation.id)
    document = json.loads(to_json(original))
    document["conversation"]["id"] = "c0ffee" * 5 + "00"  # a copy, its messages' ids kept
    document["conversation"]["title"] = "Edited copy"
    document["conversation"]["messages"][0]["parts"][0]["text"] = "And in Lyon?"
    copy = folder / "copy.json"
    copy.write_text(json.dumps(document))

    imported = rill(folder, "import", str(copy))
    assert imported.returncode == 0, imported.stderr
    assert (
        "5 messages in the file had an id already in the history, and got new ones; no "
        "other conversation was changed"
    ) in imported.stderr
    assert history.load(conversation.id) == original
    assert [m.id for m in history.load(conversation.id).messages] == [
        m.id for m in original.messages
    ]
    edited = history.load("c0ffee" * 5 + "00")
    assert edited.title == "Edited copy" and edited.messages[0].text == "And in Lyon?"
    assert not {m.id for m in edited.messages + edited.other_branches} & {
        m.id for m in original.messages + original.other_branches
    }
    [branch] = edited.other_branches
    assert branch.parent_id == edited.messages[2].id, "the branch follows its renamed parent"
    assert branch.text == "It is 21 degrees and" and edited.messages[-1].text == "21 degrees."


def test_delete_and_import_while_another_program_holds_the_lock_say_so(data, tmp_path_factory):
    from rillchat.cli.exit_codes import NOT_SAVED

    folder, conversation = data
    exported = tmp_path_factory.mktemp("export") / "copy.json"
    assert (
        rill(
            folder, "export", conversation.id[:8], "--format", "json", "-o", str(exported)
        ).returncode
        == 0
    )
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    History(open_database(elsewhere / DATABASE_NAME)).close()
    with HeldLock(folder / DATABASE_NAME), HeldLock(elsewhere / DATABASE_NAME):
        listed = rill(folder, "list")  # reading goes on: SQLite's log lets readers in
        deleted = rill(folder, "delete", conversation.id[:8], "--yes")
        imported = rill(elsewhere, "import", str(exported))
    assert listed.returncode == 0 and conversation.id[:8] in listed.stdout
    for result in (deleted, imported):
        assert result.returncode == NOT_SAVED, result.stderr
        assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
        assert "another program" in result.stderr and "try again" in result.stderr.lower()
        assert "nothing was changed" in result.stderr
    assert rill(folder, "show", conversation.id[:8]).returncode == 0, "still there"
    assert History(open_database(elsewhere / DATABASE_NAME)).recent() == []
    assert rill(folder, "delete", conversation.id[:8], "--yes").returncode == 0, "once it goes"


def test_rill_ask_with_the_history_locked_answers_and_says_it_was_not_saved(demo_server, tmp_path):
    from rillchat.cli.exit_codes import NOT_SAVED

    History(open_database(tmp_path / DATABASE_NAME)).close()
    with HeldLock(tmp_path / DATABASE_NAME):
        result = ask(tmp_path, "-m", "demo/markdown", "hello", server=demo_server)
    assert result.stdout.startswith("# Welcome to"), "the answer is printed all the same"
    assert result.returncode == NOT_SAVED
    assert "unexpected" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "not saved" in line]
    assert "another program" in line and "try again" in line.lower()
    assert History(open_database(tmp_path / DATABASE_NAME)).recent() == []


def test_a_data_folder_that_cannot_be_made_is_named_with_what_to_do(tmp_path):
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder")
    listed = rill(in_the_way / "data", "list")
    assert listed.returncode == 2
    assert "Traceback" not in listed.stderr and "unexpected" not in listed.stderr
    assert f"cannot use the data folder {in_the_way / 'data'}" in listed.stderr
    assert "RILL_DATA_DIR" in listed.stderr
