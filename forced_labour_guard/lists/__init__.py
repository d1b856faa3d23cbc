"""Watchlists: the bundled UFLPA Entity List snapshot, custom lists, refresh over HTTP.

Loaders: :func:`load_bundled_uflpa` (packaged snapshot, no network), :func:`load_list_file` (a
company CSV/JSON list, an OpenSanctions FtM export, a saved DHS page or a refreshed snapshot),
:func:`parse_dhs_page` (the DHS page's HTML). :func:`build_list_setup` gives the lists a Guard should
use with the problems (fail closed) that come with them; :class:`StoredLists` loads the same lists
again for a long-running Guard (see :mod:`forced_labour_guard.lists.live`).
"""

from forced_labour_guard.lists.base import MatchBasis, Watchlist, WatchlistMatch
from forced_labour_guard.lists.custom import parse_custom_csv, parse_custom_json
from forced_labour_guard.lists.dhs import parse_dhs_page, parse_entity_text
from forced_labour_guard.lists.entries import ListEntry, Snapshot, normalize_registration
from forced_labour_guard.lists.ftm import parse_ftm_lines
from forced_labour_guard.lists.loaders import ListUnavailableError, load_list_file
from forced_labour_guard.lists.refresh import ListSource, UpdateRefused, update_list
from forced_labour_guard.lists.setup import ListSetup, StoredLists, build_list_setup
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS, is_stale, stale_list_warnings
from forced_labour_guard.lists.uflpa import DHS_URL, UFLPA_LIST_NAME, load_bundled_uflpa
from forced_labour_guard.lists.watchlist import EntityWatchlist

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "DHS_URL",
    "UFLPA_LIST_NAME",
    "EntityWatchlist",
    "ListEntry",
    "ListSetup",
    "ListSource",
    "ListUnavailableError",
    "MatchBasis",
    "Snapshot",
    "StoredLists",
    "UpdateRefused",
    "Watchlist",
    "WatchlistMatch",
    "build_list_setup",
    "is_stale",
    "load_bundled_uflpa",
    "load_list_file",
    "normalize_registration",
    "parse_custom_csv",
    "parse_custom_json",
    "parse_dhs_page",
    "parse_entity_text",
    "parse_ftm_lines",
    "stale_list_warnings",
    "update_list",
]
