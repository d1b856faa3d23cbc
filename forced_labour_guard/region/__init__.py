"""Locating addresses and identifiers in the Uyghur Region."""

from forced_labour_guard.region.basic import BasicLocator
from forced_labour_guard.region.locator import RegionHit, RegionLocator, Signal

__all__ = ["BasicLocator", "RegionHit", "RegionLocator", "Signal"]
