from rillchat.terminal_text import StreamStripper, strip_control, visible_controls


def feed_all(fragments: list[str]) -> str:
    stripper = StreamStripper()
    return "".join(stripper.feed(fragment) for fragment in fragments) + stripper.flush()


def test_a_sequence_split_across_fragments_leaves_nothing_behind():
    assert feed_all(["a \x1b", "[2", "Jb"]) == "a b"
    assert feed_all(["x\x1b]52;c;", "cHduZWQ=", "\x07y"]) == "xy"
    assert feed_all(["p\x1bP", "q data", "\x1b\\", "r"]) == "pr"


def test_plain_fragments_pass_through_at_once():
    stripper = StreamStripper()
    assert stripper.feed("[bold]x[/bold] ") == "[bold]x[/bold] "
    assert stripper.feed("tab\tand\nnewline") == "tab\tand\nnewline"


def test_an_escape_that_never_ends_loses_its_introducer_and_is_not_held_forever():
    assert feed_all(["a\x1b]0;title never ended"]) == "a0;title never ended"
    long_tail = "a\x1b]" + "x" * 600
    stripper = StreamStripper()
    assert stripper.feed(long_tail) == "a" + "x" * 600, "too long to be waiting for its end"


def test_a_string_sequence_never_ended_hides_nothing_after_it():
    assert strip_control("a\x1b]\nthe rest [b]M[/b]") == "a\nthe rest [b]M[/b]"
    assert strip_control("a\x1b]0;title\nnext line\x07") == "a0;title\nnext line"
    assert strip_control("a\x1bPq no end") == "aq no end"
    assert feed_all(["a\x1b]0;ti", "tle\nmore"]) == "a0;title\nmore", "not held past a line"


def test_visible_controls_keeps_every_character_in_view_and_none_live():
    assert visible_controls("innocent \x1bZ hello") == "innocent ␛Z hello"
    assert visible_controls("\x1b\x11\x00\x7f") == "␛␑␀␡"
    assert visible_controls("\x9b2J") == "␛[2J", "a C1 control shows as its ESC form"
    assert visible_controls("tab\tline\nend\r") == "tab\tline\nend\r", "layout stays"
    assert visible_controls("\u202eevil\u202c") == "evil", "no reordering"
    assert visible_controls("[b]M[/b] é 😀") == "[b]M[/b] é 😀"
