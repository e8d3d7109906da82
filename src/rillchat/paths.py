"""Where Rill keeps its configuration and its data.

`RILL_CONFIG_DIR` and `RILL_DATA_DIR` override the platform folders; tests and people who keep
their dotfiles elsewhere rely on them.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "rill"


def config_dir() -> Path:
    override = os.environ.get("RILL_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    override = os.environ.get("RILL_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))
