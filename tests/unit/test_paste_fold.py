"""How a big paste is described where it is folded."""

from __future__ import annotations

from rillchat.ui.paste_fold import is_big, placeholder, size_words


def test_a_final_line_end_does_not_count_as_a_line():
    lines = "".join(f"log line {number}\n" for number in range(1, 3001))
    assert size_words(lines).startswith("3,000 lines, ")
    assert size_words(lines.rstrip("\n")).startswith("3,000 lines, ")
    assert size_words("one line\n") == "1 line, 9 bytes"


def test_twenty_lines_stay_as_they_are_and_twenty_one_fold():
    assert not is_big("line\n" * 20)
    assert is_big("line\n" * 21)
    assert is_big("x" * 2049)


def test_each_placeholder_names_its_number_size_and_estimate():
    text = "word " * 1000
    assert placeholder(text, 2) == (
        "[pasted #2: 1 line, 5 KB · about 1,250 tokens (estimate) · F6 expands]"
    )
