"""Links in model output: only web links are followed."""

from __future__ import annotations

from textual.widget import Widget

SAFE_LINK_SCHEMES = ("http://", "https://")


def open_safe_link(widget: Widget, href: str) -> None:
    if href.lower().startswith(SAFE_LINK_SCHEMES):
        widget.app.open_url(href)
    else:
        widget.notify(
            f"Rill only opens http and https links; not opening {href[:80]!r}.",
            severity="warning",
            markup=False,
        )
