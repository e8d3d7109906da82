"""The history screen: every saved conversation, newest first, and search over all of them."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import replace

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from rillchat.chat.summary import format_cost
from rillchat.dates import dated_labels, hits_label
from rillchat.line_fit import ellipsized
from rillchat.store.history import ConversationSummary, SearchGroup, SearchHit
from rillchat.store.problems import ProblemKind, diagnose
from rillchat.store.recorder import Recorder
from rillchat.terminal_text import one_line
from rillchat.ui.host import ConversationDeleted, ConversationRenamed, host_of
from rillchat.ui.opened import Opened
from rillchat.ui.screens.dialogs import ConfirmDialog, ExportDialog, RenameDialog
from rillchat.ui.widgets.keys_footer import KeysFooter

PAGE = 200
"""Conversations read at a time; the next page is read as the cursor nears the end."""
SEARCH_DELAY = 0.12
"""Seconds of quiet typing before searching: each key does not need its own search."""


def export_name(summary_title: str | None, conversation_id: str) -> str:
    words = re.sub(r"[^\w]+", "-", one_line(summary_title or "conversation").lower()).strip("-")
    return f"rill-{words[:40].rstrip('-') or 'conversation'}-{conversation_id[:8]}"


class HistoryScreen(Screen[Opened | None]):
    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    #history-bar { height: 1; padding: 0 2; background: $panel; color: $text-muted; }
    #search { margin: 0 1; }
    #conversations { height: 1fr; margin: 0 1; }
    #hits { height: 1fr; margin: 0 1; display: none; }
    /* A conversation's heading is not a place to stop, but it is read like one. */
    #hits > .option-list--option-disabled { color: $text; }
    #nothing { height: auto; padding: 1 2; color: $text-muted; display: none; }
    HistoryScreen.-searching #conversations { display: none; }
    HistoryScreen.-searching #hits { display: block; }
    HistoryScreen.-empty #nothing { display: block; }
    HistoryScreen.-empty #hits, HistoryScreen.-empty #conversations { display: none; }
    """

    BINDINGS = [
        # Priority, so the search box does not take them (and the footer keeps this order).
        Binding("enter", "open", "Open", priority=True),
        Binding("f2", "rename", "Rename", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+d", "delete", "Delete", priority=True),
        Binding("escape", "back", "Back", priority=True),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
    ]

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.history = recorder.history
        """Read here: in WAL mode another program's lock does not hold up reading."""
        self._recorder = recorder
        """Changes (rename, delete) go through the history's thread, never waited on here."""
        self._summaries: list[ConversationSummary] = []
        self._all_read = False
        self.hits: list[SearchHit] = []
        """Every hit shown, in the order shown."""
        self.groups: list[SearchGroup] = []
        """The same hits under their conversations."""
        self._hit_options: list[int] = []
        """Where each of `hits` is in the list, below its conversation's heading."""
        self._query = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="history-bar", markup=False)
        search = Input(
            placeholder="Search every title, prompt, reply, reasoning and tool call", id="search"
        )
        search.cursor_blink = getattr(self.app, "cursor_blink", True)
        yield search
        yield DataTable(id="conversations", cursor_type="row", zebra_stripes=True)
        yield OptionList(id="hits")
        yield Static("", id="nothing", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # Margins, scrollbar and each column's padding take 14 cells; the last three 32.
        shared = max(30, self.app.size.width - 14 - 32)
        model_width = min(28, max(12, shared * 35 // 100))
        self._title_width, self._model_width = shared - model_width, model_width
        table.add_column("Title", width=self._title_width, key="title")
        table.add_column("Model", width=model_width, key="model")
        table.add_column("Updated", width=19, key="updated")
        table.add_column("Msgs", width=4, key="messages")
        table.add_column("Cost", width=9, key="cost")
        self._read_more()
        self._show_count()
        self.query_one("#search", Input).focus()

    # The list ----------------------------------------------------------------------------

    def _read_more(self) -> None:
        if self._all_read:
            return
        try:
            page = self.history.recent(limit=PAGE, offset=len(self._summaries))
        except sqlite3.Error as exc:
            self.notify(f"Could not read the history ({exc}).", severity="error", markup=False)
            page = []
        self._all_read = len(page) < PAGE
        shown_before = len(self._summaries)
        self._summaries += page
        table = self.query_one(DataTable)
        dates = dated_labels([summary.updated for summary in self._summaries])
        for summary, date in zip(self._summaries[:shown_before], dates, strict=False):
            # A new page can put a second conversation on a date the last page ended with.
            if str(table.get_cell(summary.id, "updated")) != date:
                table.update_cell(summary.id, "updated", date)
        for summary, date in zip(page, dates[shown_before:], strict=True):
            table.add_row(*self._cells(summary, date), key=summary.id)
        self._show_empty_state()

    def _cells(self, summary: ConversationSummary, date: str) -> tuple[Text | str, ...]:
        # Text, not str: DataTable reads a str cell as markup, and a title is whatever the
        # first prompt (or an imported file) said.
        return (
            self._title_cell(summary.title or "(untitled)"),
            _plain(fitted_model_id(summary.model, self._model_width)),
            date,
            str(summary.message_count),
            format_cost(summary.cost) if summary.cost else "",
        )

    def _title_cell(self, title: str) -> Text:
        return _plain(ellipsized(one_line(title), self._title_width))

    def _show_count(self) -> None:
        count = self.history.count()
        self.query_one("#history-bar", Static).update(
            f"History  ·  {count:,} conversation{'' if count == 1 else 's'}"
        )

    def _show_empty_state(self) -> None:
        nothing = self.query_one("#nothing", Static)
        if self._query:
            empty = not self.hits
            nothing.update(
                f"No matches for “{one_line(self._query)}”. Search looks for every "
                "word (the last may be the start of one) in titles, prompts, "
                "replies, reasoning and tool calls."
            )
        else:
            empty = not self._summaries
            nothing.update("No saved conversations yet: what you write in the chat is kept here.")
        self.set_class(empty, "-empty")

    @on(DataTable.RowHighlighted)
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._summaries) - 20:
            self._read_more()

    # Search ------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(group="search", exclusive=True)
    async def _search(self, query: str) -> None:
        await asyncio.sleep(SEARCH_DELAY)
        self.run_search(query)

    def run_search(self, query: str) -> None:
        self._query = query.strip()
        self.set_class(bool(self._query), "-searching")
        hits_list = self.query_one("#hits", OptionList)
        hits_list.clear_options()
        self.groups, self.hits, self._hit_options = [], [], []
        if not self._query:
            self._show_empty_state()
            return
        try:
            self.groups = self.history.search_by_conversation(self._query)
        except sqlite3.Error as exc:
            self.notify(f"Search failed ({exc}).", severity="error", markup=False)
        options: list[Option] = []
        dates = dated_labels([group.updated for group in self.groups])
        for group, date in zip(self.groups, dates, strict=True):
            options.append(Option(self._group_heading(group, date), disabled=True))
            for hit in group.hits:
                self._hit_options.append(len(options))
                self.hits.append(hit)
                options.append(Option(self._hit_prompt(hit)))
        hits_list.add_options(options)
        if self.hits:
            hits_list.highlighted = self._hit_options[0]
        self._show_empty_state()

    def _group_heading(self, group: SearchGroup, date: str) -> Content:
        return Content.assemble(
            (one_line(group.title or "(untitled)"), "bold"),
            (f"  ·  {hits_label(group.hit_count, more=group.more_hits)}  ·  {date}", "dim"),
        )

    def _hit_prompt(self, hit: SearchHit) -> Content:
        snippet = Content.assemble(
            *[
                (text, "bold reverse") if matched else text
                for text, matched in hit.snippet_pieces()
            ]
        )
        return Content.assemble(("  in ", "dim"), (hit.where, "dim"), "\n    ", snippet)

    def _highlighted_hit(self) -> int | None:
        """Which of `hits` the cursor is on."""
        option = self.query_one("#hits", OptionList).highlighted
        if option is None or option not in self._hit_options:
            return None
        return self._hit_options.index(option)

    # Choosing ----------------------------------------------------------------------------

    def _chosen(self) -> tuple[str, SearchHit | None] | None:
        """The conversation under the cursor (and the hit, when searching)."""
        if self._query:
            index = self._highlighted_hit()
            if index is None:
                return None
            hit = self.hits[index]
            return hit.conversation_id, hit
        table = self.query_one(DataTable)
        if not self._summaries or table.cursor_row >= len(self._summaries):
            return None
        return self._summaries[table.cursor_row].id, None

    def _chosen_id(self) -> str | None:
        chosen = self._chosen()
        if chosen is None:
            self.notify("No conversation is selected.", severity="warning", timeout=3)
            return None
        return chosen[0]

    def action_move(self, step: int) -> None:
        if self._query:
            if self.hits:
                current = self._highlighted_hit() or 0
                index = max(0, min(len(self.hits) - 1, current + step))
                self.query_one("#hits", OptionList).highlighted = self._hit_options[index]
            return
        table = self.query_one(DataTable)
        if self._summaries:
            row = max(0, min(len(self._summaries) - 1, table.cursor_row + step))
            table.move_cursor(row=row)

    @on(Input.Submitted, "#search")
    @on(DataTable.RowSelected)
    @on(OptionList.OptionSelected)
    def action_open(self) -> None:
        if self._query != self.query_one("#search", Input).value.strip():
            self.run_search(self.query_one("#search", Input).value)  # Enter before the delay
        chosen = self._chosen()
        if chosen is None:
            return
        conversation_id, hit = chosen
        self.dismiss(
            Opened(conversation_id, hit.message_id if hit else None, hit.kind if hit else None)
        )

    def action_back(self) -> None:
        if self._query:
            self.query_one("#search", Input).value = ""
            self.run_search("")
            return
        self.dismiss(None)

    # Rename, export, delete --------------------------------------------------------------

    def _summary(self, conversation_id: str) -> ConversationSummary | None:
        return next(
            (summary for summary in self._summaries if summary.id == conversation_id), None
        )

    def _title_of(self, conversation_id: str) -> str:
        summary = self._summary(conversation_id)
        if summary is not None:
            return summary.title or ""
        hit = next((hit for hit in self.hits if hit.conversation_id == conversation_id), None)
        return hit.title or "" if hit else ""

    @work
    async def action_rename(self) -> None:
        conversation_id = self._chosen_id()
        if conversation_id is None:
            return
        title = await self.app.push_screen_wait(RenameDialog(self._title_of(conversation_id)))
        if title is None:
            return
        host = host_of(self)
        if host.shows_conversation(conversation_id):
            # The chat saves it, waiting out a lock as every save of it does: no save of
            # its own can then put the old title back.
            host.history_changes.publish(ConversationRenamed(conversation_id, title))
        else:
            try:
                await asyncio.wrap_future(
                    self._recorder.change(lambda history: history.rename(conversation_id, title))
                )
            except sqlite3.Error as exc:
                self.notify(
                    f"Could not rename it: {self._why(exc)}", severity="error", markup=False
                )
                return
        self._refresh_after_change(conversation_id, title=title)
        self.notify(f"Renamed to “{title}”.", markup=False, timeout=3)

    @work
    async def action_export(self) -> None:
        from rillchat.config.paths import export_folder
        from rillchat.ui.export_notice import export_and_tell

        conversation_id = self._chosen_id()
        if conversation_id is None:
            return
        suggested = export_folder() / export_name(self._title_of(conversation_id), conversation_id)
        answer = await self.app.push_screen_wait(ExportDialog(suggested))
        if answer is None:
            return
        kind, path = answer
        conversation = self.history.load(conversation_id)
        if conversation is None:
            self.notify("That conversation is gone.", severity="warning")
            return
        export_and_tell(self, conversation, kind, path)

    @work
    async def action_delete(self) -> None:
        conversation_id = self._chosen_id()
        if conversation_id is None:
            return
        title = one_line(self._title_of(conversation_id) or "(untitled)")
        confirmed = await self.app.push_screen_wait(
            ConfirmDialog(
                f"Delete “{title}”?",
                "Every message of it, with every branch, leaves the history. This cannot be "
                "undone (export it first to keep a copy).",
                confirm="Delete",
            )
        )
        if not confirmed:
            return
        if host_of(self).conversation_busy(conversation_id):
            self.notify(
                "A reply or its tool calls are still going in that conversation: stop "
                "it (Escape in the chat) before deleting it.",
                severity="warning",
            )
            return
        try:
            await asyncio.wrap_future(self._recorder.delete(conversation_id))
        except sqlite3.Error as exc:
            self.notify(f"Could not delete it: {self._why(exc)}", severity="error", markup=False)
            return
        host_of(self).history_changes.publish(ConversationDeleted(conversation_id))
        self._refresh_after_change(conversation_id, deleted=True)
        self.notify(f"Deleted “{title}”.", markup=False, timeout=3)

    def _why(self, exc: sqlite3.Error) -> str:
        problem = diagnose(exc, self._recorder.database)
        if problem.kind is ProblemKind.BUSY:
            return f"{problem.reason}. Try again once that program is done."
        return f"{problem.reason}. {problem.advice}"

    def _refresh_after_change(
        self, conversation_id: str, *, title: str | None = None, deleted: bool = False
    ) -> None:
        """Show a rename or a delete where the cursor is, without reading the list again."""
        table = self.query_one(DataTable)
        index = next((n for n, s in enumerate(self._summaries) if s.id == conversation_id), None)
        if index is not None and deleted:
            del self._summaries[index]
            table.remove_row(conversation_id)
        elif index is not None and title is not None:
            self._summaries[index] = replace(self._summaries[index], title=title)
            table.update_cell(conversation_id, "title", self._title_cell(title))
        if self._query:
            highlighted = self._highlighted_hit()
            self.run_search(self._query)
            if self.hits and highlighted is not None:
                self.query_one("#hits", OptionList).highlighted = self._hit_options[
                    min(highlighted, len(self.hits) - 1)
                ]
        self._show_count()
        self._show_empty_state()


def fitted_model_id(model: str, width: int) -> str:
    """A model id that fits `width`: whole, or without its provider ("claude-sonnet-4.5"),
    or ended with an ellipsis, never cut mid-word without a mark."""
    if cell_len(model) > width and "/" in model:
        model = model.rsplit("/", 1)[1]
    return ellipsized(model, width)


def _plain(text: str) -> Text:
    return Text(one_line(text), no_wrap=True, end="")
