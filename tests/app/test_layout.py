"""Bars and columns at every width: whole pieces go by priority, words are never cut."""

from __future__ import annotations

from rillchat.chat.structured import Schema
from rillchat.line_fit import SEPARATOR
from rillchat.ui.screens.model_picker import ModelPicker
from tests.app.helpers import chat, make_app, send, until


def whole_pieces(bar) -> list[str]:
    """The pieces a bar draws, each checked to be one it was given whole."""
    drawn = str(bar.render()).split("   ")[0]
    given = bar.plain.split("   ")[0].split(SEPARATOR)
    pieces = drawn.split(SEPARATOR)
    assert all(piece in given for piece in pieces), (pieces, given)
    return pieces


async def test_the_bars_drop_whole_pieces_at_80_columns(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, "hello")  # something spent: the top bar has more to say
        screen = chat(pilot)
        top = whole_pieces(screen.query_one("#top-bar"))
        assert "demo/auto" in top
        controls = screen.query_one("#controls")
        assert whole_pieces(controls)[0] == "system: none"
        assert str(controls.render()).endswith("F5 change")


async def test_a_chosen_schema_shows_whole_at_120_columns(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = chat(pilot)
        screen.options.next_schema = Schema("book_recommendations", {"type": "object"})
        screen._show_controls()
        await pilot.pause()
        pieces = whole_pieces(screen.query_one("#controls"))
        assert pieces[0] == "next answer: JSON book_recommendations"


async def test_the_picker_drops_whole_columns_at_80_columns(app_server):
    app = make_app(app_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await until(
            pilot, lambda: isinstance(pilot.app.screen, ModelPicker) and pilot.app.screen.shown
        )
        picker = pilot.app.screen
        heading = str(picker.query_one("#columns").render())
        assert "can do" not in heading and "in $/M" in heading and "out $/M" in heading
        options = picker.query_one("#models")
        width = options.scrollable_content_region.width
        for index in range(options.option_count):
            row = str(options.get_option_at_index(index).prompt)
            assert len(row) <= width
            assert "…" not in row.split()[1:]  # only an id may end in one
            assert not row.rstrip().endswith(("thi", "tool", "jso", "imag"))
