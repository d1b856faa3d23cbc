"""The canonical model: what the Guard reads (suppliers, purchase orders) and what it says (findings,
decisions).

Field names are a public contract shared with ERP adapters and integrators in other languages, so
they never change. Unknown fields are rejected (``extra="forbid"``): an integrator's typo such as
``adress`` must fail loudly instead of silently dropping the address that would have placed a supplier
in the Uyghur Region.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from forced_labour_guard.countries import is_country_code
from forced_labour_guard.text import clean_text


def _country_code(value: str) -> str:
    """Accept "cn" as "CN", but reject names and unassigned codes so a typo cannot hide a country."""
    code = value.strip().upper()
    if not is_country_code(code):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. 'CN', 'DE')")
    return code


CountryCode = Annotated[str, AfterValidator(_country_code)]


def _visible(value: str) -> str:
    """Refuse text that is nothing but invisible or control characters ("\u200b", NUL): a name
    made of them names no one, and screening it against a list would find nothing (an allow)."""
    if not clean_text(value).text:
        raise ValueError("has no visible characters (only invisible or control characters)")
    return value


NonEmptyStr = Annotated[str, Field(min_length=1), AfterValidator(_visible)]
MAX_AMOUNT = Decimal(10) ** 15
"""Largest quantity or unit price accepted: far above any real order line, far below 1e400."""
Amount = Annotated[
    Decimal,
    Field(ge=0, le=MAX_AMOUNT, decimal_places=12, allow_inf_nan=False),
]
"""A quantity or unit price: finite, not negative, at most MAX_AMOUNT, at most 12 decimals."""


class _Input(BaseModel):
    """Base of every input record: strict about unknown fields, tolerant about missing optional ones."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Address(_Input):
    """A postal address; often only ``text`` is filled, sometimes only ``country``."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None
    text: str | None = Field(default=None, description="Free-form full address, any script.")

    def fields(self) -> list[tuple[str, str]]:
        """The filled text fields as (name, value) pairs, in the order a reader would scan them."""
        pairs = [
            ("city", self.city),
            ("region", self.region),
            ("text", self.text),
            ("street", self.street),
            ("postal_code", self.postal_code),
        ]
        return [(name, value) for name, value in pairs if value]


class Facility(_Input):
    """A factory, warehouse or other workplace of a supplier."""

    name: str | None = None
    address: Address


RelationshipKind = Literal["subsidiary", "parent", "sub_supplier", "operation"]
EvidenceKind = Literal["labour_transfer", "sourcing", "other"]


class Evidence(_Input):
    """A third-party report about a supplier (paragraph A asks for all credible sources)."""

    kind: EvidenceKind
    summary: NonEmptyStr
    source: NonEmptyStr
    url: str | None = None
    date: dt.date | None = None


class Relationship(_Input):
    """A link from one supplier to another company: its subsidiary, parent, sub-supplier or operation."""

    kind: RelationshipKind
    supplier: Supplier


class Supplier(_Input):
    """A company the buyer deals with directly, or one found further down the value chain."""

    id: str | None = None
    name: NonEmptyStr
    aliases: list[NonEmptyStr] = Field(default_factory=list)
    country: CountryCode | None = None
    registration_id: str | None = Field(
        default=None, description="E.g. the Chinese Unified Social Credit Code (18 characters)."
    )
    phone: str | None = None
    addresses: list[Address] = Field(default_factory=list)
    facilities: list[Facility] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """How a buyer recognises this supplier in a sentence."""
        return f"{self.name} ({self.id})" if self.id else self.name


def supplier_key(supplier: Supplier) -> str:
    """A supplier's identity across screenings, the audit trail and B4 campaigns: its ERP id where
    there is one, else its name. ``Finding.supplier_id`` holds it; every module uses this one rule,
    so a finding, an override and an instruction about the same supplier always meet."""
    return supplier.id or supplier.name


class Input(_Input):
    """A material or component that goes into an order line's goods."""

    material: NonEmptyStr
    origin_country: CountryCode | None = None
    origin_address: Address | None = None
    producer: Supplier | None = None


class OrderLine(_Input):
    line_id: str | None = None
    sku: str | None = None
    lot: str | None = Field(
        default=None, description="Batch or lot number; DENIED_ENTRY matches it as it does the SKU."
    )
    description: str | None = None
    quantity: Amount | None = None
    unit_price: Amount | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    hs_code: Annotated[str, Field(pattern=r"^[0-9][0-9. ]{1,13}$")] | None = None
    origin_country: CountryCode | None = None
    inputs: list[Input] = Field(default_factory=list)

    @property
    def hs_digits(self) -> str:
        """The HS code without dots or spaces, as tariff tables compare it."""
        return "".join(ch for ch in (self.hs_code or "") if ch.isdigit())


class PurchaseOrder(_Input):
    id: str | None = None
    supplier: Supplier
    destination_country: CountryCode | None = Field(
        default=None,
        description="Recorded for the ERP's use only: by C1 no decision depends on it.",
    )
    lines: list[OrderLine] = Field(default_factory=list)


Relationship.model_rebuild()


# --------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------


class FindingCode(StrEnum):
    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    A4 = "A4"
    ENTITY_LIST = "ENTITY_LIST"
    POSSIBLE_MATCH = "POSSIBLE_MATCH"
    HIGH_RISK_SECTOR = "HIGH_RISK_SECTOR"
    NO_B4_ACK = "NO_B4_ACK"
    DENIED_ENTRY = "DENIED_ENTRY"
    SCREENING_UNAVAILABLE = "SCREENING_UNAVAILABLE"


class Action(StrEnum):
    ALLOW = "allow"
    WARN = "warn"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Action.ALLOW: 0, Action.WARN: 1, Action.BLOCK: 2}


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceRef(_Output):
    """Where a finding's facts come from, so a buyer or auditor can check them."""

    source: str
    summary: str | None = None
    url: str | None = None
    date: dt.date | None = None


class Finding(_Output):
    """One fact that links the screened record to the Uyghur Region, with the steps it triggers."""

    code: FindingCode
    subject: str = Field(
        description="Path to what the finding is about, e.g. supplier.facilities[0]."
    )
    detail: str = Field(description="A sentence a buyer understands.")
    evidence: list[EvidenceRef] = Field(default_factory=list)
    score: float | None = Field(default=None, ge=0, le=1)
    steps: list[str] = Field(default_factory=list)
    supplier_id: str | None = Field(
        default=None,
        description="The directly screened supplier this finding is held against (id, else name).",
    )
    released_by: str | None = Field(
        default=None,
        description="Id of the override that released this finding; it no longer sets the action.",
    )

    @property
    def key(self) -> str:
        """Stable identity across screenings: first-seen dates and overrides are keyed by it."""
        return finding_key(self.supplier_id, self.code.value, self.subject)


def finding_key(supplier_id: str | None, code: str, subject: str) -> str:
    """The formula behind ``Finding.key``, for code that holds a finding as stored JSON."""
    return f"{supplier_id or ''}|{code}|{subject}"


class ListVersion(_Output):
    """Which watchlist snapshot a decision used; partial lists say so."""

    name: str
    as_of: dt.date | None = None
    source: str | None = None
    entries: int | None = None
    complete: bool = True
    note: str | None = None


class OverrideRef(_Output):
    """An override that released findings in a decision: who, why, until when, who approved it."""

    id: str
    codes: list[FindingCode]
    reason: str
    created_by: str
    approved_by: list[str] = Field(default_factory=list)
    expires_on: dt.date


class Decision(_Output):
    """The answer to "may we buy?": an action, the findings behind it and the steps to take."""

    action: Action
    findings: list[Finding] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    screened_at: dt.datetime
    list_versions: list[ListVersion] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list,
        description="Limits of this screening (a partial or stale list, ...): read before relying on it.",
    )
    subject: str | None = Field(default=None, description="What was screened, e.g. 'PO-1001'.")
    policy_version: str | None = None
    overrides: list[OverrideRef] = Field(
        default_factory=list,
        description="Overrides that released findings listed above (each such finding names it).",
    )
