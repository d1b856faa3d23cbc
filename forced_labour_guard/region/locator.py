"""The contract every Uyghur Region locator meets.

Whether an address lies in the Uyghur Region decides findings A1, A2 and A4, so the detectors ask one
small question, through one interface: *is this address (or this identifier) in the region, and what
in it says so?* Locators are pure: they hold their reference data in memory and do no I/O per call.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from forced_labour_guard.model import Address

Strength = Literal["decisive", "review"]
"""How far a hit goes: ``decisive`` places the record in the region (A1, A2, A4 act on it);
``review`` is a sign a person must check before acting (step A: map and verify), such as a mill
named after a city of the region, or a registration code of the region whose check character is
wrong. Review hits carry a confidence below 0.7, the policy's ``location_review_below`` default."""

Signal = Literal[
    "gazetteer_name",  # a place name of the region matched in an address field
    "erp_region_code",  # an ERP's region/state key mapped to Xinjiang (Odoo 'base.state_cn_XJ', ...)
    "registration_code",  # a Unified Social Credit Code whose division code is 65xxxx
    "postal_code",  # a Chinese postal code of the region
    "phone",  # a Xinjiang telephone area code
    "company_name",  # a company name whose leading division (its registration place) is in the region
]


class RegionHit(BaseModel):
    """Why a locator placed something in the Uyghur Region: the signal, the text and the field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    signal: Signal
    matched: str = Field(description="The text that fired, as written in the record.")
    field: str = Field(description="Which field held it, e.g. 'city' or 'registration_id'.")
    place: str = Field(description="The place it resolved to, e.g. 'Urumqi' or 'Xinjiang'.")
    confidence: float = Field(ge=0, le=1)
    strength: Strength = Field(
        default="decisive", description="'review' when a person must verify before acting."
    )
    problem: str | None = Field(
        default=None, description="What is wrong with the evidence, e.g. a bad check character."
    )

    def describe(self) -> str:
        """'city "Urumqi" names Urumqi' style text for a finding's detail and evidence."""
        what = {
            "gazetteer_name": "names",
            "erp_region_code": "is the region code of",
            "registration_code": "carries the division code of",
            "postal_code": "is a postal code of",
            "phone": "has the telephone area code of",
        }.get(self.signal)
        if what is None:  # company_name: the division that leads the name
            text = f'{self.field} begins with "{self.matched}", the name of {self.place}'
        else:
            text = f'{self.field} "{self.matched}" {what} {self.place}'
        return f"{text} ({self.problem})" if self.problem else text


class RegionLocator(Protocol):
    """Answers whether an address or a supplier's identifiers point into the Uyghur Region.

    A locator returns a hit only when the signal is strong enough to act on; weak, supporting
    signals (a phone area code where the country is unknown, say) are for the locator to weigh.
    """

    name: str

    def locate(self, address: Address) -> RegionHit | None:
        """The strongest hit in ``address``, or None when nothing in it places it in the region."""
        ...

    def locate_identifiers(
        self,
        *,
        registration_id: str | None,
        phone: str | None,
        country: str | None,
    ) -> RegionHit | None:
        """A hit from a supplier's registration code or phone number, or None."""
        ...


@runtime_checkable
class NameLocator(Protocol):
    """A locator that also reads the registration place that leads a Chinese company name.

    Separate from :class:`RegionLocator` so that locators written before it keep working; the
    detectors ask a locator for names only when it implements this."""

    def locate_name(
        self,
        name: str,
        *,
        country: str | None,
        registration_id: str | None = None,
        legal_name: bool = True,
    ) -> RegionHit | None:
        """A hit when ``name`` begins with a division of the region (``legal_name`` False for a
        trade name or alias, which is never more than a review sign)."""
        ...
