"""A local server that speaks OpenRouter's dialect over real HTTP, on loopback only.

It serves `POST /chat/completions` (streamed and not), `GET /models` and `GET /key`, under both
`/` and `/api/v1/`. It runs in a thread, so `rill --demo` and the tests can start it beside the
app, or on its own with `python -m rillchat.demo`.
"""

from __future__ import annotations

import json
import logging
import select
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rillchat.demo.addresses import API_PREFIX, LOOPBACK
from rillchat.demo.catalogue import catalogue
from rillchat.demo.completion import completion_from_steps
from rillchat.demo.pacing import Pacing
from rillchat.demo.replay_scenarios import RECORDINGS_DIR
from rillchat.demo.scenarios import fails, plan_for, validate
from rillchat.demo.wire import (
    Comment,
    Data,
    Done,
    Drop,
    HttpError,
    Pause,
    PlainBody,
    RawBytes,
    Stall,
    StreamPlan,
    encode_event,
)

log = logging.getLogger(__name__)

_FLUSH_BYTES = 16384


class _ClientGone(Exception):
    """The client closed the connection; nothing more to write."""


class DemoServer:
    """Start with `start()` (or `with DemoServer() as server:`); `url` is the base URL to give
    the client."""

    def __init__(
        self,
        port: int = 0,
        *,
        pacing: Pacing | None = None,
        recordings_dir: Path = RECORDINGS_DIR,
        stall_limit: float = 300.0,
        transient_failures: bool = False,
        listening: socket.socket | None = None,
        shell_advice: bool = False,
    ) -> None:
        """`listening`: a socket already bound and listening on loopback, to serve instead of
        binding `port` (see `deferred.DeferredDemoServer`)."""
        self.pacing = pacing if pacing is not None else Pacing()
        self.transient_failures = transient_failures
        """When set, a failure scenario fails once: the same request sent again (a retry)
        gets an answer. The interactive demo uses this so Retry can be seen working."""
        self.shell_advice = shell_advice
        """Replies that give advice give it for `rill ask` in a shell (flags, not keys)."""
        self._failed_requests: set[str] = set()
        self._failed_lock = threading.Lock()
        self.recordings_dir = recordings_dir
        self.stall_limit = stall_limit
        self.stall_after: int | None = None
        """When set, every stream goes silent after this many data events, as a stalled
        provider does; scripts set it to picture a reply mid-stream, always at the same word."""
        self.rejected_keys: set[str] = set()
        """Keys every endpoint refuses with a 401 that quotes the Authorization header back,
        as a revoked key meets a proxy that echoes what it was sent."""
        self.stopping = threading.Event()
        self.requests: list[dict[str, Any]] = []
        """Every chat request body received, newest last (tests read it)."""
        self.request_headers: list[Any] = []
        """The headers of those requests (case-insensitive mappings), in the same order."""
        if listening is None:
            self._httpd = _QuietThreadingServer((LOOPBACK, port), _Handler)
        else:
            self._httpd = _QuietThreadingServer(
                listening.getsockname(), _Handler, bind_and_activate=False
            )
            self._httpd.socket.close()
            self._httpd.socket = listening
        self._httpd.demo = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}{API_PREFIX}"

    def recovers(self, body: dict[str, Any]) -> bool:
        """Whether this request should get the retry-worked answer instead of its failure;
        remembers a first failure so its retry recovers."""
        if not self.transient_failures or not fails(body):
            return False
        key = json.dumps(body, sort_keys=True)
        with self._failed_lock:
            if key in self._failed_requests:
                self._failed_requests.discard(key)
                return True
            self._failed_requests.add(key)
            return False

    def start(self) -> DemoServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="rill-demo-server", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _QuietThreadingServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a cancelled reply, a test that is done) is routine here."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            log.debug("demo server: client %s went away: %s", client_address, error)
            return
        log.exception("demo server: error while answering %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RillDemo/1"

    @property
    def demo(self) -> DemoServer:
        return self.server.demo  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("demo server: " + format, *args)

    # Routing -----------------------------------------------------------------------------

    def _route(self) -> str:
        path = self.path.split("?", 1)[0]
        return path.removeprefix(API_PREFIX).rstrip("/") or "/"

    def _refused_key(self) -> bool:
        """Answer a 401 quoting the header back when the key is one the demo rejects."""
        authorization = self.headers.get("Authorization", "")
        if authorization.removeprefix("Bearer ").strip() not in self.demo.rejected_keys:
            return False
        self._send_error(HttpError(401, {"code": 401, "message": f"Key revoked: {authorization}"}))
        return True

    def do_GET(self) -> None:
        route = self._route()
        if self._refused_key():
            return
        if route == "/models":
            self._send_json(200, {"data": catalogue()})
        elif route == "/key":
            self._send_json(
                200,
                {
                    "data": {
                        "label": "sk-or-v1-dem...demo",
                        "limit": 10.0,
                        "limit_remaining": 9.5,
                        "limit_reset": None,
                        "usage": 0.5,
                        "usage_daily": 0.01,
                        "is_free_tier": False,
                        "rate_limit": {"requests": 20, "interval": "10s"},
                    }
                },
            )
        else:
            self._send_error(HttpError(404, {"code": 404, "message": f"No route for GET {route}"}))

    def do_POST(self) -> None:
        route = self._route()
        body_bytes = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if route != "/chat/completions":
            self._send_error(
                HttpError(404, {"code": 404, "message": f"No route for POST {route}"})
            )
            return
        if not self.headers.get("Authorization", "").removeprefix("Bearer ").strip():
            self._send_error(HttpError(401, {"code": 401, "message": "No auth credentials found"}))
            return
        if self._refused_key():
            return
        try:
            body = json.loads(body_bytes or b"null")
        except ValueError as exc:
            self._send_error(HttpError(400, {"code": 400, "message": f"Invalid JSON body: {exc}"}))
            return
        problem = validate(body)
        if problem is not None:
            self._send_error(problem)
            return
        self.demo.requests.append(body)
        self.demo.request_headers.append(self.headers)
        plan = plan_for(
            body,
            self.demo.pacing,
            self.demo.recordings_dir,
            recovered=self.demo.recovers(body),
            authorization=self.headers.get("Authorization", ""),
            shell_advice=self.demo.shell_advice,
        )
        try:
            if isinstance(plan, HttpError):
                self._send_error(plan)
            elif isinstance(plan, PlainBody):
                self._send_bytes(plan.status, plan.content_type, plan.body)
            elif body.get("stream"):
                self._send_stream(plan)
            else:
                self._send_completion(plan)
        except _ClientGone:
            self.close_connection = True

    # Writing -----------------------------------------------------------------------------

    def _send_json(
        self, status: int, payload: object, headers: dict[str, str] | None = None
    ) -> None:
        self._send_bytes(status, "application/json", json.dumps(payload).encode(), headers)

    def _send_error(self, error: HttpError) -> None:
        self._send_json(error.status, {"error": error.error}, error.headers)

    def _send_bytes(
        self, status: int, content_type: str, data: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(data)

    def _send_completion(self, plan: StreamPlan) -> None:
        status, payload = completion_from_steps(plan.steps)
        if status == 0:
            self._drop()
        else:
            self._send_json(status, payload)

    def _send_stream(self, plan: StreamPlan) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        if plan.generation_id:
            self.send_header("X-Generation-Id", plan.generation_id)
        self.end_headers()
        pending: list[bytes] = []
        pending_size = 0
        events_left = self.demo.stall_after
        for step in plan.steps:
            if isinstance(step, Data) and events_left is not None:
                if events_left == 0:
                    step = Stall()
                events_left -= 1
            if isinstance(step, (Data, Comment, Done, RawBytes)):
                encoded = step.data if isinstance(step, RawBytes) else encode_event(step)
                pending.append(encoded)
                pending_size += len(encoded)
                if pending_size >= _FLUSH_BYTES:
                    self._write_chunk(b"".join(pending))
                    pending.clear()
                    pending_size = 0
                continue
            if pending:
                self._write_chunk(b"".join(pending))
                pending.clear()
                pending_size = 0
            if isinstance(step, Pause):
                if self.demo.stopping.wait(step.seconds):
                    return
            elif isinstance(step, Drop):
                self._drop()
                return
            elif isinstance(step, Stall):
                self._stall()
                return
        if pending:
            self._write_chunk(b"".join(pending))
        self._write(b"0\r\n\r\n")

    def _write_chunk(self, data: bytes) -> None:
        self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _ClientGone from exc

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _stall(self) -> None:
        """Say nothing until the client hangs up, the server stops, or the limit passes."""
        self.close_connection = True
        deadline = time.monotonic() + self.demo.stall_limit
        while time.monotonic() < deadline and not self.demo.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.2)
            if not readable:
                continue
            try:
                if not self.connection.recv(1, socket.MSG_PEEK):
                    return
            except OSError:
                return
            time.sleep(0.2)
