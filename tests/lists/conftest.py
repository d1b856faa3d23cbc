"""The local web server the list tests download from (loopback only)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.lists.lists_site import Quiet


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(folder served, URL of its list.html) on a free port of 127.0.0.1."""
    root = tmp_path / "site"
    root.mkdir()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_address[1]}/list.html"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
