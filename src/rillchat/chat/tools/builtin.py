"""The tools that ship with Rill. Each is off until the user turns it on."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rillchat.chat.tools import calculator
from rillchat.chat.tools.base import Tool, ToolError, ToolOutcome, ToolSpec

BUILTIN = "built-in"
MAX_FILE_BYTES = 100_000
MAX_FOLDER_ENTRIES = 300


class DateTimeTool:
    spec = ToolSpec(
        "current_datetime",
        "The current date, time, weekday and time zone.",
        {
            "type": "object",
            "properties": {
                "timezone": {
                    "type": "string",
                    "description": "An IANA time zone such as Europe/Paris; the user's own if left out.",
                }
            },
            "additionalProperties": False,
        },
        BUILTIN,
    )

    def __init__(self, now: Any = None) -> None:
        self._now = now or (lambda: dt.datetime.now().astimezone())

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        now = self._now()
        zone = arguments.get("timezone")
        if zone:
            try:
                now = now.astimezone(ZoneInfo(zone))
            except (ZoneInfoNotFoundError, ValueError):
                raise ToolError(
                    f"Unknown time zone {zone!r}; use an IANA name such as Europe/Paris."
                ) from None
        return ToolOutcome(
            f"{now:%A %d %B %Y, %H:%M:%S} ({now.tzname()}, UTC{now:%z}); "
            f"ISO 8601: {now.isoformat(timespec='seconds')}"
        )


class CalculatorTool:
    spec = ToolSpec(
        "calculator",
        calculator.DESCRIPTION,
        {
            "type": "object",
            "properties": {
                "expression": {
                    "type": "string",
                    "description": "For example: (17 * 23) / 4 + sqrt(2)",
                }
            },
            "required": ["expression"],
            "additionalProperties": False,
        },
        BUILTIN,
    )

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        return ToolOutcome(calculator.format_number(calculator.calculate(arguments["expression"])))


class AllowedFolders:
    """The only places the file tools may look. Paths are resolved (symlinks followed) before
    the check, so neither `..` nor a link can lead outside."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = [Path(folder).expanduser().resolve() for folder in folders]

    def describe(self) -> str:
        return ", ".join(str(folder) for folder in self.folders) or "none"

    def resolve(self, given: str) -> Path:
        if not self.folders:
            raise ToolError(
                "No folders are allowed: the user has to add one in Rill's settings first."
            )
        if "\x00" in given:
            raise ToolError("The path holds a NUL character.")
        path = Path(given).expanduser()
        if not path.is_absolute():
            path = self.folders[0] / path
        try:
            resolved = path.resolve(strict=True)
        except (FileNotFoundError, NotADirectoryError):
            resolved = path.resolve()  # nothing is there to read; the tool will say so
        except (RuntimeError, OSError):
            # A loop of links. Python's lenient resolve stops at the loop and leaves the rest
            # unresolved, so `loop/../link` would pass the check below and open what `link`
            # points at, wherever that is.
            raise ToolError(f"{given!r} goes round a loop of symbolic links.") from None
        if not any(
            resolved == folder or resolved.is_relative_to(folder) for folder in self.folders
        ):
            raise ToolError(f"{given!r} is outside the allowed folders ({self.describe()}).")
        return resolved


class ReadFileTool:
    def __init__(self, folders: AllowedFolders) -> None:
        self.folders = folders
        self.spec = ToolSpec(
            "read_file",
            (
                f"Read a text file (up to {MAX_FILE_BYTES:,} bytes from `offset`). Only files under "
                f"these folders can be read: {folders.describe()}. Relative paths start at the "
                "first."
            ),
            {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "offset": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "Byte to start at (default 0).",
                    },
                },
                "required": ["path"],
                "additionalProperties": False,
            },
            BUILTIN,
        )

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        path = self.folders.resolve(arguments["path"])
        return ToolOutcome(await asyncio.to_thread(_read_text, path, arguments.get("offset", 0)))


def _read_text(path: Path, offset: int) -> str:
    try:
        # O_NONBLOCK: a FIFO in an allowed folder must not block the tool forever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ToolError(f"There is no file {str(path)!r}.") from None
    except IsADirectoryError:
        raise ToolError(f"{str(path)!r} is a folder; use list_folder.") from None
    except OSError as exc:
        raise ToolError(f"Cannot open {str(path)!r}: {exc.strerror}.") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ToolError(f"{str(path)!r} is a folder; use list_folder.")
        raise ToolError(f"{str(path)!r} is not a regular file.")
    with os.fdopen(descriptor, "rb") as file:
        file.seek(offset)
        data = file.read(MAX_FILE_BYTES + 1)
    if b"\x00" in data[:8192]:
        raise ToolError(
            f"{str(path)!r} looks like a binary file ({info.st_size:,} bytes); "
            "only text can be read."
        )
    text = data[:MAX_FILE_BYTES].decode("utf-8", errors="replace")
    if len(data) > MAX_FILE_BYTES:
        text += (
            f"\n[cut at {MAX_FILE_BYTES:,} bytes of {info.st_size:,}; read on with "
            f"offset {offset + MAX_FILE_BYTES}]"
        )
    return text


class ListFolderTool:
    def __init__(self, folders: AllowedFolders) -> None:
        self.folders = folders
        self.spec = ToolSpec(
            "list_folder",
            (
                f"List what a folder holds (name, kind, size). Only these folders and what is "
                f"under them: {folders.describe()}. Relative paths start at the first."
            ),
            {
                "type": "object",
                "properties": {
                    "path": {"type": "string", "description": "Default: the first allowed folder."}
                },
                "additionalProperties": False,
            },
            BUILTIN,
        )

    async def run(self, arguments: dict[str, Any]) -> ToolOutcome:
        path = self.folders.resolve(arguments.get("path") or ".")
        return ToolOutcome(await asyncio.to_thread(_list_folder, path))


def _list_folder(path: Path) -> str:
    try:
        entries = sorted(os.scandir(path), key=lambda entry: entry.name)
    except FileNotFoundError:
        raise ToolError(f"There is no folder {str(path)!r}.") from None
    except NotADirectoryError:
        raise ToolError(f"{str(path)!r} is a file; use read_file.") from None
    except OSError as exc:
        raise ToolError(f"Cannot list {str(path)!r}: {exc.strerror}.") from None
    lines = [f"{path}: {len(entries)} entries"]
    for entry in entries[:MAX_FOLDER_ENTRIES]:
        try:
            if entry.is_symlink():
                lines.append(f"{entry.name}  (link)")
            elif entry.is_dir():
                lines.append(f"{entry.name}/")
            else:
                lines.append(f"{entry.name}  {entry.stat().st_size:,} bytes")
        except OSError:
            lines.append(f"{entry.name}  (unreadable)")
    if len(entries) > MAX_FOLDER_ENTRIES:
        lines.append(f"[{len(entries) - MAX_FOLDER_ENTRIES} more not shown]")
    return "\n".join(lines)


def builtin_tools(enabled: Sequence[str], allowed_folders: Sequence[str]) -> list[Tool]:
    tools: list[Tool] = []
    if "datetime" in enabled:
        tools.append(DateTimeTool())
    if "calculator" in enabled:
        tools.append(CalculatorTool())
    if "files" in enabled:
        folders = AllowedFolders([Path(folder) for folder in allowed_folders])
        tools += [ReadFileTool(folders), ListFolderTool(folders)]
    return tools
