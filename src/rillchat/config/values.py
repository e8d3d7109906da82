"""What a model id and a base URL must look like, and where the words for a misplaced key
send the user. The config file's reader, the settings screen and the command line all check
with these."""

from __future__ import annotations

from urllib.parse import urlparse

from rillchat.config.variables import API_KEY_ENV
from rillchat.redaction import looks_like_api_key

DEFAULT_MODEL = "openai/gpt-4o-mini"
"""The `model` key's default (declared in `keys`), and the example every message about a
model id gives."""
DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"
"""The `base_url` key's default (declared in `keys`), which messages give as an example."""

KEY_GOES_IN = f"an API key goes in the API key field of the settings (F8) or in {API_KEY_ENV}"
KEY_GOES_IN_FROM_SHELL = f"an API key goes in {API_KEY_ENV}, or in api_key in config.toml"
"""Where a key goes, said to someone at the shell prompt (the chat's F8 is not there)."""
KEY_GOES_IN_FILE = f"an API key goes in api_key in this file, or in {API_KEY_ENV}"
"""Said of config.toml's own model setting, in the chat and in the shell alike."""


def model_id_problem(model: str, key_goes_in: str = KEY_GOES_IN) -> str | None:
    """Why `model` cannot be used as a model id, in words for the user; None when it can. A
    key pasted where the model goes must never be sent, shown or saved as the model.
    `key_goes_in`: where the user can put a key instead, from where they are."""
    if looks_like_api_key(model):
        return (
            f"that looks like an API key, not a model id ({key_goes_in}); model ids look "
            f"like {DEFAULT_MODEL}"
        )
    if not model.strip():
        return f"the model id is empty; model ids look like {DEFAULT_MODEL}"
    if any(character.isspace() for character in model):
        return f"a model id has no spaces, like {DEFAULT_MODEL} (got {model!r})"
    return None


def looks_like_base_url(url: str) -> bool:
    """http(s)://host/path: what the CLI and the settings screen accept as a base URL."""
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)
