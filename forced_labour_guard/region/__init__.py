"""Locating addresses and identifiers in the Uyghur Region.

``default_locator()`` returns the full :class:`GazetteerLocator` over the bundled gazetteer;
``decode_uscc`` reads a Unified Social Credit Code for other parts of the library.
"""

from forced_labour_guard.region.gazetteer import GazetteerLocator, default_locator
from forced_labour_guard.region.locator import NameLocator, RegionHit, RegionLocator, Signal
from forced_labour_guard.region.uscc import UsccInfo, decode_uscc

__all__ = [
    "GazetteerLocator",
    "NameLocator",
    "RegionHit",
    "RegionLocator",
    "Signal",
    "UsccInfo",
    "decode_uscc",
    "default_locator",
]
