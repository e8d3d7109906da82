"""Terminal input parsing that keeps a bracketed paste whole, whatever it holds.

Textual's `XTermParser` reads a paste (`ESC [200~` … `ESC [201~`) one character at a time,
and an ESC inside it sends the parser into its escape-sequence state, where the characters
that follow are not added to the paste: they come out as key presses once another ESC (the
paste's own end) or 32 characters end the "sequence". Pasting `innocent ESC Z hello CR rest`
sent "^Z hello" as a prompt; `ESC Ctrl+Q` quit. The paste itself is cut at the ESC.

`PasteKeepingParser` sits in front of Textual's parser. Outside a paste every character goes
to Textual's parser as before (keys, mouse, focus, resize reports are read as Textual reads
them). Once Textual's parser has read a paste's start, this one reads the paste itself, with
nothing to look for but the end, and hands Textual's parser only that end, to close its own
paste; the Paste event Textual then makes carries the text read here, every character of it.
"""

from __future__ import annotations

from collections.abc import Generator

from textual import events
from textual._parser import ParseEOF, ParseError, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

PASTE_SILENCE = 2.0
"""Seconds without input inside an open paste after which it is taken as ended. A terminal
sends a paste in one go; one that never ends (a start sequence sent alone) must not make
every later key text."""


class PasteKeepingParser(XTermParser):
    def parse(self, token_callback: TokenCallback) -> Generator[Read1 | Peek1, str, None]:
        pasted: list[str] = []

        def the_paste() -> events.Paste:
            # NUL goes, as Textual drops it (Textualize/textual#1661).
            paste = events.Paste("".join(pasted).replace("\x00", ""))
            pasted.clear()
            return paste

        def on_token(token: Message) -> None:
            # Textual's parser makes its Paste when it reads the end this parser hands on.
            token_callback(the_paste() if isinstance(token, events.Paste) else token)

        textual = super().parse(on_token)
        awaiting = next(textual)
        recent = ""
        """The last characters Textual's parser read, to see a paste begin."""
        try:
            while True:
                try:
                    character = yield awaiting
                except ParseError as error:  # a timeout, or the end of input
                    awaiting = textual.throw(error)
                    continue
                awaiting = textual.send(character)
                recent = (recent + character)[-len(BRACKETED_PASTE_START):]
                if recent != BRACKETED_PASTE_START:
                    continue
                recent = ""
                if not (yield from self._read_paste(pasted)):
                    # The input ended inside the paste: Textual's parser stops reading at
                    # once, so the paste is given here.
                    token_callback(the_paste())
                    textual.throw(ParseEOF())
                    return
                for end_character in BRACKETED_PASTE_END:
                    awaiting = textual.send(end_character)
        except StopIteration:
            return

    def _read_paste(self, pasted: list[str]) -> Generator[Read1 | Peek1, str, bool]:
        """Read a paste's text into `pasted` up to its end. False: the input ended first."""
        held = ""
        """Characters that may be the start of the paste's end."""
        while True:
            try:
                character = yield self.read1(PASTE_SILENCE)
            except ParseTimeout:
                pasted.append(held)
                return True
            except ParseEOF:
                pasted.append(held)
                return False
            held += character
            if BRACKETED_PASTE_END.startswith(held):
                if held == BRACKETED_PASTE_END:
                    return True
                continue
            # Not the end after all: text, but its last ESC may start the end.
            escape = held.rfind("\x1b")
            if escape > 0 and BRACKETED_PASTE_END.startswith(held[escape:]):
                pasted.append(held[:escape])
                held = held[escape:]
            else:
                pasted.append(held)
                held = ""
