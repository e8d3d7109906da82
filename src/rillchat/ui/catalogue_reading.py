"""The model catalogue read for the app at start-up, for what the chat says of each model
(which ones reason, take tools, answer in JSON)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rillchat.ui.host import RillHost


async def read_catalogue(host: RillHost, load_sdk: Callable[[], Awaitable[Any]]) -> None:
    """What each model can do, off the UI thread and without waiting on the network: the
    demo's own list, or the cached one, fetched again once it is a day old. Each list read is
    handed to `host.remember_catalogue`; `load_sdk` imports the SDK (off the UI thread) that
    fetching needs."""
    from rillchat.catalogue import parse_models, read_cache

    if host.demo:
        from rillchat.demo.catalogue import catalogue

        host.remember_catalogue(await asyncio.to_thread(lambda: parse_models(catalogue())))
        return
    cached = await asyncio.to_thread(read_cache, host.settings.base_url)
    if cached is not None:
        host.remember_catalogue(cached.models)
    if (cached is not None and cached.fresh()) or not host.settings.api_key:
        return
    await load_sdk()  # the SDK, imported off the UI thread
    from rillchat.openrouter.models import CatalogueUnavailable, get_catalogue

    try:
        models, _ = await get_catalogue(host.settings)
    except CatalogueUnavailable:
        return  # the picker says why when it is opened; the chat works without it
    host.remember_catalogue(models)
