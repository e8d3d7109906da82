"""`config.toml`: what the user set, read with tomllib and checked key by key as `keys`
declares them, and written back with tomli-w only when they change something in Rill. Keys
Rill does not know are kept as they were."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rillchat.config.keys import KEYS, Config
from rillchat.config.kinds import Problems
from rillchat.config.paths import config_dir
from rillchat.config.template import commented_template

CONFIG_NAME = "config.toml"


class ConfigError(Exception):
    """The file cannot be used (or written back): the message names the file, the place and
    what to do."""


@dataclass(frozen=True, slots=True)
class ConfigFile:
    """One reading of the file."""

    config: Config
    problems: list[str]
    """Each names the key and what was expected; that key took its default."""
    given: frozenset[str]
    """The keys (by field name) the file sets, with a value Rill could use."""


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def write_template(path: Path) -> None:
    """Make `path` the commented template (for `rill config edit` on a missing file)."""
    save_config({}, path)


def read_document(path: Path) -> dict[str, Any]:
    """The file as TOML, or {} when there is none. Raises ConfigError for a file that is not
    TOML, with the line and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}).") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}. Rill uses its defaults and leaves "
            "the file as it is until it is fixed (rill config edit)."
        ) from exc


def read_config(path: Path | None = None) -> ConfigFile:
    """The configuration, what is wrong in it and which keys it sets. Never raises."""
    path = path or config_path()
    try:
        document = read_document(path)
    except ConfigError as exc:
        return ConfigFile(Config(), [str(exc)], frozenset())
    problems = Problems(path)
    values = {}
    given = set()
    for name, key in KEYS.items():
        before = len(problems.found)
        values[name] = key.read(document, problems)
        raw = document.get(key.file_name)
        blank = isinstance(raw, str) and not raw.strip()
        if raw is not None and not blank and len(problems.found) == before:
            given.add(name)
    config = Config(**values)
    if config.api_key and path.stat().st_mode & 0o077:
        problems.found.append(
            f"{path} holds an API key and other users can read it: run chmod 600 {path}"
        )
    return ConfigFile(config, problems.found, frozenset(given))


def load_config(path: Path | None = None) -> tuple[Config, list[str]]:
    """The configuration, and the problems found in it: each problem names the key and what
    was expected, and the key falls back to its default. Never raises."""
    read = read_config(path)
    return read.config, read.problems


def save_config(changes: dict[str, Any], path: Path | None = None) -> Path:
    """Write `changes` (top-level keys; None removes one) into the file, keeping everything
    else in it. A new file starts as the commented template, and a file that still starts
    with it keeps it; other comments are lost (tomllib keeps none). Written whole to a new
    file then renamed, so a crash never leaves half a file; 0600 when it holds an API key.
    Raises ConfigError when the file there is broken, rather than replace what the user
    wrote."""
    import tomli_w

    path = path or config_path()
    document = read_document(path)
    template = commented_template()
    try:
        keeps_template = path.read_text(encoding="utf-8").startswith(template)
    except FileNotFoundError:
        keeps_template = True
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = any(key.secret and key.file_name in document for key in KEYS.values())
    descriptor, temporary = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        if secret:
            os.fchmod(descriptor, 0o600)
        settings = tomli_w.dumps(document, multiline_strings=True)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"{template}\n{settings}" if keeps_template else settings)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
