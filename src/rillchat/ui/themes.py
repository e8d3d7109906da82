"""Themes from TOML files: the ones Rill ships and the user's own, as Textual `Theme`s put on
the app."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App


def _shipped_themes() -> Path:
    """The theme files Rill ships: the repository's top-level `themes/`, which the wheel
    carries as `rillchat/themes` (see `force-include` in pyproject.toml)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "themes"
    return packaged if packaged.is_dir() else package.parent.parent / "themes"


SHIPPED_THEMES = _shipped_themes()
COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "success",
    "warning",
    "error",
)
NUMBER_FIELDS = ("luminosity_spread", "text_alpha")


class ThemeFileError(ValueError):
    """The file is not a theme Rill can use; the message says what is wrong."""


def load_theme_file(path: Path) -> Theme:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ThemeFileError(f"cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"not valid TOML: {exc}") from exc
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError('needs name = "..."')
    fields: dict = {"name": name.strip()}
    for key in COLOUR_FIELDS:
        if key in document:
            fields[key] = _colour(document[key], key)
    if "primary" not in fields:
        raise ThemeFileError('needs primary = "#rrggbb" (the main colour)')
    for key in NUMBER_FIELDS:
        if key in document:
            value = document[key]
            if type(value) not in (int, float):
                raise ThemeFileError(f"{key} should be a number, got {value!r}")
            fields[key] = float(value)
    if "dark" in document:
        if type(document["dark"]) is not bool:
            raise ThemeFileError(f"dark should be true or false, got {document['dark']!r}")
        fields["dark"] = document["dark"]
    variables = document.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(value, str) for value in variables.values()
    ):
        raise ThemeFileError(
            "[variables] should hold CSS variables as text, like "
            '"block-cursor-background" = "#ff0000"'
        )
    fields["variables"] = dict(variables)
    return Theme(**fields)


def _colour(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(f"{key} should be a colour in quotes, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError as exc:
        raise ThemeFileError(f"{key} = {value!r} is not a colour (use #rrggbb)") from exc
    return value


def load_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """Every `*.toml` theme in the folders, in order (a later one of the same name wins), and
    a problem for each file that could not be used; the others load regardless."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as exc:
                problems.append(f"Theme file {path} was not loaded: {exc}.")
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems


def install_themes(app: App[Any], wanted: str | None, own_folder: Path) -> None:
    """Rill's themes and the user's own (`own_folder`) registered on the app, and `wanted`
    (config.toml's theme) put on; a broken file, or a theme none of them is, is named in a
    notice and the others load."""
    themes, problems = load_themes(SHIPPED_THEMES, own_folder)
    for theme in themes:
        app.register_theme(theme)
    if wanted and wanted in app.available_themes:
        app.theme = wanted
    elif wanted:
        problems.append(
            f"config.toml asks for the theme {wanted!r}, which is not one of "
            f"{', '.join(sorted(app.available_themes))}."
        )
    for problem in problems:
        app.notify(problem, title="Themes", severity="warning", timeout=10, markup=False)
