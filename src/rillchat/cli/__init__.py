"""The command line: `rill`, `rill ask`, `rill history`, `rill config`, `rill models`. Kept
empty: `rill --version` and the chat's start-up import only what they use."""
