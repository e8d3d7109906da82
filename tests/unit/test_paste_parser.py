"""The terminal input parser Rill installs: a bracketed paste arrives whole, as one Paste
event, whatever it holds; everything outside a paste is parsed as Textual parses it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st
from textual import _parser as textual_parser
from textual import events
from textual._xterm_parser import XTermParser

from rillchat.ui.paste_parser import PASTE_ABANDONED, PASTE_PAUSE, PasteKeepingParser

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE_PASTES = [
    "innocent \x1bZ hello\rrest",
    "see this:\x1bXaaaa",
    "\x1b\x11",
    "a\x1b",
    "\x1b[31mred\x1b[0m",
    "\x1b[20",
    "\x1b[201",
    "\x1b\x1b[201x~",
    "\x1b]0;t\x07",
    "\x9b2J",
    "tab\tline\nend\r\n",
]


def parsed(parser, *chunks: str) -> list[tuple[str, str]]:
    found = []
    for chunk in chunks:
        found.extend(parser.feed(chunk))
    return [
        (
            type(event).__name__,
            event.text if isinstance(event, events.Paste) else getattr(event, "key", ""),
        )
        for event in found
    ]


class Clock:
    """The clock Textual's parser times its reads by, moved by hand, so that seconds of
    silence take none."""

    def __init__(self) -> None:
        self.now = 1000.0

    def silence(self, parser: PasteKeepingParser, seconds: float) -> list[tuple[str, str]]:
        """What the parser gives while the terminal sends nothing for `seconds`, looked at
        every tenth of a second as the terminal driver does."""
        found = []
        for _ in range(round(seconds * 10)):
            self.now += 0.1
            found.extend(parser.tick())
        return [
            (
                type(event).__name__,
                event.text if isinstance(event, events.Paste) else getattr(event, "key", ""),
            )
            for event in found
        ]


@contextmanager
def moved_by_hand() -> Iterator[Clock]:
    clock = Clock()
    real = textual_parser.get_time
    textual_parser.get_time = lambda: clock.now
    try:
        yield clock
    finally:
        textual_parser.get_time = real


def test_a_paste_holding_escapes_is_one_paste_and_no_keys():
    for text in HOSTILE_PASTES:
        assert parsed(PasteKeepingParser(), START + text + END) == [("Paste", text)], text


def test_textual_own_parser_turns_those_pastes_into_keys():
    """What the workaround is for (Textualize/textual, to be filed): when this fails,
    Textual keeps pastes whole itself and `paste_parser` can go."""
    keys = parsed(XTermParser(), START + "\x1b\x11" + END)
    assert ("Key", "ctrl+q") in keys


def without_ends(text: str) -> str:
    """`text` with no paste end in it: the terminal ends the paste there, so an end is never
    a paste's text. (Taking one out can join the pieces of another.)"""
    while END in text:
        text = text.replace(END, "")
    return text


@settings(max_examples=300)
@given(
    text=st.lists(
        st.sampled_from(
            ["\x1b", "[", "2", "0", "1", "~", "\r", "a", "\x11", "\x00", "é", START[1:], END[1:]]
        ),
        max_size=30,
    ).map("".join),
    cuts=st.lists(st.integers(0, 60), max_size=6),
)
def test_a_paste_cut_anywhere_into_reads_arrives_whole(text, cuts):
    text = without_ends(text)
    wire = START + text + END
    points = sorted({cut % (len(wire) + 1) for cut in cuts} | {0, len(wire)})
    parser = PasteKeepingParser()
    chunks = [wire[start:end] for start, end in zip(points, points[1:])]
    text = text.replace("\x00", "")
    assert parsed(parser, *chunks) == ([("Paste", text)] if text else [])


def test_keys_before_between_and_after_pastes_are_keys_as_textual_reads_them():
    wire = "ab\x1b[A" + START + "x\x1by" + END + "\r\x1b[1;5C" + START + END + "q"
    ours = parsed(PasteKeepingParser(), wire)
    assert ours == [
        ("Key", "a"),
        ("Key", "b"),
        ("Key", "up"),
        ("Paste", "x\x1by"),
        ("Key", "enter"),
        ("Key", "ctrl+right"),
        ("Key", "q"),
    ]  # no empty Paste
    textual = list(parsed(XTermParser(), wire.replace("x\x1by", "xy")))
    assert [item for item in ours if item[0] == "Key"] == [
        item for item in textual if item[0] == "Key"
    ]


def test_a_lone_escape_is_still_the_escape_key():
    parser = PasteKeepingParser()
    assert parsed(parser, "\x1b") == []
    time.sleep(0.2)
    assert [(type(e).__name__, e.key) for e in parser.tick()] == [("Key", "escape")]


@settings(max_examples=100)
@given(
    text=st.lists(
        st.sampled_from(["\x1b", "[", "2", "0", "1", "~", "\r", "\t", "y", "\x11", "é", END[1:]]),
        min_size=1,
        max_size=30,
    ).map("".join),
    pauses=st.lists(st.integers(0, 60), min_size=1, max_size=3),
    seconds=st.sampled_from([1.5, 2.5, PASTE_ABANDONED - 1]),
)
def test_a_paste_that_pauses_on_its_way_is_all_text_and_no_keys(text, pauses, seconds):
    """A paste held up for seconds (SSH over a bad link) anywhere after its start, even inside
    its end sequence: what arrived so far shows, and what comes after is text too."""
    text = without_ends(text)
    wire = START + text + END
    points = sorted(
        {len(START) + pause % (len(wire) - len(START) + 1) for pause in pauses} | {0, len(wire)}
    )
    found = []
    with moved_by_hand() as clock:
        parser = PasteKeepingParser()
        for start, end in zip(points, points[1:]):
            found += parsed(parser, wire[start:end])
            found += clock.silence(parser, seconds)
    assert [kind for kind, _ in found] == ["Paste"] * len(found)
    assert "".join(pasted for _, pasted in found) == text
    assert all(pasted for _, pasted in found), "an empty Paste"


def test_what_arrived_of_a_paste_shows_after_a_short_silence_but_not_a_half_end():
    with moved_by_hand() as clock:
        parser = PasteKeepingParser()
        assert parsed(parser, START + "slow\tlink\x1b[20") == []
        assert clock.silence(parser, PASTE_PAUSE + 0.2) == [("Paste", "slow\tlink")]
        assert clock.silence(parser, 3) == []  # nothing new: no empty Paste
        assert parsed(parser, "1~") == []  # it was the end: nothing was left to give
        assert parsed(parser, "y\r") == [("Key", "y"), ("Key", "enter")]


def test_a_paste_that_never_ends_is_given_as_text_once_the_terminal_falls_silent_long():
    with moved_by_hand() as clock:
        parser = PasteKeepingParser()
        assert parsed(parser, START + "half a paste\x1b[20") == []
        assert clock.silence(parser, PASTE_ABANDONED - 0.5) == [("Paste", "half a paste")]
        assert parsed(parser, "\ty\r") == []  # still the paste's text
        assert clock.silence(parser, PASTE_PAUSE + 0.2) == [("Paste", "\x1b[20\ty\r")]
        assert parsed(parser, "\x1b[20") == []
        assert clock.silence(parser, PASTE_ABANDONED + 0.5) == [("Paste", "\x1b[20")]
        assert parsed(parser, "1~q") == [("Key", "1"), ("Key", "tilde"), ("Key", "q")]


def test_the_end_of_input_gives_what_a_paste_held():
    parser = PasteKeepingParser()
    assert parsed(parser, START + "cut short") == []
    assert [(type(e).__name__, e.text) for e in parser.feed("")] == [("Paste", "cut short")]


def test_escape_then_carriage_return_is_alt_enter_at_once_or_after_the_escape_delay():
    assert parsed(PasteKeepingParser(), "a\x1b\rb") == [
        ("Key", "a"),
        ("Key", "alt+enter"),
        ("Key", "b"),
    ]
    with moved_by_hand() as clock:
        parser = PasteKeepingParser()
        assert parsed(parser, "\x1b") == []
        clock.now += 0.01
        assert parsed(parser, "\r") == [("Key", "alt+enter")]
    assert parsed(PasteKeepingParser(), "\r") == [("Key", "enter")], "a plain Enter sends"
