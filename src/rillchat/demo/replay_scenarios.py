"""The `demo/replay/NAME` scenarios: a recorded stream played back as it was captured, with
markers in the recording for where the server stalls or the network splits the stream."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rillchat.demo.pacing import Pacing
from rillchat.demo.replies import bad_request
from rillchat.demo.wire import Pause, Plan, RawBytes, Stall, Step, StreamPlan

RECORDINGS_DIR = Path(__file__).with_name("recordings")

STALL_MARKER = b": rill-stall"
"""A comment line in a recording where the server goes silent, leaving the stream open."""
CUT_MARKER = b"<rill-cut>"
"""Anywhere in a recording, even inside a line or a character: the server sends what came
before it as one piece and waits a moment before the rest, as a slow network splits a stream."""
CUT_PAUSE = 0.005


def recording_names(recordings_dir: Path = RECORDINGS_DIR) -> list[str]:
    return sorted(path.stem for path in recordings_dir.glob("*.sse"))


def replay(name: str, recordings_dir: Path, pacing: Pacing) -> Plan:
    path = recordings_dir / f"{name}.sse"
    if "/" in name or not path.is_file():
        known = ", ".join(recording_names(recordings_dir)) or "none"
        return bad_request(f"No recording named {name!r}. Recordings: {known}.")
    data = path.read_bytes()
    events = [event + b"\n\n" for event in data.split(b"\n\n")]
    events[-1] = events[-1][:-2]  # the split added a separator after the last piece

    def steps() -> Iterator[Step]:
        for event in events:
            if event.strip() == STALL_MARKER:
                yield Stall()
            elif event:
                first, *rest = event.split(CUT_MARKER)
                yield RawBytes(first)
                for piece in rest:
                    yield Pause(CUT_PAUSE)
                    yield RawBytes(piece)
                yield from pacing.between_tokens()

    return StreamPlan(steps())
