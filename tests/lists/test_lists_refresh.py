"""Refreshing a list over HTTP, against a real server on 127.0.0.1 (and `responses` for timeouts)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import pytest
import requests
import responses

from forced_labour_guard.lists.refresh import (
    Fetcher,
    ListSource,
    RetryPolicy,
    UpdateRefused,
    atomic_write_text,
    previous_path,
    read_snapshot,
    snapshot_path,
    update_list,
)

PAGE = (Path(__file__).parent / "data" / "dhs_uflpa_page.html").read_text(encoding="utf-8")
FAST = RetryPolicy(attempts=3, initial_wait=0.01, max_wait=0.02)
NOW = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)


def small_page(names: list[str]) -> str:
    rows = "".join(f"<tr><td>{n}</td><td>June 12, 2023</td></tr>" for n in names)
    return (
        "<main><p><strong>Entities</strong> <a href='#'>Section 2(d)(2)(B)(ii)</a></p>"
        f"<table><tr><th>Entity Name</th><th>Effective Date</th></tr>{rows}</table></main>"
    )


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False


@dataclass
class Server:
    url: str
    replies: list[Reply]
    seen: list[dict[str, str]]


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(url="", replies=[], seen=[])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append(dict(self.headers))
            reply = state.replies.pop(0) if state.replies else Reply(status=404)
            data = reply.body.encode("utf-8")
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.status == 304:
                self.end_headers()
                return
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data) * (2 if reply.truncate else 1)))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
            if reply.truncate:
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/uflpa-entity-list"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def fetcher() -> Fetcher:
    return Fetcher(retry=FAST, timeout=(2.0, 5.0), cache_ttl=0.001)


def source(server: Server, *, max_shrink: float = 0.2) -> ListSource:
    return ListSource(name="uflpa", url=server.url, format="dhs-html", max_shrink=max_shrink)


def test_good_update_is_stored_with_its_validators(server: Server, tmp_path: Path) -> None:
    server.replies = [
        Reply(body=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Wed, 20 Aug 2026 10:00:00 GMT"})
    ]
    result = update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    assert result.status == "updated"
    assert len(result.added) == 16 and result.previous_count is None
    stored = read_snapshot(tmp_path, "uflpa")
    assert stored is not None
    assert stored.etag == '"v1"' and stored.checked_at == NOW
    assert stored.version.as_of == dt.date(2026, 8, 3)
    assert stored.version.name == "UFLPA Entity List"
    assert any("unbalanced brackets" in p for p in stored.problems)


def test_304_not_modified_confirms_the_stored_copy(server: Server, tmp_path: Path) -> None:
    server.replies = [
        Reply(
            body=PAGE, headers={"ETag": '"v1"', "Last-Modified": "Wed, 20 Aug 2026 10:00:00 GMT"}
        ),
        Reply(status=304),
    ]
    update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    later = NOW + dt.timedelta(days=3)
    result = update_list(source(server), tmp_path, fetcher=fetcher(), now=later)
    assert result.status == "not_modified"
    assert server.seen[1]["If-None-Match"] == '"v1"'
    assert server.seen[1]["If-Modified-Since"] == "Wed, 20 Aug 2026 10:00:00 GMT"
    stored = read_snapshot(tmp_path, "uflpa")
    assert stored is not None and stored.checked_at == later and stored.fetched_at == NOW
    assert len(stored.entries) == 16


def test_500_then_success_after_retries(server: Server, tmp_path: Path) -> None:
    server.replies = [
        Reply(status=500, body="oops"),
        Reply(status=503, body="busy"),
        Reply(body=PAGE),
    ]
    result = update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    assert result.status == "updated"
    assert len(server.seen) == 3


def test_persistent_500_is_refused_and_keeps_the_last_good_copy(
    server: Server, tmp_path: Path
) -> None:
    server.replies = [Reply(body=PAGE)] + [Reply(status=500)] * 3
    update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    before = snapshot_path(tmp_path, "uflpa").read_text()
    with pytest.raises(UpdateRefused, match="failed after 3 attempts"):
        update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    assert snapshot_path(tmp_path, "uflpa").read_text() == before


def test_truncated_body_is_retried_then_refused(server: Server, tmp_path: Path) -> None:
    server.replies = [Reply(body=PAGE[:2000], truncate=True)] * 3
    with pytest.raises(UpdateRefused, match="failed after 3 attempts"):
        update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    assert not snapshot_path(tmp_path, "uflpa").exists()


def test_truncated_body_then_a_whole_one(server: Server, tmp_path: Path) -> None:
    server.replies = [Reply(body=PAGE[:2000], truncate=True), Reply(body=PAGE)]
    assert update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW).status == "updated"


def test_shrink_guard_refuses_then_force_accepts(server: Server, tmp_path: Path) -> None:
    server.replies = [Reply(body=PAGE), Reply(body=small_page(["Camel Group Co., Ltd."]))]
    update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    with pytest.raises(UpdateRefused, match=r"has 1 listings against 25 .* more than 20%"):
        update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    stored = read_snapshot(tmp_path, "uflpa")
    assert stored is not None and len(stored.entries) == 16
    server.replies = [Reply(body=small_page(["Camel Group Co., Ltd."]))]
    result = update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW, force=True)
    assert result.status == "updated" and len(result.removed) == 16
    previous = previous_path(tmp_path, "uflpa").read_text()
    assert "Ninestar Corporation" in previous  # the last good copy is kept beside the new one


def test_an_empty_or_unparseable_download_is_refused(server: Server, tmp_path: Path) -> None:
    server.replies = [Reply(body="<html><body><p>Maintenance</p></body></html>")]
    with pytest.raises(UpdateRefused, match="holds no entries"):
        update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    server.replies = [Reply(body="this is not json lines")]
    ftm = ListSource(name="os", url=server.url, format="ftm")
    with pytest.raises(UpdateRefused, match="does not parse"):
        update_list(ftm, tmp_path, fetcher=fetcher(), now=NOW)


def test_delta_lists_only_the_new_entries(server: Server, tmp_path: Path) -> None:
    first = ["Camel Group Co., Ltd.", "Ninestar Corporation"]
    server.replies = [
        Reply(body=small_page(first)),
        Reply(body=small_page([*first, "Xinjiang Zhongtai Chemical Co. Ltd."])),
    ]
    update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    result = update_list(source(server), tmp_path, fetcher=fetcher(), now=NOW)
    assert [e.name for e in result.added] == ["Xinjiang Zhongtai Chemical Co. Ltd."]


def test_ttl_cache_spares_a_second_download(server: Server, tmp_path: Path) -> None:
    server.replies = [Reply(body=PAGE)]
    shared = Fetcher(retry=FAST, cache_ttl=60)
    update_list(source(server), tmp_path / "a", fetcher=shared, now=NOW)
    update_list(source(server), tmp_path / "b", fetcher=shared, now=NOW)
    assert len(server.seen) == 1


def half_then_fail(handle: IO[str], text: str) -> None:
    handle.write(text[: len(text) // 2])
    raise OSError("disk full (simulated)")


def test_atomic_write_survives_a_failure_mid_write(tmp_path: Path) -> None:
    target = tmp_path / "uflpa.json"
    target.write_text("the last good copy")
    with pytest.raises(OSError, match="simulated"):
        atomic_write_text(target, "x" * 100_000, writer=half_then_fail)
    assert target.read_text() == "the last good copy"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_write_survives_a_process_killed_mid_write(tmp_path: Path) -> None:
    target = tmp_path / "uflpa.json"
    target.write_text("the last good copy")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from forced_labour_guard.lists.refresh import atomic_write_text\n"
        "def die(handle, text):\n"
        "    handle.write(text[:50000]); handle.flush(); os._exit(9)\n"
        "atomic_write_text(Path(sys.argv[1]), 'y' * 100000, writer=die)\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        env={"PYTHONPATH": str(root)},
        check=False,
        timeout=60,
    )
    assert done.returncode == 9
    assert target.read_text() == "the last good copy"


@responses.activate
def test_timeouts_are_retried_then_refused(tmp_path: Path) -> None:
    url = "https://lists.example.test/uflpa"
    for _ in range(3):
        responses.add(responses.GET, url, body=requests.exceptions.ConnectTimeout("timed out"))
    with pytest.raises(UpdateRefused, match="failed after 3 attempts"):
        update_list(ListSource("uflpa", url, "dhs-html"), tmp_path, fetcher=fetcher(), now=NOW)
    assert len(responses.calls) == 3


@responses.activate
def test_a_read_timeout_then_success(tmp_path: Path) -> None:
    url = "https://lists.example.test/uflpa"
    responses.add(responses.GET, url, body=requests.exceptions.ReadTimeout("slow"))
    responses.add(responses.GET, url, body=PAGE, status=200)
    result = update_list(ListSource("uflpa", url, "dhs-html"), tmp_path, fetcher=fetcher(), now=NOW)
    assert result.status == "updated"


@responses.activate
def test_a_404_is_refused_without_retry(tmp_path: Path) -> None:
    url = "https://lists.example.test/uflpa"
    responses.add(responses.GET, url, status=404)
    with pytest.raises(UpdateRefused, match="HTTP 404"):
        update_list(ListSource("uflpa", url, "dhs-html"), tmp_path, fetcher=fetcher(), now=NOW)
    assert len(responses.calls) == 1
