"""Fenced code blocks in a reply, for copying one to the clipboard."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt  # installed with Textual, which parses Markdown with it


@dataclass(frozen=True, slots=True)
class CodeBlock:
    language: str
    code: str

    @property
    def label(self) -> str:
        lines = self.code.count("\n") + 1
        first = next((line.strip() for line in self.code.splitlines() if line.strip()), "")
        language = self.language or "code"
        if len(first) > 40:
            first = first[:39] + "…"
        return f"{language}, {lines} line{'s' if lines != 1 else ''}: {first}"


def code_blocks(markdown: str) -> list[CodeBlock]:
    """Without the final newline: pasted into a shell, it would run the last line at once."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [
        CodeBlock(token.info.split()[0] if token.info.strip() else "", token.content.rstrip("\n"))
        for token in tokens
        if token.type in ("fence", "code_block")
    ]
