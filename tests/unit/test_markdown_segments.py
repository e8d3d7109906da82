from rillchat.ui.markdown_segments import SegmentSplitter


def cut(text: str, fragment_size: int, min_chars: int = 10) -> list[str]:
    """The segments `text` ends up in when it streams in fragments of `fragment_size`."""
    splitter = SegmentSplitter(min_chars)
    segments = [""]
    for start in range(0, len(text), fragment_size):
        pieces = splitter.feed(text[start:start + fragment_size])
        segments[-1] += pieces[0]
        segments.extend(pieces[1:])
    return segments


def test_cuts_at_blank_lines_once_long_enough_whatever_the_fragments():
    text = "first paragraph here\n\nsecond one\n\nthird paragraph\n"
    for size in (1, 3, 7, len(text)):
        assert cut(text, size, min_chars=15) == [
            "first paragraph here\n\n", "second one\n\nthird paragraph\n"]


def test_never_cuts_inside_fenced_code():
    text = "intro paragraph!\n\n```python\nx = 1\n\n\ny = 2\n```\n\nafter the code\n\nend\n"
    segments = cut(text, 4)
    assert "".join(segments) == text
    assert segments[0] == "intro paragraph!\n\n"
    assert segments[1].startswith("```python\nx = 1\n\n\ny = 2\n```\n\n")


def test_a_longer_fence_is_only_closed_by_one_as_long():
    text = "````md\n```\n\ninner\n```\n\n````\n\nafter it all\n\nx\n"
    segments = cut(text, 5, min_chars=1)
    assert segments[0] == "````md\n```\n\ninner\n```\n\n````\n\n"


def test_short_replies_stay_whole():
    text = "a\n\nb\n\nc\n"
    assert cut(text, 2, min_chars=1000) == [text]
