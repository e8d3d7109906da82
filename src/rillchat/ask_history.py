"""Where `rill ask` keeps its exchange."""

from __future__ import annotations

import argparse
import sqlite3
from typing import TYPE_CHECKING, TextIO

from rillchat.chat.conversation import Conversation, Message, title_from_prompt
from rillchat.cli_errors import UsageError

if TYPE_CHECKING:
    from rillchat.store.history import History
    from rillchat.store.recorder import Recorder


class AskHistory:
    """Where `rill ask` keeps its exchange: the history, unless told not to or it cannot be
    opened (then it says so once and the answer still comes)."""

    def __init__(self, recorder: Recorder | None, history: History | None) -> None:
        self._recorder = recorder
        self._history = history

    @classmethod
    def open(cls, stderr: TextIO, *, save: bool, needed: bool) -> AskHistory:
        if not save and not needed:
            return cls(None, None)
        from rillchat.store.db import StoreError, default_path, open_database
        from rillchat.store.history import History
        from rillchat.store.recorder import Recorder
        from rillchat.store.writers import WriterLease, leases_folder

        try:
            path = default_path()
            history = History(open_database(path), writer=WriterLease(leases_folder(path)))
        except (StoreError, sqlite3.Error, OSError) as exc:
            if needed:
                raise UsageError(f"cannot continue: {exc}") from exc
            print(f"rill: not saving this exchange: {exc}", file=stderr)
            return cls(None, None)

        def report(text: str) -> None:
            print(f"rill: {text}", file=stderr)

        recorder = Recorder(history, on_error=report) if save else None
        return cls(recorder, history)

    def conversation(self, args: argparse.Namespace, model: str) -> Conversation:
        if not args.continue_latest:
            return Conversation(model=model, system_prompt=args.system)
        latest = self._history.latest_id() if self._history is not None else None
        conversation = self._history.load(latest) if latest else None
        if conversation is None:
            raise UsageError("there is no saved conversation to continue yet")
        if args.model:
            conversation.model = args.model
        if args.system:
            conversation.system_prompt = args.system
        return conversation

    def save(self, conversation: Conversation, message: Message, *, now: bool) -> None:
        if self._recorder is None:
            return
        if conversation.title is None and message.role == "user":
            conversation.title = title_from_prompt(message.text)
        if now:
            self._recorder.save(conversation, message)
        else:
            self._recorder.progress(conversation, message)

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
