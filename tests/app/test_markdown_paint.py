"""Replies are drawn by Rill's own painter (one widget, lines kept), and must look exactly as
Textual's Markdown widgets draw the same source: same text, same colours, cell for cell."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widgets import Markdown

from rillchat.demo.generated_scenarios import generated_markdown
from rillchat.ui.widgets.reply_body import ReplyBody

EVERY_BLOCK = """\
# Title one

Some *emphasis*, **strong**, ~~struck~~ and `code` with a [link](https://example.com) that
runs over the line to see how wrapping works in a long paragraph of text that goes on.

## Second

- first item
- second item with `code`
  - nested one
    - deeper
- third

1. one
2. two
10. ten

> a quote
> that goes on
>
> > nested quote
>
> - list in quote

- loose item one

- loose item two
  with continuation

  second paragraph in item

1. ordered
   - bullet inside ordered
     1. deep ordered

- item with code:

  ```js
  let x = 1;
  ```

```python
def f(x):
    return x + 1  # comment
```

Line one  
hard break line two
soft break, and a very long unbreakable word: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.

    indented code block

### Third level

---

#### Four
##### Five
###### Six

Setext Heading
==============

```
xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
```

Last paragraph.
"""


LONG_CODE_AND_LIST = (
    "```python\n"
    + "".join(f"def f{number}(x):\n    return x * {number}\n" for number in range(40))
    + '    """A docstring that runs\n'
    + "over many lines\n" * 10
    + '    """\n'
    + "".join(f"value_{number} = {number}\n" for number in range(60))
    + "```\n\n"
    + "".join(f"- item {number} with **bold** and `code`\n" for number in range(120))
)
"""Longer than the pieces a block being written is drawn in (64 lines of code), with a string
that spans two of them: once the reply ends, it must look as if drawn at once."""


class SideBySide(App[None]):
    CSS = """
    Markdown { margin: 0; padding: 0; background: transparent; }
    VerticalScroll > * { margin: 0 1; }
    """

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(self.source, open_links=False)
            yield ReplyBody()


def lines_of(widget) -> list[list[Segment]]:
    """What the widget draws, without the meta that only maps clicks and selections."""
    compositor = Compositor()
    compositor.reflow(widget, Size(*widget.size))
    return [
        list(
            Segment.simplify(
                Segment(
                    segment.text, segment.style.clear_meta_and_links() if segment.style else None
                )
                for segment in strip
            )
        )
        for strip in compositor.render_strips()
    ]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "nord"])
@pytest.mark.parametrize(
    "source",
    [EVERY_BLOCK, generated_markdown(1200), LONG_CODE_AND_LIST],
    ids=["every-block", "generated", "long-code-and-list"],
)
async def test_the_painter_draws_what_textuals_markdown_draws(source: str, theme: str) -> None:
    app = SideBySide(source)
    async with app.run_test(size=(90, 200)) as pilot:
        app.theme = theme
        body = app.query_one(ReplyBody)
        # In pieces, as a stream brings it: finished blocks are kept, the last drawn again.
        for start in range(0, len(source), 97):
            await body.add_fragment(source[start : start + 97])
            if start % 970 == 0:
                await pilot.pause()
        await body.finish()
        await pilot.pause()
        await pilot.pause(0.1)
        expected = lines_of(app.query_one(Markdown))
        drawn = lines_of(body)
        assert len(drawn) == len(expected)
        for number, (line, wanted) in enumerate(zip(drawn, expected)):
            assert line == wanted, f"line {number}: {''.join(s.text for s in line)!r}"


async def test_a_table_is_drawn_in_a_grid_that_fits() -> None:
    source = (
        "| Scenario | What arrives on the wire | What Rill does |\n"
        "| --- | --- | --- |\n"
        "| Markdown | text deltas | renders them as they come |\n"
        "| Failure | an HTTP error or an error chunk | keeps the partial reply |\n"
    )
    app = SideBySide("")
    async with app.run_test(size=(50, 40)) as pilot:
        body = app.query_one(ReplyBody)
        await body.add_fragment(source)
        await pilot.pause()
        lines = body.plain_text.splitlines()
        assert all(len(line) <= 48 for line in lines)
        assert lines[0].startswith("┌") and lines[-1].startswith("└")
        assert "│ Markdown" in body.plain_text and "reply" in body.plain_text
