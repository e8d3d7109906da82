"""One-line bars keep whole pieces by priority, in their order, and never cut a word."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rillchat.line_fit import SEPARATOR, Piece, fit_pieces, line_width

PIECES = [
    Piece("Rill", 2),
    Piece("anthropic/claude-sonnet-4.5", 5),
    Piece("$0.0123 this chat, $0.0456 this session", 3, short="$0.0123 this chat"),
    Piece("https://openrouter.ai/api/v1", 1),
]


def texts(pieces) -> list[str]:
    return [piece.text for piece in pieces]


def test_everything_shows_when_there_is_room():
    assert texts(fit_pieces(PIECES, 200)) == texts(PIECES)


def test_the_lowest_priority_goes_first_and_the_order_stays():
    assert texts(fit_pieces(PIECES, 80)) == [
        "Rill",
        "anthropic/claude-sonnet-4.5",
        "$0.0123 this chat, $0.0456 this session",
    ]
    assert texts(fit_pieces(PIECES, 55)) == ["anthropic/claude-sonnet-4.5", "$0.0123 this chat"]
    assert texts(fit_pieces(PIECES, 40)) == ["anthropic/claude-sonnet-4.5"]


def test_only_a_piece_alone_that_cannot_fit_is_ellipsized():
    assert texts(fit_pieces(PIECES, 12)) == ["anthropic/c…"]


@given(
    st.lists(
        st.tuples(st.text(alphabet="abc -", min_size=1, max_size=30), st.integers(0, 5)),
        min_size=1,
        max_size=6,
    ),
    st.integers(1, 120),
)
def test_whole_pieces_within_the_width(raw, width):
    pieces = [Piece(text, priority) for text, priority in raw]
    fitted = fit_pieces(pieces, width)
    assert line_width(fitted, SEPARATOR) <= width
    if len(fitted) > 1 or not fitted[0].text.endswith("…"):
        originals = iter(texts(pieces))
        assert all(text in originals for text in texts(fitted))  # whole, and in order
