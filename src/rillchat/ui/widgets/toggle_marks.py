"""Checkboxes and radio buttons whose state reads in the text itself, not only in its colour:
Textual draws the same "X" on and off, told apart by a shade that a plain terminal (or
NO_COLOR) does not show."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

CHECKED, UNCHECKED = "[x]", "[ ]"
CHOSEN, NOT_CHOSEN = "(•)", "( )"


# Textual's off colour is meant to be faint behind an "X"; an empty mark must stay legible.
MARK_CSS = """
RadioSet > {name} > .toggle--button, {name} > .toggle--button {{
    color: $text-muted; text-style: not dim;
}}
RadioSet > {name}.-on > .toggle--button, {name}.-on > .toggle--button {{
    color: $text-success; text-style: bold;
}}
"""


class MarkedCheckbox(Checkbox):
    DEFAULT_CSS = MARK_CSS.format(name="MarkedCheckbox")

    @property
    def _button(self) -> Content:
        return Content.styled(
            CHECKED if self.value else UNCHECKED, self.get_visual_style("toggle--button")
        )


class MarkedRadioButton(RadioButton):
    DEFAULT_CSS = MARK_CSS.format(name="MarkedRadioButton")

    @property
    def _button(self) -> Content:
        return Content.styled(
            CHOSEN if self.value else NOT_CHOSEN, self.get_visual_style("toggle--button")
        )
