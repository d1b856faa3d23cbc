"""A DHS-like page served on 127.0.0.1, for tests of 'flg lists update' and of Guards that reload."""

from __future__ import annotations

import os
from http.server import SimpleHTTPRequestHandler
from pathlib import Path


def page(names: list[str]) -> str:
    rows = "".join(f"<tr><td>{n}</td><td>June 12, 2023</td></tr>" for n in names)
    return (
        "<p><b>Entities</b> <a href='#'>Section 2(d)(2)(B)(ii)</a></p>"
        f"<table><tr><th>Name of Entity</th><th>Effective Date</th></tr>{rows}</table>"
    )


def publish(root: Path, html: str, version: int) -> None:
    """Write the page with a distinct modification time (HTTP dates have one-second resolution)."""
    path = root / "list.html"
    path.write_text(html)
    stamp = 1_780_000_000 + 3600 * version
    os.utime(path, (stamp, stamp))


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return
