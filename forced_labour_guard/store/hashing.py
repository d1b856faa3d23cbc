"""Canonical JSON and SHA-256 hashes, so one record always has one fingerprint.

The audit trail names the record that was screened by its hash rather than by a copy: an auditor who
holds the original purchase order can recompute the hash and see that it is the one that was decided.
For that to work the hash must not depend on key order, whitespace, or on optional fields that were
left at their defaults (so adding a defaulted field to the model does not change old hashes).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no whitespace and UTF-8 text kept as is: one spelling per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_hash(model: BaseModel) -> str:
    """SHA-256 of the record's canonical JSON, leaving out fields that hold their default value."""
    return sha256_hex(canonical_json(model.model_dump(mode="json", exclude_defaults=True)))
