"""`rill models`: the catalogue from the shell."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import TextIO

from rillchat.cli import exit_codes


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "models",
        help="list the models you can use, with prices and abilities",
        description="The model catalogue (GET /models), cached for 24 h in the data folder. "
        "Prices are USD per million tokens.",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="only models whose id, name or description hold every word",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--refresh", action="store_true", help="fetch now, not from the cache")
    parser.add_argument("--demo", action="store_true", help="the demo server's catalogue")
    parser.add_argument(
        "--base-url", help="API base URL (default: $OPENROUTER_BASE_URL or OpenRouter's)"
    )


def run_models(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from rillchat.catalogue import format_context, format_price, search
    from rillchat.cli.run_settings import demo_or_real_settings
    from rillchat.openrouter.models import CatalogueUnavailable, get_catalogue

    with demo_or_real_settings(demo=args.demo, base_url=args.base_url) as settings:
        if not settings.api_key:  # the catalogue is public; the SDK still wants a key
            settings = dataclasses.replace(settings, api_key="no-key-needed-for-models")
        try:
            import asyncio

            models, note = asyncio.run(get_catalogue(settings, refresh=args.refresh))
        except CatalogueUnavailable as exc:
            print(f"rill: {exc}", file=stderr)
            return exit_codes.UNAVAILABLE
    if note:
        print(f"rill: {note}", file=stderr)
    shown = search(models, args.search or "")
    for model in shown:
        if args.json:
            print(json.dumps(dataclasses.asdict(model), ensure_ascii=False), file=stdout)
            continue
        print(
            f"{model.id:<52} {format_context(model.context_length):>6}  "
            f"{format_price(model.prompt_price):>8} in  "
            f"{format_price(model.completion_price):>8} out  {' '.join(model.badges)}",
            file=stdout,
        )
    if not shown:
        print(
            f"rill: no model matches {args.search!r}"
            if args.search
            else "rill: the catalogue is empty",
            file=stderr,
        )
    return exit_codes.OK
