"""`rill config path | show | edit`."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
from pathlib import Path
from typing import TextIO

from rillchat import exit_codes
from rillchat.config import ConfigError, config_path, load_config, read_document
from rillchat.redaction import mask_secrets, masked
from rillchat.settings import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_MODEL

TEMPLATE = """\
# Rill's settings. Every key is optional; a missing key takes the default shown.
# Rill writes to this file only when you change something in the app (F8 in the chat
# opens the settings), and keeps whatever else is here.

# model = "{model}"
# base_url = "{base_url}"       # any OpenAI-compatible endpoint
# api_key = "sk-or-v1-..."      # {api_key_env} wins when it is set; the file is then 0600
# reasoning_effort = "medium"   # none, minimal, low, medium, high, xhigh
# reasoning_display = "folded"  # folded once it answers; open; hidden (folded throughout)
# reading_width = 100          # widest the messages are drawn, centred; 0 or "full": all of it
# theme = "textual-dark"
# generate_titles = false       # name new conversations with their model (a paid call)
# builtin_tools = ["datetime", "calculator", "files"]   # each is off until listed
# allowed_folders = ["~/notes"]  # the only folders the files tool may read
# max_tool_rounds = 8            # rounds of tool calls one prompt may take

# [[presets]]
# name = "Terse"
# prompt = "Answer in as few words as will do."
# model = "openai/gpt-4o-mini"   # optional
# reasoning_effort = "low"       # optional

# [[tools]]                      # a command tool: no shell, arguments as JSON on stdin
# name = "git_log"
# description = "The last commits of the current repository"
# command = ["git", "log", "--oneline", "-n", "20"]
# timeout = 10                   # seconds (default 30); then it is killed
# parameters = {{ type = "object", properties = {{}} }}

# [[mcp_servers]]                # an MCP server over stdio
# name = "notes"
# command = "uvx"
# args = ["my-notes-mcp-server"]
# env = {{ NOTES_DIR = "/home/me/notes" }}

# [[schemas]]                    # JSON Schemas for structured answers (palette: Answer as JSON)
# name = "recipe"
# file = "~/schemas/recipe.json" # or: schema = {{ type = "object", ... }}

# [keys]                         # re-map keys: binding id = "key,other key"
# "rill.history" = "f3,ctrl+y"
"""


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "config", help="where the settings file is, what it says, and editing it",
        description="config.toml holds Rill's settings (the model, base URL, presets, theme, "
                    "keys). The environment and flags win over it.")
    actions = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser("path", help="print where config.toml is (or would be)")
    actions.add_parser("show", help="print config.toml (the API key masked) and what is "
                                    "in effect")
    actions.add_parser("edit", help="open config.toml in $VISUAL or $EDITOR (made from a "
                                    "commented template when missing)")


def run_config(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    path = config_path()
    if args.config_command == "path":
        print(path, file=stdout)
        return exit_codes.OK
    if args.config_command == "show":
        return _show(path, stdout, stderr)
    return _edit(path, stdout, stderr)


def _show(path: Path, stdout: TextIO, stderr: TextIO) -> int:
    import tomli_w

    config, problems = load_config(path)
    print(f"# {path}" + ("" if path.exists() else " (not there yet: defaults only)"),
          file=stdout)
    try:
        document = read_document(path)
    except ConfigError:
        document = {}
    if "api_key" in document and isinstance(document["api_key"], str):
        document["api_key"] = masked(document["api_key"])
    key_from_environment = os.environ.get(API_KEY_ENV)
    key = key_from_environment or config.api_key
    if document:  # a key pasted into another setting is not shown either
        stdout.write(mask_secrets(tomli_w.dumps(document), key))
    key_source = (API_KEY_ENV if key_from_environment else
                  "config.toml" if config.api_key else "not set")
    base_url_from_environment = os.environ.get(BASE_URL_ENV)
    rows = [
        ("model", config.model or DEFAULT_MODEL, "config.toml" if config.model else "default"),
        ("base_url", base_url_from_environment or config.base_url or DEFAULT_BASE_URL,
         BASE_URL_ENV if base_url_from_environment else
         "config.toml" if config.base_url else "default"),
        ("api key", masked(key) if key else "-", key_source),
    ]
    print("\n# In effect (flags win over the environment, which wins over the file):",
          file=stdout)
    for name, value, source in rows:
        print(f"#   {name:<9} {value}  ({source})", file=stdout)
    for problem in problems:
        print(f"rill: warning: {problem}", file=stderr)
    return exit_codes.OK


def _edit(path: Path, stdout: TextIO, stderr: TextIO) -> int:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        print(f"rill: set VISUAL or EDITOR to your editor (e.g. export EDITOR=nano), or edit "
              f"{path} by hand", file=stderr)
        return exit_codes.USAGE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEMPLATE.format(model=DEFAULT_MODEL, base_url=DEFAULT_BASE_URL,
                                        api_key_env=API_KEY_ENV), encoding="utf-8")
    try:
        finished = subprocess.run([*shlex.split(editor), str(path)], check=False)
    except OSError as exc:
        print(f"rill: could not start the editor {editor!r}: {exc.strerror}", file=stderr)
        return exit_codes.USAGE
    if finished.returncode != 0:
        print(f"rill: the editor exited with {finished.returncode}", file=stderr)
    _, problems = load_config(path)
    for problem in problems:
        print(f"rill: warning: {problem}", file=stderr)
    if not problems:
        print(f"rill: {path} reads fine", file=stderr)
    return exit_codes.OK
