"""Rill's configuration: the keys of config.toml declared once (`keys`), reading, checking and
writing the file (`file`, `kinds`, `template`), the settings one run works with (`settings`),
the environment's part in them (`environment`) and the folders Rill keeps things in (`paths`).
"""
