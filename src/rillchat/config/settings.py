"""The settings one run of Rill works with: every key of config.toml (inherited from
`Config`, with their defaults) and what belongs to the run alone."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from rillchat.config.keys import Config

DEMO_MODEL = "demo/auto"
DEMO_API_KEY = "demo-key-not-secret"


@dataclass(frozen=True, slots=True)
class Settings(Config):
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    """Seconds without a single byte from the server before the reply counts as stalled.
    Keep-alive comments count as bytes, so a provider that is still thinking is not cut off."""
    retries: int = 1
    """How many times a failure before the first token is retried (network and 5xx only)."""
    config_problems: tuple[str, ...] = ()
    """What was wrong in config.toml, for the user to see; the defaults were used instead."""
    api_key_source: str = ""
    """Where the key came from, as a refused key's hint names it: OPENROUTER_API_KEY, or
    api_key in the config file's path; empty when it is not known (a test, the demo)."""

    @classmethod
    def of(cls, config: Config, **changes: Any) -> Settings:
        """`config`'s keys, with `changes` made (keys, or the run's own fields)."""
        keys = {each.name: getattr(config, each.name) for each in fields(Config)}
        return cls(**(keys | changes))

    def with_overrides(self, **changes: Any) -> Settings:
        kept = {name: value for name, value in changes.items() if value is not None}
        return replace(self, **kept)


def key_in_file(path: object) -> str:
    """The `api_key_source` of a key kept in the config file at `path`."""
    return f"api_key in {path}"
