"""`python -m rillchat.demo --port 8765`: run the demo server on its own."""

from __future__ import annotations

import argparse
import sys

from rillchat.demo.pacing import Pacing
from rillchat.demo.server import DemoServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rillchat.demo",
        description="Run Rill's local OpenRouter-compatible server on 127.0.0.1.",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: any free one)"
    )
    parser.add_argument(
        "--instant",
        action="store_true",
        help="answer without pauses between tokens (tests and benchmarks)",
    )
    args = parser.parse_args(argv)
    try:
        server = DemoServer(args.port, pacing=Pacing.instant() if args.instant else Pacing())
    except OSError as exc:
        print(f"rill demo: cannot listen on port {args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Rill demo server listening on {server.url}", flush=True)
    print(
        f"Try: OPENROUTER_BASE_URL={server.url} OPENROUTER_API_KEY=demo rill ask hello", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
