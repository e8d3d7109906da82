"""The footer of keys: what it shows, and that clicking a key presses it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from rillchat.ui.screens.history import HistoryScreen
from rillchat.ui.widgets.keys_footer import KeysFooter
from tests.app.helpers import chat, make_app, until


def footer_text(screen: Screen) -> str:
    return screen.query_one(KeysFooter).render_line(0).text


def offset_of(screen: Screen, words: str) -> tuple[int, int]:
    """Where `words` are drawn in the screen's footer (its first cell)."""
    return footer_text(screen).index(words), 0


async def test_clicking_a_key_in_the_footer_presses_it(app_server, tmp_path):
    app = make_app(app_server, history_path=tmp_path / "history.db")
    async with app.run_test(size=(100, 30)) as pilot:
        assert "esc Stop" in footer_text(chat(pilot)) and "^p palette" in footer_text(chat(pilot))
        await pilot.click(KeysFooter, offset=offset_of(app.screen, "History"))
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await pilot.pause()
        # The footer follows the screen's keys.
        assert "esc Back" in footer_text(app.screen) and "Stop" not in footer_text(app.screen)
        await pilot.click(KeysFooter, offset=offset_of(app.screen, "Back"))
        await until(pilot, lambda: app.screen is chat(pilot))
        await pilot.click(KeysFooter, offset=offset_of(app.screen, "palette"))
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))


class Keys(Screen):
    BINDINGS = [
        Binding("a", "shout('a')", "Able", tooltip="Says able"),
        Binding("b", "shout('b')", "Baker"),
        Binding("c", "shout('c')", "Hidden", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield KeysFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("b",) else True  # None: shown, but disabled

    def action_shout(self, word: str) -> None:
        self.app.heard.append(word)


class KeysApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []
        self.bells = 0

    def get_default_screen(self) -> Screen:
        return Keys()

    def bell(self) -> None:
        self.bells += 1


async def test_a_disabled_key_is_dim_and_rings_and_a_hovered_key_is_highlighted():
    app = KeysApp()
    async with app.run_test(size=(60, 5)) as pilot:
        footer = app.screen.query_one(KeysFooter)
        text = footer_text(app.screen)
        assert text.startswith("a Able b Baker") and "Hidden" not in text

        def cells(words: str) -> list:
            column = footer_text(app.screen).index(words)
            return footer.render_line(0).crop(column, column + len(words))._segments

        assert not any(segment.style.dim for segment in cells("a Able"))
        assert all(segment.style.dim for segment in cells("b Baker"))

        before = cells("a Able")[0].style.bgcolor
        await pilot.hover(KeysFooter, offset=offset_of(app.screen, "Able"))
        await pilot.pause()
        assert cells("a Able")[0].style.bgcolor != before
        assert footer.tooltip == "Says able" and footer.styles.pointer == "pointer"
        await pilot.hover(KeysFooter, offset=(45, 0))  # no key there
        await pilot.pause()
        assert cells("a Able")[0].style.bgcolor == before and footer.tooltip is None

        await pilot.click(KeysFooter, offset=offset_of(app.screen, "Able"))
        await pilot.click(KeysFooter, offset=offset_of(app.screen, "Baker"))
        await until(pilot, lambda: app.heard and app.bells)
        assert app.heard == ["a"] and app.bells == 1


async def test_a_key_remapped_in_config_keeps_its_place_in_the_footer(app_server):
    app = make_app(app_server, keys=(("rill.new-chat", "ctrl+g"),))
    async with app.run_test(size=(100, 30)) as pilot:
        assert footer_text(chat(pilot)).startswith("esc Stop ^r Retry ^g New f2 Edit f3 History")


async def test_a_narrow_footer_ends_with_the_palette_key_and_nothing_after(app_server):
    """At 40 columns the last cell showed a letter of the key under the palette's key."""
    app = make_app(app_server)
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        line = footer_text(chat(pilot))
        assert len(line) == 40 and line.endswith("▏^p palette ")
