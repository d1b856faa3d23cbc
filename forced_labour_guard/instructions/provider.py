"""Give the Guard each supplier's B4 status: the NO_B4_ACK finding and when it was first seen.

The Guard stays pure; this provider is the edge that reads the campaign store. It matches the
Guard's ``b4_status`` hook, ``provider(supplier, today) -> list[Finding]``, and adds
``first_seen(supplier, today)``: the start of the B5 responsible-exit window for each finding, which
is the day after the missed deadline, not the day a screening happened to notice it.
"""

from __future__ import annotations

import datetime as dt

from forced_labour_guard.instructions import followup
from forced_labour_guard.instructions.campaign_store import CampaignStore
from forced_labour_guard.model import Finding, Supplier, supplier_key
from forced_labour_guard.store import sqlite_path


class B4StatusProvider:
    """Reads a supplier's instructions from the campaign store on every call (nothing cached, so an
    acknowledgement recorded a second ago already counts)."""

    def __init__(self, store: CampaignStore) -> None:
        self.store = store

    def __call__(self, supplier: Supplier, today: dt.date) -> list[Finding]:
        records = self.store.instructions(supplier_key=supplier_key(supplier))
        return followup.no_b4_ack_findings(records, supplier, today)

    def first_seen(self, supplier: Supplier, today: dt.date) -> dict[str, dt.date]:
        records = self.store.instructions(supplier_key=supplier_key(supplier))
        return followup.first_seen(records, supplier, today)


def provider_for_store(location: str | None) -> B4StatusProvider | None:
    """The provider over the campaign tables in the store file at ``location`` (the same SQLite
    file as the audit trail, ``--store`` / ``FLG_STORE``); None without a store. A location that
    is not a SQLite file is a StoreError, as it is for the audit store. The campaign tables are
    created if missing, and stay empty until a campaign is issued, so screening then finds no
    NO_B4_ACK."""
    if not location:
        return None
    return B4StatusProvider(CampaignStore(sqlite_path(location)))
