"""`rill config path | show | edit`."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import TextIO

from rillchat.cli import exit_codes
from rillchat.config.environment import from_environment
from rillchat.config.file import (
    ConfigError,
    ConfigFile,
    config_path,
    read_config,
    read_document,
    write_template,
)
from rillchat.config.keys import KEYS
from rillchat.redaction import mask_secrets, masked


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "config",
        help="where the settings file is, what it says, and editing it",
        description="config.toml holds Rill's settings (the model, base URL, presets, theme, "
        "keys). The environment and flags win over it.",
    )
    actions = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser("path", help="print where config.toml is (or would be)")
    actions.add_parser("show", help="print config.toml (the API key masked) and what is in effect")
    actions.add_parser(
        "edit",
        help="open config.toml in $VISUAL or $EDITOR (else the first "
        "of editor, nano, vi on PATH; made from a commented "
        "template when missing)",
    )


def run_config(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path = config_path()
    if args.config_command == "path":
        print(path, file=stdout)
        return exit_codes.OK
    if args.config_command == "show":
        return _show(path, stdout, stderr)
    return _edit(path, stdout, stderr)


FALLBACK_EDITORS = ("editor", "nano", "vi")
"""Tried in this order, on PATH, when neither VISUAL nor EDITOR is set."""


def _editor_on_path() -> str | None:
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found is not None:
            return shlex.quote(found)
    return None


def _in_effect(read: ConfigFile) -> list[tuple[str, str, str]]:
    """(name, value, where it came from) of each key that something other than the file can
    set: the environment or a flag."""
    rows = []
    for name, key in KEYS.items():
        if not (key.env or key.flag):
            continue
        given = from_environment(name)
        value = given if given is not None else getattr(read.config, name)
        if value is None:
            shown, source = "-", "not set"
        else:
            shown = masked(value) if key.secret else str(value)
            source = (
                key.env
                if given is not None and key.env
                else "config.toml"
                if name in read.given
                else "default"
            )
        rows.append((key.file_name.replace("_", " "), shown, source))
    return rows


def _show(path: Path, stdout: TextIO, stderr: TextIO) -> int:
    import tomli_w

    read = read_config(path)
    print(f"# {path}" + ("" if path.exists() else " (not there yet: defaults only)"), file=stdout)
    unreadable: ConfigError | None = None
    try:
        document = read_document(path)
    except ConfigError as exc:
        document, unreadable = {}, exc
    secrets = [key for key in KEYS.values() if key.secret]
    for key in secrets:
        if isinstance(document.get(key.file_name), str):
            document[key.file_name] = masked(document[key.file_name])
    if document:  # a key pasted into another setting is not shown either
        text = mask_secrets(tomli_w.dumps(document))
        for key in secrets:
            text = mask_secrets(text, from_environment(key.name) or getattr(read.config, key.name))
        stdout.write(text)
    print("\n# In effect (flags win over the environment, which wins over the file):", file=stdout)
    for name, value, source in _in_effect(read):
        print(f"#   {name:<9} {value}  ({source})", file=stdout)
    if unreadable is not None:
        print(f"rill: {unreadable}", file=stderr)
        return exit_codes.USAGE
    for problem in read.problems:
        print(f"rill: warning: {problem}", file=stderr)
    return exit_codes.OK


def _edit(path: Path, stdout: TextIO, stderr: TextIO) -> int:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or _editor_on_path()
    if not editor:
        print(
            f"rill: no editor found: VISUAL and EDITOR are not set and none of "
            f"{', '.join(FALLBACK_EDITORS)} is on PATH. Set one (e.g. export EDITOR=nano), "
            f"or edit {path} by hand",
            file=stderr,
        )
        return exit_codes.USAGE
    if not path.exists():
        try:
            write_template(path)
        except (ConfigError, OSError) as exc:
            print(f"rill: could not write {path}: {exc}", file=stderr)
            return exit_codes.USAGE
    try:
        finished = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as exc:
        print(f"rill: could not start the editor {editor!r}: {exc.strerror}", file=stderr)
        return exit_codes.USAGE
    if finished.returncode != 0:
        print(f"rill: the editor exited with {finished.returncode}", file=stderr)
    problems = read_config(path).problems
    for problem in problems:
        print(f"rill: warning: {problem}", file=stderr)
    if not problems:
        print(f"rill: {path} reads fine", file=stderr)
    return exit_codes.OK
