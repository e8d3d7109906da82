"""What `rill --demo` adds to the user's settings: two command tools, a schema preset and two
built-in tools. Kept apart from the scenarios so the chat can start without loading them."""

from __future__ import annotations

import sys

from rillchat.chat.tools.configs import CommandToolConfig

DEMO_TOOLS = (
    CommandToolConfig(
        name="word_count",
        description="Count the words, lines and characters of a text (a command tool of the "
        "demo: a small Python script run without a shell).",
        command=(
            sys.executable,
            "-c",
            "import json, sys; text = json.load(sys.stdin).get('text', ''); "
            "print(json.dumps({'words': len(text.split()), 'lines': "
            "text.count(chr(10)) + 1, 'characters': len(text)}))",
        ),
        parameters={
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
            "additionalProperties": False,
        },
        timeout=10,
    ),
    CommandToolConfig(
        name="slow_lookup",
        description="Look something up in a very slow archive (a demo command tool that "
        "never answers, to show a time limit at work).",
        command=(sys.executable, "-c", "import time; time.sleep(600)"),
        parameters={
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
            "additionalProperties": False,
        },
        timeout=3,
    ),
)
"""Command tools that only `rill --demo` offers."""

DEMO_SCHEMA = (
    "books",
    {
        "type": "object",
        "properties": {
            "books": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string"},
                        "author": {"type": "string"},
                        "year": {"type": "integer"},
                    },
                    "required": ["title", "author", "year"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["books"],
        "additionalProperties": False,
    },
)
"""A schema preset the demo offers: (name, schema)."""

DEMO_BUILTIN_TOOLS = ("datetime", "calculator")
"""Built-in tools the demo turns on, so a newcomer sees a tool loop at once."""
