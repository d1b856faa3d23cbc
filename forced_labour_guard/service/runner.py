"""The one thread per worker that owns the Guard, and the time limit on every call into it.

Why one thread. Endpoints must not screen on the event loop (a slow record would stall every other
request and no time limit could be kept), so screening runs in a thread. But the stores on
``main`` are not yet safe to share between threads (the campaign store's SQLite connection may only
be used by the thread that opened it), so this worker's Guard is built in, used in and closed in one
dedicated thread, and calls into it are queued there one at a time. That costs nothing in
throughput: screening is pure Python and holds the GIL, so two threads in one process would not
run it faster; parallelism comes from ``--workers`` (processes). When the stores are thread-safe,
this single-thread executor is the one place to widen.

The time limit. Each call gets ``timeout`` seconds from when it is queued. A call that has not
started by then is cancelled; one that is running cannot be stopped, so it finishes in the
background (and, with a store, its decision is recorded), while the caller has already been
answered with a fail-closed block. That mismatch is logged under the request id.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from forced_labour_guard.guard import Guard
from forced_labour_guard.service.request_context import current_request_id, request_id_var
from forced_labour_guard.store.audited import AuditedGuard

log = logging.getLogger(__name__)

Screener = Guard | AuditedGuard
T = TypeVar("T")


class ScreeningFailed(Exception):
    """A call into the Guard could not produce an answer; ``str`` says why (for the decision) and
    ``kind`` names the failure for the metrics (``timeout``, ``internal``)."""

    def __init__(self, why: str, *, kind: str = "internal") -> None:
        self.kind = kind
        super().__init__(why)


class GuardRunner:
    """Builds a Guard in its own thread and runs every call into it there, within a time limit."""

    def __init__(self, build: Callable[[], Screener], *, timeout: float) -> None:
        self._build = build
        self.timeout = timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="flg-guard"
        )
        self.screener: Screener | None = None
        self.startup_problem: str | None = None

    async def start(self) -> None:
        """Build the Guard; if that fails, remember why (every decision then blocks)."""
        try:
            self.screener = await asyncio.wrap_future(self._executor.submit(self._build))
        except Exception as error:
            log.exception("the Guard could not be built; every decision will block")
            self.startup_problem = f"it could not be set up ({type(error).__name__}: {error})"

    @property
    def guard(self) -> Guard | None:
        """The plain Guard inside (its policy, lists and problems), if it was built."""
        if isinstance(self.screener, AuditedGuard):
            return self.screener.guard
        return self.screener

    async def run(self, work: Callable[[Screener], T]) -> T:
        """``work(screener)`` in the Guard's thread; ScreeningFailed on time-out or error."""
        screener = self.screener
        if screener is None:
            raise ScreeningFailed(self.startup_problem or "it is not set up", kind="startup")
        context = contextvars.copy_context()
        future = self._executor.submit(context.run, work, screener)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            if not future.cancel():
                future.add_done_callback(functools.partial(_log_late_finish, current_request_id()))
            log.error("screening passed its time limit of %.1f s; answered block", self.timeout)
            raise ScreeningFailed(
                f"it did not finish within the time limit of {self.timeout:g} seconds",
                kind="timeout",
            ) from None
        except ScreeningFailed:
            raise
        except Exception as error:
            log.exception("screening raised; answered block")
            raise ScreeningFailed(f"an internal error occurred ({type(error).__name__})") from None

    async def call(self, work: Callable[[Screener], T], timeout: float) -> T:
        """Any other call in the Guard's thread (readiness checks) with its own time limit."""
        if self.screener is None:
            raise ScreeningFailed(self.startup_problem or "it is not set up")
        future = self._executor.submit(work, self.screener)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
        except TimeoutError:
            future.cancel()
            raise ScreeningFailed(f"no answer within {timeout:g} seconds") from None

    async def close(self, grace: float) -> None:
        """Close the stores in the Guard's thread (after the calls queued before), then stop it."""
        if self.screener is not None:
            future = self._executor.submit(close_stores, self.screener)
            try:
                await asyncio.wait_for(asyncio.wrap_future(future), grace)
            except Exception:
                log.exception("the stores could not be closed cleanly")
        self._executor.shutdown(wait=False, cancel_futures=True)


def stores_of(screener: Screener) -> list[Any]:
    """The stores a Guard built by ``build_guard`` holds open: the audit store and the campaign
    store its B4 provider reads."""
    stores: list[Any] = []
    guard = screener
    if isinstance(screener, AuditedGuard):
        stores.append(screener.store)
        guard = screener.guard
    campaign_store = getattr(getattr(guard, "b4_status", None), "store", None)
    if campaign_store is not None:
        stores.append(campaign_store)
    return stores


def close_stores(screener: Screener) -> None:
    for store in stores_of(screener):
        store.close()
        log.info("store closed: %s", type(store).__name__)


def store_problem(screener: Screener) -> str | None:
    """Why the audit store is not usable now, or None (read in the Guard's thread)."""
    if not isinstance(screener, AuditedGuard):
        return None
    path = getattr(screener.store, "path", None)
    if path is not None and not Path(path).is_file():
        return "the audit store file is gone"
    try:
        screener.store.first_seen(["readiness check"])
    except Exception as error:
        return f"the audit store cannot be read ({type(error).__name__}: {error})"
    return None


def _log_late_finish(request_id: str, future: concurrent.futures.Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    outcome = f"raised {type(error).__name__}" if error else "finished"
    token = request_id_var.set(request_id)
    try:
        log.warning(
            "a screening that passed its time limit %s afterwards; the caller had been answered "
            "block (with a store, what it decided is on record)",
            outcome,
        )
    finally:
        request_id_var.reset(token)
