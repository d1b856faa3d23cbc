"""Watchlists: the bundled UFLPA Entity List snapshot, company lists, refresh over HTTP."""

from forced_labour_guard.lists.base import MatchBasis, Watchlist, WatchlistMatch

__all__ = ["MatchBasis", "Watchlist", "WatchlistMatch"]
