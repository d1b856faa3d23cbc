"""Delta screening after a list update walks the supplier graph exactly as the Guard does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forced_labour_guard.guard import Guard
from forced_labour_guard.lists.delta import DeltaGap, DeltaHit, rescreen
from forced_labour_guard.lists.entries import ListEntry
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import FindingCode, ListVersion, Supplier
from forced_labour_guard.policy import Policy

NOW = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
LISTED = "Xinjiang Zhongtai Chemical Co. Ltd."
ADDED = [ListEntry(id="zt", name=LISTED)]
VERSION = ListVersion(name="UFLPA Entity List", as_of=dt.date(2026, 9, 1), entries=1)


def chain(depth: int, bottom: str) -> Supplier:
    """A supplier whose sub-supplier chain reaches ``bottom`` at tier ``depth``."""
    node: dict[str, Any] = {"name": bottom}
    for tier in range(depth - 1, -1, -1):
        node = {
            "name": f"Harmless Tier{tier} Trading GmbH",
            "country": "DE",
            "relationships": [{"kind": "sub_supplier", "supplier": node}],
        }
    return Supplier.model_validate({"id": "S-1", **node})


def guard_codes(supplier: Supplier) -> list[FindingCode]:
    guard = Guard(watchlists=[EntityWatchlist(VERSION, ADDED)], clock=lambda: NOW)
    return [f.code for f in guard.screen_supplier(supplier).findings]


def test_a_listed_company_eight_tiers_down_is_found_by_the_delta_as_by_the_guard() -> None:
    deep = chain(8, LISTED)
    depth = Policy().max_relationship_depth
    results = list(rescreen([("s.jsonl:1", deep)], ADDED, VERSION, min_score=0.7, max_depth=depth))
    hits = [r for r in results if isinstance(r, DeltaHit)]
    assert [h.subject.count("relationships") for h in hits] == [8]
    assert hits[0].supplier == "S-1" and hits[0].match.entry_id == "zt"
    assert FindingCode.ENTITY_LIST in guard_codes(deep)


def test_the_delta_reports_what_lies_beyond_the_depth_limit_as_the_guard_does() -> None:
    too_deep = chain(4, LISTED)
    results = list(rescreen([("s.jsonl:1", too_deep)], ADDED, VERSION, min_score=0.7, max_depth=2))
    assert [type(r) for r in results] == [DeltaGap]
    assert results[0].subject.count("relationships") == 3


def test_a_chain_of_harmless_companies_gives_no_delta_hit() -> None:
    clean = chain(8, "Porto Linen Weavers Lda")
    assert list(rescreen([("s.jsonl:1", clean)], ADDED, VERSION, min_score=0.7, max_depth=10)) == []
