"""The demo server as `rill --demo` starts it: listening at once, loaded later.

Its address is known before the chat starts, but the HTTP machinery and the scenarios (about
50 ms of imports) load in a thread on the first connection, or once start-up has had time to
finish. A connection made before then waits in the socket's queue, so nothing is lost; the
chat's first screen just does not wait for a server nobody has called yet.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from rillchat.demo.addresses import API_PREFIX, LOOPBACK

if TYPE_CHECKING:
    from rillchat.demo.server import DemoServer

IDLE_BEFORE_LOADING = 1.0
"""Seconds without a connection after which the server loads anyway (the first screen has
been drawn by then), so the first request does not wait for the imports."""


class DeferredDemoServer:
    """`with DeferredDemoServer(**options) as server:` gives `server.url` at once; `options`
    go to `DemoServer`."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._listening = socket.create_server((LOOPBACK, 0))
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._server: DemoServer | None = None
        self._thread = threading.Thread(
            target=self._serve_when_wanted, daemon=True, name="rill-demo-server"
        )

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._listening.getsockname()[1]}{API_PREFIX}"

    def start(self) -> DeferredDemoServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            server = self._server
        if server is not None:
            server.stop()
        # Otherwise the waiting thread closes the socket: closed under its select(), it
        # would fail there.

    def __enter__(self) -> DeferredDemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve_when_wanted(self) -> None:
        deadline = time.monotonic() + IDLE_BEFORE_LOADING
        while not self._stopping.is_set() and time.monotonic() < deadline:
            called, _, _ = select.select([self._listening], [], [], 0.05)
            if called:
                break
        with self._lock:
            if self._stopping.is_set():
                self._listening.close()
                return
            from rillchat.demo.server import DemoServer

            server = self._server = DemoServer(listening=self._listening, **self._options)
        server.serve_forever()
