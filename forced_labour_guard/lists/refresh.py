"""Refresh a watchlist over HTTP and keep it on disk safely.

* Download with ``requests``; conditional GET (If-None-Match / If-Modified-Since) so an unchanged list
  costs a 304; retries with exponential backoff (``tenacity``) on connection errors, timeouts,
  truncated bodies, 429 and 5xx; an in-process ``cachetools`` TTL cache so that several commands in
  one process do not download the same list again.
* Refuse an update that does not parse, is empty, or shrinks by more than ``max_shrink`` (default
  20%) unless forced, and say why: a half-published or broken page must not silently empty the list
  that stands between a buyer and a listed supplier.
* Write atomically (temporary file in the same folder, fsync, rename) and keep the previous copy as
  ``<name>.prev.json``: a crash mid-write leaves the last good copy in place.
* Report the entries new in this version, for delta screening.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests
from cachetools import TTLCache
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from forced_labour_guard import settings
from forced_labour_guard.clock import utc_now
from forced_labour_guard.errors import FlgError, InputError
from forced_labour_guard.lists.entries import ListEntry, Snapshot, name_key
from forced_labour_guard.lists.loaders import ListFormat, parse_list_text, parse_snapshot
from forced_labour_guard.lists.uflpa import DHS_URL

DEFAULT_MAX_SHRINK = 0.20
DEFAULT_TIMEOUT = (10.0, 60.0)
USER_AGENT = "forced_labour_guard list refresh (+https://pypi.org/project/forced_labour_guard/)"
_LIST_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


class UpdateRefused(FlgError):
    """The download was not taken: it failed, did not parse, was empty or shrank too much."""


class _Retryable(Exception):
    """A response worth trying again: 429, 5xx or a body shorter than announced."""


@dataclass(frozen=True)
class ListSource:
    """Where a list comes from and how to read it."""

    name: str
    """Also the file name in the lists folder, hence letters, digits, '-' and '_' only."""
    url: str
    format: ListFormat
    max_shrink: float = DEFAULT_MAX_SHRINK

    def __post_init__(self) -> None:
        # A name such as '../x', 'a/b', '.x' or 'x.prev' would be stored where the screening
        # commands never look (or outside the folder): the list would silently not be screened.
        if not _LIST_NAME.fullmatch(self.name):
            raise InputError(
                f"{self.name!r} cannot name a stored list; use letters, digits, '-' and '_' "
                "(it becomes the file name in the lists folder)",
                path="name",
            )


UFLPA_SOURCE = ListSource(name="uflpa", url=DHS_URL, format="dhs-html")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    initial_wait: float = 1.0
    max_wait: float = 16.0


@dataclass(frozen=True)
class Fetched:
    status: int
    text: str
    etag: str | None
    last_modified: str | None


@dataclass
class UpdateResult:
    status: str
    """'updated' or 'not_modified'."""
    snapshot: Snapshot
    previous_count: int | None = None
    added: list[ListEntry] = field(default_factory=list)
    removed: list[ListEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Fetcher:
    """HTTP with retries, conditional GET and an in-process TTL cache of successful downloads."""

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        cache_ttl: float = 300.0,
    ) -> None:
        self.session = session or requests.Session()
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.cache: TTLCache[str, Fetched] = TTLCache(maxsize=16, ttl=cache_ttl)

    def fetch(self, url: str, *, etag: str | None, last_modified: str | None) -> Fetched:
        cached = self.cache.get(url)
        if cached is not None:
            return cached
        headers = {"User-Agent": USER_AGENT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.attempts),
            wait=wait_exponential(multiplier=self.retry.initial_wait, max=self.retry.max_wait),
            retry=retry_if_exception_type((requests.ConnectionError, requests.Timeout, _Retryable)),
            reraise=False,
        )
        try:
            fetched = retrying(self._once, url, headers)
        except RetryError as error:
            cause = error.last_attempt.exception()
            raise UpdateRefused(
                f"download of {url} failed after {self.retry.attempts} attempts ({cause}); "
                "the last good copy is kept"
            ) from None
        except requests.RequestException as error:
            raise UpdateRefused(
                f"download of {url} failed ({error}); the last good copy is kept"
            ) from error
        if fetched.status == 200:
            self.cache[url] = fetched
        return fetched

    def _once(self, url: str, headers: dict[str, str]) -> Fetched:
        try:
            response = self.session.get(url, headers=headers, timeout=self.timeout)
        except requests.exceptions.ChunkedEncodingError as error:
            raise _Retryable(f"the body was cut short ({error})") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code == 304:
            return Fetched(
                304, "", response.headers.get("ETag"), response.headers.get("Last-Modified")
            )
        if response.status_code != 200:
            raise UpdateRefused(f"{url} answered HTTP {response.status_code}; nothing was changed")
        declared = response.headers.get("Content-Length")
        encoded = response.headers.get("Content-Encoding")
        if (
            declared
            and not encoded
            and declared.isdigit()
            and len(response.content) < int(declared)
        ):
            raise _Retryable(
                f"the body was cut short ({len(response.content)} of {declared} bytes)"
            )
        response.encoding = response.encoding or "utf-8"
        return Fetched(
            200, response.text, response.headers.get("ETag"), response.headers.get("Last-Modified")
        )


_DEFAULT_FETCHER: Fetcher | None = None


def default_fetcher() -> Fetcher:
    global _DEFAULT_FETCHER
    if _DEFAULT_FETCHER is None:
        _DEFAULT_FETCHER = Fetcher()
    return _DEFAULT_FETCHER


# ------------------------------------------------------------------------------------------------
# Files
# ------------------------------------------------------------------------------------------------


def default_lists_dir() -> Path:
    """$FLG_LISTS_DIR, else $XDG_CACHE_HOME/forced_labour_guard/lists (~/.cache/...)."""
    return settings.lists_dir()


def snapshot_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.json"


def previous_path(directory: Path, name: str) -> Path:
    return directory / f"{name}.prev.json"


def _write(handle: IO[str], text: str) -> None:
    """Write in pieces (a seam for the crash-mid-write test)."""
    step = 1 << 16
    for start in range(0, len(text), step):
        handle.write(text[start : start + step])


def atomic_write_text(
    path: Path, text: str, *, writer: Callable[[IO[str], str], None] | None = None
) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            (writer or _write)(handle, text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _save(path: Path, text: str) -> None:
    """atomic_write_text for update_list: a folder that cannot be written refuses the update."""
    try:
        atomic_write_text(path, text)
    except OSError as error:
        raise UpdateRefused(
            f"cannot write {path} ({error}); the stored copy, if any, is kept"
        ) from None


def read_snapshot(directory: Path, name: str) -> Snapshot | None:
    """The stored copy of a list, or None if there is none (no such file, or the folder is not a
    folder); a damaged or unreadable file is an InputError."""
    path = snapshot_path(directory, name)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"the stored copy cannot be read ({error})", source=str(path)) from None
    return parse_snapshot(text, source=str(path))


def new_entries(old: list[ListEntry], new: list[ListEntry]) -> list[ListEntry]:
    """Entries of ``new`` that ``old`` did not have, by id and by normalised name."""
    ids = {e.id for e in old}
    keys = {name_key(e.name) for e in old}
    return [e for e in new if e.id not in ids and name_key(e.name) not in keys]


def update_list(
    source: ListSource,
    directory: Path,
    *,
    force: bool = False,
    fetcher: Fetcher | None = None,
    now: dt.datetime | None = None,
) -> UpdateResult:
    """Download ``source``, check it, and store it; raises UpdateRefused with the reason."""
    now = now or utc_now()
    fetcher = fetcher or default_fetcher()
    try:
        current = read_snapshot(directory, source.name)
    except InputError:
        current = None  # a damaged copy is replaced; the refresh is how to repair it
    fetched = fetcher.fetch(
        source.url,
        etag=current.etag if current and current.url == source.url else None,
        last_modified=current.last_modified if current and current.url == source.url else None,
    )
    if fetched.status == 304:
        if current is None:
            raise UpdateRefused(f"{source.url} answered 304 Not Modified but no copy is stored")
        confirmed = current.model_copy(update={"checked_at": now})
        _save(snapshot_path(directory, source.name), confirmed.model_dump_json(indent=1))
        return UpdateResult("not_modified", confirmed, previous_count=current.version.entries)

    try:
        parsed = parse_list_text(
            fetched.text, format=source.format, name=source.name, source=source.url
        )
    except InputError as error:
        raise UpdateRefused(
            f"the download does not parse ({error}); the last good copy is kept"
        ) from error
    version, entries, problems = parsed.version, parsed.entries, parsed.problems
    if parsed.unread_tables and not force:
        raise UpdateRefused(
            f"{len(parsed.unread_tables)} table(s) of the download could not be read, so whole "
            f"parts of the list would be missing ({'; '.join(parsed.unread_tables)}); the last "
            "good copy is kept (use --force to store it anyway, marked incomplete)"
        )
    if not entries:
        raise UpdateRefused(
            f"the download from {source.url} holds no entries; the last good copy is kept"
        )
    old_count = current.version.entries if current else None
    new_count = version.entries or len(entries)
    if old_count and not force and new_count < old_count * (1 - source.max_shrink):
        raise UpdateRefused(
            f"the new {source.name} list has {new_count} listings against {old_count} in the stored "
            f"copy, a drop of more than {source.max_shrink:.0%}; this looks like a broken or partial "
            "download, so the stored copy is kept (use --force if the list really shrank)"
        )
    snapshot = Snapshot(
        version=version,
        url=source.url,
        fetched_at=now,
        checked_at=now,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        problems=problems,
        entries=entries,
    )
    target = snapshot_path(directory, source.name)
    if current is not None and target.exists():
        _save(previous_path(directory, source.name), target.read_text("utf-8"))
    _save(target, snapshot.model_dump_json(indent=1))
    old_entries = current.entries if current else []
    return UpdateResult(
        "updated",
        snapshot,
        previous_count=old_count,
        added=new_entries(old_entries, entries) if current else list(entries),
        removed=new_entries(entries, old_entries),
        problems=problems,
    )
