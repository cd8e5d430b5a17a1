"""A package index on loopback for tests, with fault injection and a request log.

It serves a directory laid out like ``shared/index-corpus`` (or ``tests/data/index``)::

    simple/<normalized name>/index.json    PEP 691 JSON page (file URLs may be relative)
    files/<wheel filename>.metadata        core metadata (PEP 658)
    files/<filename>                       distributions (wheels), when a test has any
    pypi/<name>/<version>/json             PyPI's per-version JSON API, when a test has it

Routes: ``/simple/<name>/`` answers JSON or HTML by the ``Accept`` header (HTML only in
``html_only`` mode), redirects (301) non-normalized names and missing trailing slashes,
sends an ``ETag`` and answers ``If-None-Match`` with 304; ``/files/<x>`` serves the stored
file, and a ``Range`` request for it (one range: ``bytes=a-b``, ``bytes=a-``,
``bytes=-n``) as a 206 with ``Content-Range``, or 416 when it is out of the file (the
``ranges`` mode makes it ignore ``Range``, drop ``Content-Range`` or answer 416 always);
``/pypi/<name>/<version>/json`` serves the stored JSON; anything else is 404.

Usage::

    with IndexServer(DATA) as server:
        server.fail("/simple/demo/", status=500, times=2)
        ... IndexClient(server.index_url) ...
        assert server.paths() == [...]
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

__all__ = ["Fault", "IndexServer", "LoggedRequest", "RangeMode"]

RangeMode = Literal["bytes", "ignore", "no-content-range", "refuse"]
"""How ``/files/`` answers a ``Range`` request: as HTTP says (``bytes``), with the whole
file (``ignore``), with a 206 but no ``Content-Range`` (``no-content-range``), or with
416 whatever the range (``refuse``)."""

JSON_V1 = "application/vnd.pypi.simple.v1+json"
HTML_V1 = "application/vnd.pypi.simple.v1+html"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    headers: Mapping[str, str]
    """Header names in lower case."""
    status: int


@dataclass
class Fault:
    """What to do instead of the normal answer, for the next ``times`` matching requests
    (forever when ``times`` is None)."""

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    """Replaces the body (with the normal status unless ``status`` is set)."""
    truncate: bool = False
    """Announce the full Content-Length, send half the body, close the connection."""
    delay: float = 0.0
    """Seconds to wait before answering."""
    trickle: float = 0.0
    """Seconds to wait before each piece of the body (of ``piece`` bytes)."""
    piece: int = 1
    times: int | None = 1


class IndexServer:
    """A threaded HTTP server on 127.0.0.1 serving a corpus-shaped directory."""

    def __init__(
        self,
        root: Path,
        *,
        html_only: bool = False,
        auth: tuple[str, str] | None = None,
        advertise_metadata: bool = False,
        send_serial: bool = False,
        ranges: RangeMode = "bytes",
        host: str = "127.0.0.1",
    ) -> None:
        self.root = root
        self.host = host
        self.html_only = html_only
        self.auth = auth
        self.advertise_metadata = advertise_metadata
        self.send_serial = send_serial
        self.ranges = ranges
        self.log: list[LoggedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        """The most requests handled at the same time so far."""
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()
        self._pages: dict[str, dict[str, Any] | None] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> IndexServer:
        server = _Server((self.host, 0), _handler(self))
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (or the ``host`` given)"""
        assert self._server is not None, "server not started"
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def index_url(self) -> str:
        return f"{self.url}/simple/"

    # --- faults and the log ------------------------------------------------------------

    def fail(self, path: str, **kwargs: Any) -> Fault:
        """Add a :class:`Fault` for requests whose path (without query) is ``path``."""
        fault = Fault(**kwargs)
        with self._lock:
            self._faults.setdefault(path, []).append(fault)
        return fault

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            faults = self._faults.get(path, [])
            for fault in faults:
                if fault.times is None:
                    return fault
                if fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def paths(self, method: str | None = None) -> list[str]:
        """Paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.log if method is None or r.method == method]

    def requests_to(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    # --- content -----------------------------------------------------------------------

    def page_data(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            if name in self._pages:
                return self._pages[name]
        path = self.root / "simple" / name / "index.json"
        data: dict[str, Any] | None = None
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            if self.advertise_metadata:
                for entry in data["files"]:
                    stored = self.metadata(entry["filename"] + ".metadata")
                    if stored is not None:
                        digest = hashlib.sha256(stored).hexdigest()
                        entry["core-metadata"] = {"sha256": digest}
        with self._lock:
            self._pages[name] = data
        return data

    def metadata(self, name: str) -> bytes | None:
        if not name.endswith(".metadata"):
            return None
        return self.file(name)

    def file(self, name: str) -> bytes | None:
        if "/" in name or name in {"", ".", ".."}:
            return None
        path = self.root / "files" / name
        return path.read_bytes() if path.is_file() else None

    def release_json(self, name: str, version: str) -> bytes | None:
        if "/" in name or "/" in version or ".." in (name, version):
            return None
        path = self.root / "pypi" / name / version / "json"
        return path.read_bytes() if path.is_file() else None

    def render_html(self, data: dict[str, Any]) -> bytes:
        lines = [
            "<!DOCTYPE html>",
            "<html>",
            "<head>",
            '<meta name="pypi:repository-version" content="1.0">',
            f"<title>Links for {html.escape(data['name'])}</title>",
            "</head>",
            "<body>",
            f"<h1>Links for {html.escape(data['name'])}</h1>",
        ]
        for entry in data["files"]:
            href = entry["url"]
            digest = entry.get("hashes", {}).get("sha256")
            if digest:
                href += f"#sha256={digest}"
            attrs = [f'href="{html.escape(href)}"']
            if entry.get("requires-python"):
                attrs.append(f'data-requires-python="{html.escape(entry["requires-python"])}"')
            yanked = entry.get("yanked")
            if yanked is True:
                attrs.append("data-yanked")
            elif isinstance(yanked, str):
                attrs.append(f'data-yanked="{html.escape(yanked)}"')
            for key in ("core-metadata", "dist-info-metadata"):
                value = entry.get(key)
                if value is True:
                    attrs.append(f'data-{key}="true"')
                elif isinstance(value, dict) and "sha256" in value:
                    attrs.append(f'data-{key}="sha256={value["sha256"]}"')
            lines.append(f"<a {' '.join(attrs)}>{html.escape(entry['filename'])}</a><br/>")
        lines += ["</body>", "</html>", ""]
        return "\n".join(lines).encode()


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # many concurrent connects without SYN retries
    daemon_threads = True
    block_on_close = False


def _wants_json(accept: str) -> bool:
    """True when the Accept header ranks the v1 JSON type above every HTML type."""
    best_json = best_html = 0.0
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media == JSON_V1:
            best_json = max(best_json, q)
        elif media in {HTML_V1, "text/html"}:
            best_html = max(best_html, q)
    return best_json > 0 and best_json >= best_html


def _handler(server: IndexServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

        def do_GET(self) -> None:
            self._counted(head=False)

        def do_HEAD(self) -> None:
            self._counted(head=True)

        def _counted(self, *, head: bool) -> None:
            with server._lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            self._counting = True
            try:
                self._answer(head=head)
            finally:
                self._finished()

        def _finished(self) -> None:
            """Stop counting this request: before its last byte is sent, so that a client
            which has the whole response never sees it counted as still in flight."""
            if self._counting:
                self._counting = False
                with server._lock:
                    server.in_flight -= 1

        def _record(self, path: str, status: int) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with server._lock:
                server.log.append(LoggedRequest(self.command, path, headers, status))

        def _send(
            self,
            status: int,
            body: bytes = b"",
            *,
            headers: Mapping[str, str] | None = None,
            head: bool = False,
            path: str,
            fault: Fault | None = None,
        ) -> None:
            self._record(path, status)
            if fault is not None and fault.delay:
                time.sleep(fault.delay)
            try:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self._finished()
                self.end_headers()
                if head or status == 304:
                    return
                if fault is not None and fault.truncate:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if fault is not None and fault.trickle:
                    for start in range(0, len(body), fault.piece):
                        time.sleep(fault.trickle)
                        self.wfile.write(body[start : start + fault.piece])
                        self.wfile.flush()
                    return
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _answer(self, *, head: bool) -> None:
            path = urlsplit(self.path).path
            fault = server._take_fault(path)
            if server.auth is not None and not self._authorized():
                self._send(
                    401,
                    b"authentication required\n",
                    headers={"WWW-Authenticate": 'Basic realm="index"'},
                    head=head,
                    path=path,
                )
                return
            if fault is not None and fault.status is not None:
                self._send(
                    fault.status,
                    fault.body if fault.body is not None else b"injected fault\n",
                    headers={"Content-Type": "text/plain", **fault.headers},
                    head=head,
                    path=path,
                    fault=fault,
                )
                return
            status, body, headers = self._route(path)
            if fault is not None and fault.body is not None:
                body = fault.body
            headers = {**headers, **(fault.headers if fault else {})}
            if status == 200 and path.startswith("/files/") and "Range" in self.headers:
                status, body, headers = self._range(body, headers)
            if status == 200:
                etag = headers.setdefault("ETag", '"' + hashlib.sha256(body).hexdigest() + '"')
                if self.headers.get("If-None-Match") == etag and fault is None:
                    self._send(304, headers={"ETag": etag}, head=head, path=path)
                    return
            self._send(status, body, headers=headers, head=head, path=path, fault=fault)

        def _authorized(self) -> bool:
            assert server.auth is not None
            user, password = server.auth
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {token}"

        def _range(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
            """The answer to a ``Range`` request for a file of ``body``, by the server's
            ``ranges`` mode."""
            mode = server.ranges
            if mode == "ignore":
                return 200, body, headers
            size = len(body)
            unsatisfiable = {**headers, "Content-Range": f"bytes */{size}"}
            match = re.fullmatch(r"bytes=([0-9]*)-([0-9]*)", self.headers["Range"].strip())
            if match is None or match.group(1) == match.group(2) == "":
                return 200, body, headers  # not a range this server knows: ignored, as HTTP says
            if mode == "refuse":
                return 416, b"", unsatisfiable
            first, last = match.groups()
            if not first:  # the last N bytes
                count = int(last)
                if count == 0 or size == 0:
                    return 416, b"", unsatisfiable
                start, end = max(0, size - count), size - 1
            else:
                start = int(first)
                end = min(int(last), size - 1) if last else size - 1
                if start >= size or start > end:
                    return 416, b"", unsatisfiable
            headers = {**headers}
            if mode != "no-content-range":
                headers["Content-Range"] = f"bytes {start}-{end}/{size}"
            return 206, body[start : end + 1], headers

        def _route(self, path: str) -> tuple[int, bytes, dict[str, str]]:
            text = {"Content-Type": "text/plain"}
            if path.startswith("/simple/"):
                parts = path[len("/simple/") :].split("/")
                name = parts[0]
                if not name or len(parts) > 2 or (len(parts) == 2 and parts[1]):
                    return 404, b"not found\n", text
                wanted = normalize(name)
                if name != wanted or len(parts) == 1:
                    return 301, b"", {"Location": f"/simple/{wanted}/"}
                data = server.page_data(name)
                if data is None:
                    return 404, b"not found\n", text
                headers: dict[str, str] = {}
                if server.send_serial:
                    headers["X-PyPI-Last-Serial"] = str(data["meta"].get("_last-serial", "1"))
                if not server.html_only and _wants_json(self.headers.get("Accept", "")):
                    headers["Content-Type"] = JSON_V1
                    return 200, json.dumps(data).encode(), headers
                headers["Content-Type"] = f"{HTML_V1}; charset=utf-8"
                return 200, server.render_html(data), headers
            if path.startswith("/files/"):
                stored = server.file(path[len("/files/") :])
                if stored is not None:
                    return 200, stored, {"Content-Type": "binary/octet-stream"}
            if path.startswith("/pypi/") and path.endswith("/json"):
                parts = path.split("/")
                if len(parts) == 5:
                    stored = server.release_json(parts[2], parts[3])
                    if stored is not None:
                        return 200, stored, {"Content-Type": "application/json"}
            return 404, b"not found\n", text

    return Handler
