"""`rill history`: list, show, search, export, import and delete saved conversations."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rillchat.cli import exit_codes
from rillchat.terminal_text import one_line

if TYPE_CHECKING:
    from rillchat.store.history import History

SHORT_ID = 8


def format_cost_lazily(cost: float) -> str:
    from rillchat.chat.summary import format_cost  # kept out of `rill --version`'s imports

    return format_cost(cost)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "history",
        help="list, search, show, export, import, delete saved conversations",
        description="Saved conversations. IDs may be shortened to any "
        "unique start, as `rill history list` shows them.",
    )
    actions = parser.add_subparsers(dest="history_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="newest first")
    listing.add_argument("-n", "--limit", type=int, default=50, help="how many (default: 50)")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    show = actions.add_parser("show", help="a conversation as Markdown")
    show.add_argument("id")
    search = actions.add_parser("search", help="words in titles, replies, reasoning and tools")
    search.add_argument("query", nargs="+")
    export = actions.add_parser("export", help="a conversation as Markdown or Rill JSON")
    export.add_argument("id")
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        help="file to write (default: stdout); an existing file is refused unless --force",
    )
    export.add_argument(
        "--force", action="store_true", help="overwrite the --output file when it already exists"
    )
    importing = actions.add_parser("import", help="a conversation exported as Rill JSON")
    importing.add_argument("file", type=Path)
    delete = actions.add_parser("delete", help="a conversation, for good")
    delete.add_argument("id")
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask")


def run_history(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    # The store is imported here, not at the top: `rill --version` should not pay for it.
    import sqlite3

    from rillchat.store.db import StoreError, default_path, open_database
    from rillchat.store.history import History

    try:
        history = History(open_database())
    except StoreError as exc:
        print(f"rill: {exc}", file=stderr)
        return exit_codes.USAGE
    except OSError as exc:  # the data folder cannot be made: a file in its place, no rights
        from rillchat.redaction import mask_secrets

        print(
            mask_secrets(
                f"rill: cannot use the data folder {default_path().parent}: "
                f"{exc.strerror or exc}. Set RILL_DATA_DIR to a folder of yours."
            ),
            file=stderr,
        )
        return exit_codes.USAGE
    except sqlite3.Error as exc:
        return _cannot_write(exc, default_path(), stderr)
    try:
        return _ACTIONS[args.history_action](history, args, stdin, stdout, stderr)
    except LookupError as exc:
        print(f"rill: {exc.args[0]}", file=stderr)
        return exit_codes.USAGE
    except sqlite3.Error as exc:
        return _cannot_write(exc, default_path(), stderr)
    finally:
        history.connection.close()


def _cannot_write(exc, database: Path, stderr: TextIO) -> int:
    """The history said no (another program holds its lock, the disk is full): say why, and
    that nothing changed, since each change is one transaction."""
    from rillchat.store.problems import ProblemKind, diagnose

    problem = diagnose(exc, database)
    advice = (
        "Try again once that program is done."
        if problem.kind is ProblemKind.BUSY
        else f"{problem.advice} Then try again."
    )
    print(f"rill: {problem.reason}; nothing was changed. {advice}", file=stderr)
    return exit_codes.NOT_SAVED


def _list(history: History, args, stdin, stdout, stderr) -> int:
    summaries = history.recent(limit=max(1, args.limit))
    for summary in summaries:
        if args.json:
            print(
                json.dumps(
                    {
                        "id": summary.id,
                        "title": summary.title,
                        "model": summary.model,
                        "updated": summary.updated,
                        "messages": summary.message_count,
                        "cost": summary.cost,
                    },
                    ensure_ascii=False,
                ),
                file=stdout,
            )
            continue
        when = dt.datetime.fromtimestamp(summary.updated).strftime("%Y-%m-%d %H:%M")
        print(
            f"{summary.id[:SHORT_ID]}  {when}  {summary.message_count:>4} msgs  "
            f"{format_cost_lazily(summary.cost):>9}  {one_line(summary.model)[:28]:<28}  "
            f"{one_line(summary.title or '(untitled)')}",
            file=stdout,
        )
    if not summaries and not args.json:
        print("No saved conversations yet.", file=stderr)
    return exit_codes.OK


def _show(history: History, args, stdin, stdout, stderr) -> int:
    from rillchat.store.export import to_markdown

    conversation = history.load(history.find_id(args.id))
    assert conversation is not None
    stdout.write(to_markdown(conversation))
    return exit_codes.OK


def _search(history: History, args, stdin, stdout, stderr) -> int:
    from rillchat.dates import dated_labels, hits_label

    groups = history.search_by_conversation(" ".join(args.query))
    bold, plain = ("\x1b[1m", "\x1b[22m") if stdout.isatty() else ("", "")
    dates = dated_labels([group.updated for group in groups])
    for number, (group, date) in enumerate(zip(groups, dates, strict=True)):
        if number:
            print(file=stdout)  # a blank line between conversations
        print(
            f"{group.conversation_id[:SHORT_ID]}  {bold}"
            f"{one_line(group.title or '(untitled)')}{plain} · "
            f"{hits_label(group.hit_count, more=group.more_hits)} · {date}",
            file=stdout,
        )
        for hit in group.hits:
            snippet = "".join(
                f"{bold}{text}{plain}" if matched else text
                for text, matched in hit.snippet_pieces()
            )
            print(f"  in {hit.where:<11}  {snippet}", file=stdout)
    if not groups:
        print("No matches.", file=stderr)
    return exit_codes.OK


def _export(history: History, args, stdin, stdout, stderr) -> int:
    from rillchat.store.export import to_json, to_markdown

    conversation = history.load(history.find_id(args.id))
    assert conversation is not None
    text = to_json(conversation) + "\n" if args.format == "json" else to_markdown(conversation)
    if args.output is None:
        stdout.write(text)
        return exit_codes.OK
    try:
        with args.output.open("w" if args.force else "x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        print(
            f"rill: {args.output} already exists and was left as it is; pass --force to "
            "overwrite it, or choose another file with -o.",
            file=stderr,
        )
        return exit_codes.USAGE
    except OSError as exc:
        print(f"rill: cannot write {args.output}: {exc.strerror}", file=stderr)
        return exit_codes.USAGE
    print(f"rill: wrote {args.output}", file=stderr)
    return exit_codes.OK


def _import(history: History, args, stdin, stdout, stderr) -> int:
    from rillchat.store.export import NotAConversation, from_json

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        print(f"rill: cannot read {args.file}: {reason}", file=stderr)
        return exit_codes.USAGE
    try:
        conversation = from_json(text)
    except NotAConversation as exc:
        print(f"rill: {args.file}: {exc}; nothing was imported", file=stderr)
        return exit_codes.USAGE
    imported = history.import_conversation(conversation)
    if imported.clashing_id is not None:
        print(
            f"rill: conversation {imported.clashing_id[:SHORT_ID]} is already in the history "
            f"and stays as it is; the file was imported as a new conversation, "
            f"{imported.conversation_id[:SHORT_ID]}",
            file=stderr,
        )
    elif imported.renamed_messages:
        count = imported.renamed_messages
        print(
            f"rill: {count} message{'s' if count > 1 else ''} in the file had an id already "
            f"in the history, and got {'new ones' if count > 1 else 'a new one'}; no other "
            "conversation was changed",
            file=stderr,
        )
    if imported.dropped_grants:
        names = ", ".join(one_line(name) for name in imported.dropped_grants)
        print(
            f"rill: the file allowed {names} for the whole conversation; approvals are not "
            "imported, so each call of "
            f"{'them' if len(imported.dropped_grants) > 1 else 'it'} asks again",
            file=stderr,
        )
    print(
        f"{imported.conversation_id[:SHORT_ID]}  {one_line(conversation.title or '(untitled)')}",
        file=stdout,
    )
    return exit_codes.OK


def _delete(history: History, args, stdin, stdout, stderr) -> int:
    conversation_id = history.find_id(args.id)
    conversation = history.load(conversation_id)
    assert conversation is not None
    title = one_line(conversation.title or "(untitled)")
    if not args.yes:
        if not stdin.isatty():
            print("rill: add --yes to delete without a terminal to confirm in", file=stderr)
            return exit_codes.USAGE
        print(
            f"Delete {title!r} ({len(conversation.messages)} messages) for good? [y/N] ",
            end="",
            file=stderr,
            flush=True,
        )
        if stdin.readline().strip().lower() not in ("y", "yes"):
            print("rill: kept", file=stderr)
            return exit_codes.OK
    history.delete(conversation_id)
    print(f"rill: deleted {conversation_id[:SHORT_ID]} {title}", file=stderr)
    return exit_codes.OK


_ACTIONS = {
    "list": _list,
    "show": _show,
    "search": _search,
    "export": _export,
    "import": _import,
    "delete": _delete,
}
