"""The SAP S/4HANA adapter: OData V2 client, mapping, purchasing blocks, business events, and the
service side of the ABAP purchase-order check. See ``docs/sap.md``.

The parts installed into SAP (the BAdI implementation, configuration notes) are in the
repository's top-level ``adapters/sap/`` folder.
"""

from forced_labour_guard.adapters.sap.adapter import Outcome, SapAdapter
from forced_labour_guard.adapters.sap.check import check_purchase_order
from forced_labour_guard.adapters.sap.errors import (
    SapAuthError,
    SapConcurrencyError,
    SapError,
    SapHttpError,
    SapMessage,
    SapNotFound,
    SapProtocolError,
    SapUnavailable,
    SapWriteOutcomeUnknown,
)
from forced_labour_guard.adapters.sap.events import SqliteEventLedger, handle_event
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.settings import SapSettings, load_settings

__all__ = [
    "Outcome",
    "S4Client",
    "SapAdapter",
    "SapAuthError",
    "SapConcurrencyError",
    "SapError",
    "SapHttpError",
    "SapMessage",
    "SapNotFound",
    "SapProtocolError",
    "SapSettings",
    "SapUnavailable",
    "SapWriteOutcomeUnknown",
    "SqliteEventLedger",
    "check_purchase_order",
    "handle_event",
    "load_settings",
]
