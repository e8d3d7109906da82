"""Tools the model may call: what each one is, how it runs, and how its arguments are checked.

Plain Python (no Textual): the chat screen and `rill ask --tools` share all of it."""
