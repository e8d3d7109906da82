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
        lines = self.code.count("\n") + (0 if self.code.endswith("\n") else 1)
        first = next((line.strip() for line in self.code.splitlines() if line.strip()), "")
        language = self.language or "code"
        return f"{language}, {lines} line{'s' if lines != 1 else ''}: {first[:40]}"


def code_blocks(markdown: str) -> list[CodeBlock]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [CodeBlock(token.info.split()[0] if token.info.strip() else "", token.content)
            for token in tokens if token.type in ("fence", "code_block")]
