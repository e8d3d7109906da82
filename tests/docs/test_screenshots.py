"""The README's pictures: `scripts/screenshots.py` draws every one with the real app, each
shows the screen it is named for, and the committed ones are the app as it is now."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY / "scripts" / "screenshots.py"
COMMITTED = REPOSITORY / "screenshots"
REDRAW = "python scripts/screenshots.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("rill_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


screenshots = _load_script()


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> Path:
    """The script, run as a user runs it, into a fresh folder."""
    out = tmp_path_factory.mktemp("screenshots")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"the script failed:\n{result.stdout}\n{result.stderr}"
    return out


def test_every_picture_is_drawn_and_shows_its_screen(drawn):
    assert sorted(path.stem for path in drawn.iterdir()) == sorted(screenshots.PICTURES)
    for name, words in screenshots.PICTURES.items():
        shown = screenshots.svg_text((drawn / f"{name}.svg").read_text(encoding="utf-8"))
        for phrase in words:
            assert phrase in shown, f"{name}.svg does not show {phrase!r}:\n{shown}"
        assert "Traceback" not in shown


def test_the_committed_pictures_are_the_app_as_it_is(drawn):
    committed = sorted(path.stem for path in COMMITTED.glob("*.svg"))
    assert committed == sorted(screenshots.PICTURES), f"screenshots/ is out of date: {REDRAW}"
    stale = [
        name
        for name in screenshots.PICTURES
        if (COMMITTED / f"{name}.svg").read_bytes() != (drawn / f"{name}.svg").read_bytes()
    ]
    assert not stale, (
        f"the app no longer looks like screenshots/{stale[0]}.svg (and "
        f"{len(stale) - 1} more): run {REDRAW}, look at the pictures, commit them"
    )


def test_the_readme_shows_only_pictures_the_script_draws():
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images, "the README shows no pictures"
    assert all(image.startswith("screenshots/") and image.endswith(".svg") for image in images)
    assert sorted({Path(image).stem for image in images}) == sorted(screenshots.PICTURES)


def test_svg_text_reads_rows_and_columns():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><text x="600" y="27">Rill</text>'
        '<text x="24.4" y="20" clip-path="url(#t-line-0)">two&#160;words</text>'
        '<text x="183" y="20" clip-path="url(#t-line-0)">later</text>'
        '<text x="0" y="44" clip-path="url(#t-line-1)">next</text></svg>'
    )
    assert screenshots.svg_text(svg) == "  two words    later\nnext"
