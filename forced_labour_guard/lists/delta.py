"""Delta screening: after a list update, which suppliers hit the entries new in this version.

Screening every supplier again after each update finds the same old hits again; screening against
only the new entries (what SAP GTS calls delta screening) shows what the update changed. Each
supplier's related companies (subsidiaries, parents, sub-suppliers, operations) are checked too,
as the Guard does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from forced_labour_guard.lists.base import WatchlistMatch
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import ListVersion, Supplier

MAX_DEPTH = 6


@dataclass(frozen=True)
class DeltaHit:
    where: str
    """Which record of the input (file and line)."""
    supplier: str
    """The screened supplier's id, else its name."""
    subject: str
    """Path to the company that matched, e.g. 'supplier.relationships[0].supplier'."""
    match: WatchlistMatch


def _companies(supplier: Supplier, path: str, depth: int) -> Iterator[tuple[str, Supplier]]:
    yield path, supplier
    if depth >= MAX_DEPTH:
        return
    for index, relationship in enumerate(supplier.relationships):
        yield from _companies(
            relationship.supplier, f"{path}.relationships[{index}].supplier", depth + 1
        )


def rescreen(
    suppliers: Iterable[tuple[str, Supplier]],
    added: list[ListEntry],
    version: ListVersion,
    *,
    min_score: float,
) -> Iterator[DeltaHit]:
    """Matches of each supplier (and its related companies) against the new entries only."""
    if not added:
        return
    delta = EntityWatchlist(
        version.model_copy(update={"entries": sum(e.listings for e in added)}), added
    )
    for where, supplier in suppliers:
        for subject, company in _companies(supplier, "supplier", 0):
            for match in delta.match(company, min_score=min_score):
                yield DeltaHit(where, supplier.id or supplier.name, subject, match)
