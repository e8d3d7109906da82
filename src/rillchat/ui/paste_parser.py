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

A paste can pause on its way (SSH over a bad link). Taking a pause as its end would turn the
rest into key presses (Tab then y decides a waiting tool call; CR sends the prompt), so after a
short silence what arrived so far is handed over as a Paste of its own, for the user to see,
and the paste stays open: what follows is text too, in further Paste events. The characters
that may be the start of the end sequence are kept back until it is clear they are not. Only
a long silence ends the paste without its end sequence.

It also reads Alt+Enter, which terminals send as ESC CR: Textual's parser has no name for that
pair, so it waited for more of a "sequence" and then gave a plain Enter, which sent the prompt
the user meant to go on writing.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable

from textual import _parser as textual_parser
from textual import events
from textual._parser import ParseEOF, ParseError, ParseTimeout, Peek1, Read1, TokenCallback
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

PASTE_PAUSE = 1.0
"""Seconds without input inside an open paste after which what arrived so far is shown, as a
Paste of its own; the paste stays open."""
PASTE_ABANDONED = 10.0
"""Seconds without input inside an open paste after which it is taken as ended. A terminal
never sends a paste's start without its end; but one that did (a program writing to the
terminal, a cut connection) must not make every later key text for ever. Long enough for a
paste held up by a bad link to go on as text."""


ALT_ENTER = "\x1b\r"


class PasteKeepingParser(XTermParser):
    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        # ESC CR is read as a sequence while more may follow, or, after the escape delay, as
        # CR with Alt held: both are Alt+Enter.
        if sequence == ALT_ENTER or (alt and sequence == "\r"):
            yield events.Key("alt+enter", None)
            return
        yield from super()._sequence_to_key_events(sequence, alt)

    def parse(self, token_callback: TokenCallback) -> Generator[Read1 | Peek1, str, None]:
        pasted: list[str] = []

        def hand_over() -> None:
            # NUL goes, as Textual drops it (Textualize/textual#1661).
            text = "".join(pasted).replace("\x00", "")
            pasted.clear()
            if text:
                token_callback(events.Paste(text))

        def on_token(token: Message) -> None:
            # Textual's parser makes its Paste when it reads the end this parser hands on.
            if isinstance(token, events.Paste):
                hand_over()
            else:
                token_callback(token)

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
                recent = (recent + character)[-len(BRACKETED_PASTE_START) :]
                if recent != BRACKETED_PASTE_START:
                    continue
                recent = ""
                if not (yield from self._read_paste(pasted, hand_over)):
                    # The input ended inside the paste: Textual's parser stops reading at
                    # once, so the paste is given here.
                    hand_over()
                    textual.throw(ParseEOF())
                    return
                for end_character in BRACKETED_PASTE_END:
                    awaiting = textual.send(end_character)
        except StopIteration:
            return

    def tick(self) -> Iterable[Message]:
        yield from super().tick()
        # Textual's parser arms a read's timeout only when a character arrives, so after one
        # timeout no other would come: a paste that falls silent needs a second one, to end.
        if self._timeout_time is None and self._awaiting.timeout is not None:
            self._timeout_time = textual_parser.get_time() + self._awaiting.timeout

    def _read_paste(
        self, pasted: list[str], hand_over: Callable[[], None]
    ) -> Generator[Read1 | Peek1, str, bool]:
        """Read a paste's text into `pasted` up to its end, handing over what `pasted` holds
        whenever the input pauses. False: the input ended first."""
        held = ""
        """Characters that may be the start of the paste's end."""
        silence = 0.0
        """Seconds since the last character, counted in pauses."""
        while True:
            try:
                character = yield self.read1(PASTE_PAUSE)
            except ParseTimeout:
                silence += PASTE_PAUSE
                if silence < PASTE_ABANDONED:
                    hand_over()
                    continue
                pasted.append(held)
                return True
            except ParseEOF:
                pasted.append(held)
                return False
            silence = 0.0
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
