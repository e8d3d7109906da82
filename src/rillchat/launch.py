"""Where the `rill` command starts.

The collector is off from the very first import: start-up builds a few hundred thousand objects
that live as long as the program, and collecting them as they appear took about a tenth of
the time to the chat's first frame. Commands other than the chat turn it back on at once (see
`cli.main`); the chat does once its first frame is drawn (see `RillApp`).
"""

import gc


def main() -> int:
    gc.disable()
    from rillchat.cli import main as run

    return run()
