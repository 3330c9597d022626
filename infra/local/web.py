"""Serves the SPA (web/dist, or web/placeholder before the SPA is built) and its /config.json.

Locally the browser talks to moto's Cognito, so config.json carries moto's URL as
`cognitoEndpoint`; deployed, the SPA uses the regional Cognito endpoint instead.

Every response of the site carries the headers of the distribution's response headers policy
(`response_headers`, from infra.local.engine.response_headers), so its Content-Security-Policy is
enforced locally as deployed. The local-only pages and controls are not part of the distribution
and go without them.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.constants import WEB_DIST_DIR, WEB_PLACEHOLDER_DIR

log = logging.getLogger(__name__)

def site_directory() -> Path:
    """The same choice the stack's BucketDeployment makes (infra.constructs.web.web_content_dir)."""
    return WEB_DIST_DIR if WEB_DIST_DIR.is_dir() else WEB_PLACEHOLDER_DIR


class _SiteRequestHandler(SimpleHTTPRequestHandler):
    server: WebHTTPServer

    local_only = False  # a local-only page or control: not served by the distribution

    def end_headers(self) -> None:
        if not self.local_only:
            for name, value in self.server.response_headers.items():
                self.send_header(name, value)
        super().end_headers()

    def do_GET(self) -> None:  # http.server's naming
        path, _, query = self.path.partition("?")
        page = self.server.pages.get(path)
        self.local_only = page is not None
        if page is not None:  # local-only pages (the mailbox): HTML, or JSON with ?format=json
            if "format=json" in query:
                self._send(200, "application/json; charset=utf-8", json.dumps(page.as_json(), ensure_ascii=False).encode())
            else:
                self._send(200, "text/html; charset=utf-8", page.as_html().encode())
            return
        if path == "/config.json":
            body = json.dumps(self.server.config).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        # Client-side routes (no file extension, no such file) get the SPA's index.html.
        if "." not in path.rsplit("/", 1)[-1] and not Path(self.translate_path(path)).exists():
            self.path = "/index.html"
        super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        """Local-only controls (the demo clock); they do not exist in the deployed stack."""
        self.local_only = True
        control = self.server.controls.get(self.path.split("?", 1)[0])
        if control is None:
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            status, answer = 200, control(body)
        except (ValueError, TypeError) as error:
            status, answer = 400, {"message": str(error)}
        payload = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("web: " + format, *args)


class WebHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], directory: Path, config: dict[str, Any]) -> None:
        self.config = config
        self.controls: dict[str, Any] = {}  # path → callable(body) → JSON answer, for POST
        self.pages: dict[str, Any] = {}  # path → object with as_html() and as_json(), for GET
        self.response_headers: dict[str, str] = {}  # what CloudFront adds to the site's responses
        super().__init__(address, partial(_SiteRequestHandler, directory=str(directory)))
