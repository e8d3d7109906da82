"""Fetching the model catalogue through the SDK, with the cached copy as the fallback."""

from __future__ import annotations

import time

import openai

from rillchat.catalogue import ModelInfo, parse_models, read_cache, write_cache
from rillchat.config.settings import Settings
from rillchat.openrouter.client import make_client
from rillchat.openrouter.failures import failure_from_exception


class CatalogueUnavailable(Exception):
    """No catalogue could be fetched and none is cached; the message says why."""


async def get_catalogue(
    settings: Settings, *, refresh: bool = False
) -> tuple[list[ModelInfo], str | None]:
    """The models, and a note for the user when an old copy had to do. Uses the cache while
    it is fresh (24 h) unless `refresh`."""
    cached = read_cache(settings.base_url)
    if cached is not None and cached.fresh() and not refresh:
        return cached.models, None
    client = make_client(settings)
    try:
        page = await client.models.list()
        entries = [model.to_dict() for model in page.data]
    except (openai.APIError, ValueError) as exc:
        failure = failure_from_exception(exc, base_url=settings.base_url).without_secrets(
            settings.api_key
        )
        reason = f"{failure.title}: {failure.message.rstrip('.')}"
        if cached is None:
            raise CatalogueUnavailable(f"Could not fetch the model list ({reason}).") from exc
        hours = (time.time() - cached.fetched) / 3600
        return cached.models, (
            f"Could not refresh the model list ({reason}); showing the one "
            f"fetched {hours:.0f} h ago."
        )
    finally:
        await client.close()
    try:
        write_cache(settings.base_url, entries)
    except OSError as exc:  # the list is here all the same; only the next start pays again
        return parse_models(entries), (
            f"Could not keep the model list in the data folder "
            f"({exc.strerror or exc}); it is fetched again next "
            "time."
        )
    return parse_models(entries), None
