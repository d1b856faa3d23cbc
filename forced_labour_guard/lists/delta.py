"""Delta screening: after a list update, which suppliers hit the entries new in this version.

Screening every supplier again after each update finds the same old hits again; screening against
only the new entries (what SAP GTS calls delta screening) shows what the update changed. Each
supplier's related companies (subsidiaries, parents, sub-suppliers, operations) are checked too,
with the Guard's own walk of the supplier graph (:func:`forced_labour_guard.detectors.walk_supplier`)
and the same depth limit, so a company the Guard would block is never one the delta misses. What
lies beyond the limit is reported as a :class:`DeltaGap`, as the Guard reports it, never passed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from forced_labour_guard.detectors import walk_supplier
from forced_labour_guard.lists.base import WatchlistMatch
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import ListVersion, Supplier, supplier_key


@dataclass(frozen=True)
class DeltaHit:
    where: str
    """Which record of the input (file and line)."""
    supplier: str
    """The screened supplier's id, else its name."""
    subject: str
    """Path to the company that matched, e.g. 'supplier.relationships[0].supplier'."""
    match: WatchlistMatch


@dataclass(frozen=True)
class DeltaGap:
    """A related company deeper than the depth limit: it was not delta-screened."""

    where: str
    supplier: str
    subject: str


def rescreen(
    suppliers: Iterable[tuple[str, Supplier]],
    added: list[ListEntry],
    version: ListVersion,
    *,
    min_score: float,
    max_depth: int,
) -> Iterator[DeltaHit | DeltaGap]:
    """Matches of each supplier (and its related companies, ``max_depth`` tiers down, as the
    Guard's policy walks them) against the new entries only, and the companies left beyond."""
    if not added:
        return
    delta = EntityWatchlist(
        version.model_copy(update={"entries": sum(e.listings for e in added)}), added
    )
    for where, supplier in suppliers:
        key = supplier_key(supplier)
        walk = walk_supplier(supplier, max_depth=max_depth)
        for node in walk.nodes:
            for match in delta.match(node.supplier, min_score=min_score):
                yield DeltaHit(where, key, node.path, match)
        for path in walk.not_screened:
            yield DeltaGap(where, key, path)
