"""Where the `rill` command starts.

The collector is off from the very first import: start-up builds a few hundred thousand objects
that live as long as the program, and collecting them as they appear took about a tenth of
the time to the chat's first frame. Commands other than the chat turn it back on at once (see
`cli.main`); the chat does once its first frame is drawn (see `RillApp`).
"""

import gc


def main() -> int:
    gc.disable()
    from rillchat.cli.main import main as run

    code = run()
    # Everything is closed and saved by now; what is left is the interpreter taking apart a
    # whole session's objects. With the MCP SDK loaded its last collection made Rill end 0.6
    # to 1.6 s after Ctrl+Q had done its work. Frozen, they are left to the operating system.
    gc.freeze()
    return code
