"""What every tool is to the rest of Rill: a spec offered to the model and a way to run it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    description: str
    parameters: dict[str, Any]
    """JSON Schema of the arguments object."""
    source: str
    """Where the tool comes from, for people: "built-in", "command", "MCP server notes"."""

    def to_api(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


@dataclass(frozen=True, slots=True)
class ToolOutcome:
    """What goes back to the model as the call's result."""

    content: str
    is_error: bool = False


class ToolError(Exception):
    """The tool could not do what was asked; the message goes back to the model as the
    result, so it should say what was wrong in words the model can act on."""


class Tool(Protocol):
    spec: ToolSpec

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        """Run the call. Raises ToolError for a failure the model should hear about;
        cancellation stops whatever the tool started."""
        ...


def cap_text(text: str, limit: int, what: str = "output") -> str:
    """`text` cut to `limit` characters, saying so at the end when it was cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[{what} cut at {limit:,} characters of {len(text):,}]"
