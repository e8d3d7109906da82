"""The terminal input parser Rill installs: a bracketed paste arrives whole, as one Paste
event, whatever it holds; everything outside a paste is parsed as Textual parses it."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from rillchat.ui.paste_parser import PASTE_SILENCE, PasteKeepingParser

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE_PASTES = ["innocent \x1bZ hello\rrest", "see this:\x1bXaaaa", "\x1b\x11", "a\x1b",
                  "\x1b[31mred\x1b[0m", "\x1b[20", "\x1b[201", "\x1b\x1b[201x~", "\x1b]0;t\x07",
                  "\x9b2J", "tab\tline\nend\r\n"]


def parsed(parser, *chunks: str) -> list[tuple[str, str]]:
    found = []
    for chunk in chunks:
        found.extend(parser.feed(chunk))
    return [(type(event).__name__, event.text if isinstance(event, events.Paste)
             else getattr(event, "key", "")) for event in found]


def test_a_paste_holding_escapes_is_one_paste_and_no_keys():
    for text in HOSTILE_PASTES:
        assert parsed(PasteKeepingParser(), START + text + END) == [("Paste", text)], text


def test_textual_own_parser_turns_those_pastes_into_keys():
    """What the workaround is for (Textualize/textual, to be filed): when this fails,
    Textual keeps pastes whole itself and `paste_parser` can go."""
    keys = parsed(XTermParser(), START + "\x1b\x11" + END)
    assert ("Key", "ctrl+q") in keys


@settings(max_examples=300)
@given(text=st.lists(st.sampled_from(["\x1b", "[", "2", "0", "1", "~", "\r", "a", "\x11",
                                      "\x00", "é", START[1:], END[1:]]), max_size=30).map("".join),
       cuts=st.lists(st.integers(0, 60), max_size=6))
def test_a_paste_cut_anywhere_into_reads_arrives_whole(text, cuts):
    if END in text:
        text = text.replace(END, "")  # the terminal ends the paste there: not a paste's text
    wire = START + text + END
    points = sorted({cut % (len(wire) + 1) for cut in cuts} | {0, len(wire)})
    parser = PasteKeepingParser()
    chunks = [wire[start:end] for start, end in zip(points, points[1:])]
    assert parsed(parser, *chunks) == [("Paste", text.replace("\x00", ""))]


def test_keys_before_between_and_after_pastes_are_keys_as_textual_reads_them():
    wire = "ab\x1b[A" + START + "x\x1by" + END + "\r\x1b[1;5C" + START + END + "q"
    ours = parsed(PasteKeepingParser(), wire)
    assert ours == [("Key", "a"), ("Key", "b"), ("Key", "up"), ("Paste", "x\x1by"),
                    ("Key", "enter"), ("Key", "ctrl+right"), ("Paste", ""), ("Key", "q")]
    textual = [item for item in parsed(XTermParser(), wire.replace("x\x1by", "xy"))]
    assert [item for item in ours if item[0] == "Key"] == [
        item for item in textual if item[0] == "Key"]


def test_a_lone_escape_is_still_the_escape_key():
    parser = PasteKeepingParser()
    assert parsed(parser, "\x1b") == []
    time.sleep(0.2)
    assert [(type(e).__name__, e.key) for e in parser.tick()] == [("Key", "escape")]


def test_a_paste_that_never_ends_is_given_as_text_once_the_terminal_falls_silent():
    parser = PasteKeepingParser()
    assert parsed(parser, START + "half a paste\x1b[20") == []
    time.sleep(PASTE_SILENCE + 0.1)
    assert [(type(e).__name__, e.text) for e in parser.tick()] == [
        ("Paste", "half a paste\x1b[20")]
    assert parsed(parser, "1~q") == [("Key", "1"), ("Key", "tilde"), ("Key", "q")]


def test_the_end_of_input_gives_what_a_paste_held():
    parser = PasteKeepingParser()
    assert parsed(parser, START + "cut short") == []
    assert [(type(e).__name__, e.text) for e in parser.feed("")] == [("Paste", "cut short")]
