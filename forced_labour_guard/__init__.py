"""forced_labour_guard: screen purchase orders and suppliers for links to forced labour in the
Uyghur Region, and explain every decision against the Call to Action."""

from forced_labour_guard.guard import Guard
from forced_labour_guard.model import (
    Action,
    Address,
    Decision,
    Evidence,
    Facility,
    Finding,
    FindingCode,
    Input,
    ListVersion,
    OrderLine,
    PurchaseOrder,
    Relationship,
    Supplier,
)
from forced_labour_guard.policy import Policy, load_policy

__version__ = "0.1.0"

__all__ = [
    "Action",
    "Address",
    "Decision",
    "Evidence",
    "Facility",
    "Finding",
    "FindingCode",
    "Guard",
    "Input",
    "ListVersion",
    "OrderLine",
    "Policy",
    "PurchaseOrder",
    "Relationship",
    "Supplier",
    "__version__",
    "load_policy",
]
