"""The settings one command runs with: the user's own, or the demo's (a local server started
for the run), checked as the command line gives them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace

from rillchat.cli.errors import UsageError
from rillchat.config.environment import settings_from_environment
from rillchat.config.settings import DEMO_API_KEY, DEMO_MODEL, Settings
from rillchat.config.values import (
    DEFAULT_MODEL,
    KEY_GOES_IN_FROM_SHELL,
    looks_like_base_url,
    model_id_problem,
)


@contextlib.contextmanager
def demo_or_real_settings(
    *,
    demo: bool,
    model: str | None = None,
    base_url: str | None = None,
    retries: int | None = None,
    timeout: float | None = None,
    transient_failures: bool = False,
    shell_advice: bool = False,
) -> Iterator[Settings]:
    if retries is not None and retries < 0:
        raise UsageError(f"--retries must be 0 or more, got {retries}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {timeout:g}")
    problem = model_id_problem(model, KEY_GOES_IN_FROM_SHELL) if model is not None else None
    if problem is not None:
        raise UsageError(f"-m/--model: {problem}")
    overrides = {"model": model, "retries": retries, "read_timeout": timeout}
    configured = settings_from_environment()
    if not demo:
        settings = configured.with_overrides(base_url=base_url, **overrides)
        check_base_url(settings.base_url)
        yield settings
        return
    from rillchat.demo.deferred import DeferredDemoServer

    with DeferredDemoServer(
        transient_failures=transient_failures, shell_advice=shell_advice
    ) as server:
        yield demo_settings(configured, server.url).with_overrides(**overrides)


def demo_settings(configured: Settings, url: str) -> Settings:
    """The user's settings as `rill --demo` changes them to talk to the demo server at `url`."""
    from rillchat.demo.offer import DEMO_BUILTIN_TOOLS, DEMO_SCHEMA, DEMO_TOOLS
    from rillchat.presets import SchemaPreset

    model = DEMO_MODEL
    if configured.model != DEFAULT_MODEL:
        from rillchat.demo.catalogue import known_ids

        # A model the demo also serves is kept, so a choice made in the demo's settings
        # holds on its next run; any other (a real one) would not answer here.
        if configured.model in known_ids():
            model = configured.model
    # The demo shows tools and structured answers at once: its own command tools and
    # book schema join the user's, and two harmless built-in tools are on. A local
    # server that goes quiet for 5 s has stalled; no need to wait a minute.
    return replace(
        configured,
        api_key=DEMO_API_KEY,
        api_key_source="",
        base_url=url,
        model=model,
        read_timeout=5.0,
        builtin_tools=tuple(dict.fromkeys((*configured.builtin_tools, *DEMO_BUILTIN_TOOLS))),
        command_tools=(*configured.command_tools, *DEMO_TOOLS),
        schemas=(*configured.schemas, SchemaPreset(*DEMO_SCHEMA)),
    )


def check_base_url(url: str) -> None:
    if not looks_like_base_url(url):
        raise UsageError(
            f"the base URL must look like https://host/path, got {url!r} "
            "(check --base-url or OPENROUTER_BASE_URL)"
        )
