"""The settings of a run from config.toml and the environment, which wins where a key says
which variable can set it."""

from __future__ import annotations

import os

from rillchat.config.file import config_path, read_config
from rillchat.config.keys import KEYS
from rillchat.config.settings import Settings, key_in_file


def from_environment(name: str) -> str | None:
    """The value the environment gives the key `name`, if its variable is set."""
    variable = KEYS[name].env
    return (os.environ.get(variable) or None) if variable else None


def settings_from_environment() -> Settings:
    """Settings from config.toml, with the environment winning where both say something."""
    path = config_path()
    read = read_config(path)
    given = {name: value for name in KEYS if (value := from_environment(name)) is not None}
    key = KEYS["api_key"]
    if key.name in given:
        source = key.env or ""
    else:
        source = key_in_file(path) if read.config.api_key else ""
    return Settings.of(
        read.config, **given, api_key_source=source, config_problems=tuple(read.problems)
    )
