"""Choosing a model: fuzzy search over the catalogue, prices and abilities in columns, the
user's favourite and recent models first."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from rillchat.catalogue import ModelInfo
from rillchat.config.values import model_id_problem
from rillchat.redaction import looks_like_api_key
from rillchat.terminal_text import one_line
from rillchat.ui.widgets.keys_footer import KeysFooter
from rillchat.ui.widgets.model_row import (
    FULL_PLAN,
    ColumnPlan,
    ModelRow,
    badges_text,
    plan_columns,
)

if TYPE_CHECKING:
    from rillchat.ui.host import RillHost

BEST_SHOWN = 60
"""Matches listed while typing: nobody reads past the best few dozen before typing another
letter, and each row listed is drawn."""


class MatchCount(Widget):
    """How many models match. Redrawn on every key, so it is one fixed line whose change
    needs no new layout (a Static's update always asks for one)."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Content:
        return Content(self.text)


class ModelPicker(ModalScreen[str | None]):
    """The chosen model id, or None when cancelled."""

    @property
    def host(self) -> RillHost:
        return cast("RillHost", self.app)

    DEFAULT_CSS = """
    ModelPicker { align: center top; }
    ModelPicker > Vertical {
        width: 100; max-width: 100%; height: 90%; margin-top: 1;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ModelPicker #columns { color: $text-muted; padding: 0 1; }
    ModelPicker OptionList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ModelPicker #status { color: $text-muted; height: auto; }
    ModelPicker #count { color: $text-muted; height: 1; }
    /* Always there: a scrollbar coming and going as matches change would lay the screen out
       again on every key. */
    ModelPicker OptionList { overflow-y: scroll; }
    ModelPicker #status.-warning { color: $text-warning; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "favourite", "Favourite"),
        Binding("ctrl+r", "refresh", "Refresh list"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False),
        Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, current: str, *, favourites: list[str], recent: list[str]) -> None:
        super().__init__()
        self.current = current
        self.favourites = list(favourites)
        self.recent = [model for model in recent if model not in favourites]
        self.models: list[ModelInfo] = []
        self._narrowed: tuple[str, list[ModelInfo]] = ("", [])
        """The last query typed and every model matching it."""
        self.shown: list[ModelInfo] = []
        self._note: str | None = None
        self._plan = FULL_PLAN
        """The columns the rows show, fitted to the list's width (the heading is indented by the
        list's border and padding)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            search = Input(placeholder="Type part of a model's id or name", id="filter")
            search.cursor_blink = getattr(self.app, "cursor_blink", True)
            yield search
            yield Static(Content(" " + FULL_PLAN.heading()), id="columns")
            yield OptionList(id="models")
            yield Static("Loading the model list…", id="status", markup=False)
            yield MatchCount(id="count")
            yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#filter").focus()
        self._load(refresh=False)

    @work(exclusive=True, group="catalogue")
    async def _load(self, *, refresh: bool) -> None:
        from rillchat.openrouter.models import CatalogueUnavailable, get_catalogue

        status = self.query_one("#status", Static)
        try:
            self.models, note = await get_catalogue(self.host.settings, refresh=refresh)
            self._narrowed = ("", [])
        except CatalogueUnavailable as exc:
            status.update(f"{exc} You can still type a model id and press Enter.")
            status.add_class("-warning")
            return
        self._note = note
        self.host.remember_catalogue(self.models)
        status.update(note or "")
        status.set_class(bool(note), "-warning")
        status.display = bool(note)
        self.show_matches(self.query_one("#filter", Input).value)

    def _show_count(self, text: str, matches: int) -> None:
        count = (
            f"{len(self.models)} models"
            if not text
            else f"{matches} match{'es' if matches != 1 else ''}"
            + (f", the best {BEST_SHOWN} shown" if matches > BEST_SHOWN else "")
        )
        self.query_one(
            MatchCount
        ).text = f"{count} · ★ favourite (Ctrl+T) · ↺ used recently · Enter chooses"

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.show_matches(event.value)

    def show_matches(self, text: str) -> None:
        """Fill the list with the models matching `text`, best first (favourites and recent
        ones first when nothing is typed)."""
        text = text.strip()
        matcher = Matcher(text) if text else None
        if matcher is None:
            ranked = sorted(self.models, key=self._resting_order)
        else:
            last, hits = self._narrowed
            # Letters typed onto the last query can only drop models (the match is a
            # subsequence one), so only the last query's hits need matching again.
            pool = hits if last and text.startswith(last) else self.models
            scored = [(matcher.match(f"{model.id} {model.name}"), model) for model in pool]
            ranked = [
                model
                for score, model in sorted(
                    scored, key=lambda pair: -pair[0] - self._bonus(pair[1])
                )
                if score > 0
            ]
            self._narrowed = (text, ranked)
        self._show_count(text, len(ranked))
        ranked = ranked if matcher is None else ranked[:BEST_SHOWN]
        self.shown = ranked
        options = self.query_one(OptionList)
        self._plan = self._fitted_plan()
        self.query_one("#columns", Static).update(Content(" " + self._plan.heading()))
        options.clear_options()
        options.add_options(
            [
                Option(
                    ModelRow(
                        model,
                        mark=self._mark(model),
                        matched=matcher.fuzzy_search.match(text, model.id)[1] if matcher else (),
                        plan=self._plan,
                    ),
                    id=model.id,
                )
                for model in ranked
            ]
        )
        if ranked:
            ids = [model.id for model in ranked]
            options.highlighted = (
                ids.index(self.current) if (matcher is None and self.current in ids) else 0
            )

    def _fitted_plan(self) -> ColumnPlan:
        width = self.query_one(OptionList).scrollable_content_region.width
        if not width or not self.models:
            return FULL_PLAN
        return plan_columns(
            width,
            longest_id=max(len(model.id) for model in self.models),
            badges_width=max(len(badges_text(model)) for model in self.models),
        )

    def on_resize(self) -> None:
        if self.models and self._fitted_plan() != self._plan:
            self.show_matches(self.query_one("#filter", Input).value)

    def _mark(self, model: ModelInfo) -> str:
        return "★ " if model.id in self.favourites else "↺ " if model.id in self.recent else "  "

    def _resting_order(self, model: ModelInfo) -> tuple[int, int]:
        if model.id in self.favourites:
            return (0, self.favourites.index(model.id))
        if model.id in self.recent:
            return (1, self.recent.index(model.id))
        return (2, 0)

    def _bonus(self, model: ModelInfo) -> float:
        return 0.5 if model.id in self.favourites else 0.25 if model.id in self.recent else 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def _highlighted(self) -> ModelInfo | None:
        index = self.query_one(OptionList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _choose(self) -> None:
        model = self._highlighted()
        if model is not None:
            self.dismiss(model.id)
            return
        typed = one_line(self.query_one("#filter", Input).value)
        problem = model_id_problem(typed) if typed else None
        if typed and looks_like_api_key(typed):
            self.notify(f"Not chosen: {problem}.", severity="warning", timeout=8, markup=False)
        elif "/" in typed and problem is None:  # not in the catalogue: OpenRouter adds daily
            self.dismiss(typed)
        elif typed:
            self.notify(
                "No model matches. To use one not in the list, type its full id "
                "(like provider/model).",
                severity="warning",
                timeout=5,
            )

    def action_favourite(self) -> None:
        model = self._highlighted()
        if model is None:
            return
        if model.id in self.favourites:
            self.favourites.remove(model.id)
        else:
            self.favourites.append(model.id)
        self.host.settings = replace(self.host.settings, favourite_models=tuple(self.favourites))
        self.host.save_setting("favourite_models", self.favourites)
        index = self.query_one(OptionList).highlighted
        self.show_matches(self.query_one("#filter", Input).value)
        if index is not None and self.shown:
            self.query_one(OptionList).highlighted = min(index, len(self.shown) - 1)

    def action_refresh(self) -> None:
        status = self.query_one("#status", Static)
        status.update("Fetching the model list…")
        status.display = True
        self._load(refresh=True)

    def action_cancel(self) -> None:
        self.dismiss(None)
