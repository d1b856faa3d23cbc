"""Watchlists: the bundled UFLPA Entity List snapshot, custom lists, refresh over HTTP."""

from forced_labour_guard.lists.base import MatchBasis, Watchlist, WatchlistMatch
from forced_labour_guard.lists.entries import ListEntry, Snapshot, normalize_registration
from forced_labour_guard.lists.uflpa import DHS_URL, UFLPA_LIST_NAME, load_bundled_uflpa
from forced_labour_guard.lists.watchlist import EntityWatchlist

__all__ = [
    "DHS_URL",
    "UFLPA_LIST_NAME",
    "EntityWatchlist",
    "ListEntry",
    "MatchBasis",
    "Snapshot",
    "Watchlist",
    "WatchlistMatch",
    "load_bundled_uflpa",
    "normalize_registration",
]
