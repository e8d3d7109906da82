"""The prompts `demo/auto` answers with a scenario.

A prompt picks a scenario only when the whole of it, trimmed and in any case, is one of these
commands: a number or a word inside an ordinary prompt ("I have 401 apples", a pasted log with
`line 401:`) gets the ordinary answer. The welcome, the demo's help and the README list exactly
these (tests hold them to it).
"""

from __future__ import annotations

import re

PROMPT_COMMANDS: dict[str, str] = {
    "hello": "markdown",
    "help": "help",
    "reasoning": "reasoning",
    "think": "reasoning",
    "long": "long",
    "untrusted": "untrusted",
    "trickle": "trickle",
    "huge chunk": "huge-chunk",
    "json": "json",
    "books": "json",
    "tools": "tools",
    "a failing tool": "tool-fail",
    "bad arguments": "tool-bad-arguments",
    "a slow tool": "tool-timeout",
    **{
        spelling: f"error-{status}"
        for status in (401, 402, 429, 500, 502, 503)
        for spelling in (f"error {status}", str(status))
    },
    "html": "html",
    "mid-stream error": "error-midstream",
    "choice error": "error-choice",
    "drop": "drop",
    "stall": "stall",
    "not json": "not-json",
    "echo key": "echo-key-401",
    "echo key 502": "echo-key-502",
    "echo key mid-stream": "echo-key-midstream",
}
"""Each command as it is typed (lower case, single spaces), and the scenario it picks."""

_SPACES = re.compile(r"\s+")


def command_scenario(prompt: str) -> str | None:
    """The scenario `prompt` asks for, when the whole prompt is a demo command."""
    spoken = _SPACES.sub(" ", prompt).strip().lower()
    return PROMPT_COMMANDS.get(spoken)
