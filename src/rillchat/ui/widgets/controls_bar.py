"""One line above the prompt saying how the next reply will be asked for; a click changes it."""

from __future__ import annotations

from textual.message import Message

from rillchat.chat.conversation import Conversation
from rillchat.line_fit import Piece
from rillchat.terminal_text import one_line
from rillchat.ui.widgets.fitted_line import FittedLine


def controls_pieces(
    conversation: Conversation,
    *,
    reasoning: bool | None,
    tools: int | None = 0,
    schema: str | None = None,
) -> list[Piece]:
    """`tools`: how many are offered (None: some are on but the model takes none);
    `schema`: the JSON Schema the next answer follows. A narrow terminal drops the least
    telling pieces whole (the options screen shows them all)."""
    options = conversation.options
    if options.preset and conversation.system_prompt:
        system = Piece(f"system: {one_line(options.preset)}", 5, short="system: preset")
    elif conversation.system_prompt:
        system = Piece("system: own prompt", 5)
    else:
        system = Piece("system: none", 5)
    # The schema holds for one answer only and changes it most: first, and the last to go.
    pieces = (
        [Piece(f"next answer: JSON {one_line(schema)}", 9, short="next answer: JSON")]
        if schema
        else []
    )
    effort, temperature, max_tokens = options.summary(reasoning=reasoning)
    pieces += [system, Piece(effort, 4), Piece(temperature, 2), Piece(max_tokens, 1)]
    if tools is None:
        pieces.append(Piece("tools: n/a", 3))
    elif tools:
        pieces.append(Piece(f"tools: {tools}", 3))
    return pieces


class ControlsBar(FittedLine):
    DEFAULT_CSS = """
    ControlsBar { height: 1; padding: 0 2; color: $text-muted; }
    ControlsBar:hover { background: $boost; color: $text; }
    """

    class Clicked(Message):
        """Open the reply options."""

    def on_click(self) -> None:
        self.post_message(self.Clicked())
