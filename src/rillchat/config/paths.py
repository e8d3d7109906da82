"""Where Rill keeps its configuration and its data.

`RILL_CONFIG_DIR` and `RILL_DATA_DIR` override the platform folders; tests and people who keep
their dotfiles elsewhere rely on them.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from rillchat.config.variables import CONFIG_DIR_ENV, DATA_DIR_ENV

APP_NAME = "rill"


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def export_folder() -> Path:
    """Where an export is offered to go: the Downloads folder, else Documents, else home
    (the folder Rill was started in is rarely where a user looks for a file)."""
    for folder in (
        platformdirs.user_downloads_dir(),
        platformdirs.user_documents_dir(),
        str(Path.home()),
    ):
        if os.path.isdir(folder):
            return Path(folder)
    return Path.cwd()
