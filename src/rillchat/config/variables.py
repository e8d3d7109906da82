"""The environment variables Rill reads, in one place: they win over config.toml."""

from __future__ import annotations

API_KEY_ENV = "OPENROUTER_API_KEY"
BASE_URL_ENV = "OPENROUTER_BASE_URL"
CONFIG_DIR_ENV = "RILL_CONFIG_DIR"
DATA_DIR_ENV = "RILL_DATA_DIR"
