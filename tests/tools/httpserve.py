"""A static HTTP server on 127.0.0.1 for tests and for tests/tools/search_eval.py.

One copy for both: the suite imports it through conftest, and the evaluation runner, which
also runs as a script (`PYTHONPATH=. python tests/tools/search_eval.py SITE`), imports it here.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticHost(QuietHandler):
    """A static host as GitHub Pages is one: the site's 404.html for any missing address.

    `not_found` is the folder of that 404.html under the served one: '' for a site at the root,
    the project's folder for a project site (example-org.github.io/spm-library/).
    """

    not_found = ""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / self.not_found / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@contextlib.contextmanager
def serve(directory: Path, handler_class: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """A static HTTP server for `directory` on 127.0.0.1, on a free port; yields its base URL."""
    handler = functools.partial(handler_class, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
