"""Which Odoo fields the adapter reads, under which name on this server.

Field names drift between Odoo versions (19.0 renamed the order line's ``product_uom`` to
``product_uom_id`` and ``taxes_id`` to ``tax_ids``), and a name the server does not know is an HTTP
500 that fails the whole read. So the adapter never guesses: it asks ``fields_get`` once per model,
picks for each *logical* field the first of its candidate names that exists, and reads only those.

A field the screening cannot do without (a partner's country, a line's quantity) is *required*: if
none of its names exists, :class:`OdooSchemaError` names the model and the field and nothing is
screened, since a silently dropped address could turn a block into an allow. Optional fields
(the addon's origin and relationship fields among them) are read when present and skipped when not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forced_labour_guard.errors import InputError


class OdooSchemaError(InputError):
    """The server's model lacks a field the mapping needs (an unexpected version or module)."""


@dataclass(frozen=True)
class FieldSpec:
    """A logical field: its Odoo names (newest first) and whether screening needs it."""

    name: str
    candidates: tuple[str, ...]
    required: bool = False


def spec(name: str, *older: str, required: bool = False) -> FieldSpec:
    """``spec("uom", "product_uom_id", "product_uom")``: logical name, then the Odoo names."""
    return FieldSpec(name, older or (name,), required)


@dataclass(frozen=True)
class FieldPlan:
    """The Odoo field chosen for each logical field of one model on one server."""

    model: str
    chosen: Mapping[str, str]

    @classmethod
    def build(
        cls, model: str, specs: Sequence[FieldSpec], available: Mapping[str, Any]
    ) -> FieldPlan:
        """Match ``specs`` against a ``fields_get`` answer (or any mapping keyed by field name)."""
        chosen: dict[str, str] = {}
        for field in specs:
            found = next((name for name in field.candidates if name in available), None)
            if found is not None:
                chosen[field.name] = found
            elif field.required:
                names = " or ".join(repr(name) for name in field.candidates)
                raise OdooSchemaError(
                    f"the server's {model} has no field {names}, which screening needs; "
                    "this Odoo version or its modules are not supported as they are",
                    path=f"{model}.{field.name}",
                )
        return cls(model, chosen)

    @property
    def odoo_fields(self) -> list[str]:
        """The names to pass as ``fields`` to ``read``/``search_read``."""
        return sorted(set(self.chosen.values()))

    def has(self, logical: str) -> bool:
        return logical in self.chosen

    def logical(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """``record`` keyed by logical names (plus ``id``); absent fields read as False, as
        Odoo writes an empty value."""
        values = {name: record.get(odoo, False) for name, odoo in self.chosen.items()}
        values["id"] = record.get("id")
        return values


PARTNER_FIELDS: tuple[FieldSpec, ...] = (
    spec("name", required=True),
    spec("commercial_partner_id", required=True),
    spec("child_ids", required=True),
    spec("street", required=True),
    spec("street2"),
    spec("city", required=True),
    spec("zip"),
    spec("state_id", required=True),
    spec("country_id", required=True),
    spec("vat"),
    spec("company_registry"),
    spec("phone"),
    spec("mobile"),
    spec("email"),
    spec("type"),
    spec("is_company"),
    spec("parent_id"),
    spec("active"),
    spec("user_id"),
    spec("lang"),
    spec("flg_related_company_ids"),
)

ORDER_FIELDS: tuple[FieldSpec, ...] = (
    spec("name", required=True),
    spec("partner_id", required=True),
    spec("state", required=True),
    spec("order_line", required=True),
    spec("currency_id"),
    spec("dest_address_id"),
    spec("picking_type_id"),
    spec("user_id"),
    spec("company_id"),
)

LINE_FIELDS: tuple[FieldSpec, ...] = (
    spec("order_id", required=True),
    spec("product_id", required=True),
    spec("name", required=True),
    spec("quantity", "product_qty", required=True),
    spec("price_unit"),
    spec("display_type"),
    spec("uom", "product_uom_id", "product_uom"),
    spec("input_material", "flg_input_material"),
    spec("input_origin_country_id", "flg_input_origin_country_id"),
    spec("input_origin_state_id", "flg_input_origin_state_id"),
    spec("input_origin_city", "flg_input_origin_city"),
    spec("input_producer_id", "flg_input_producer_id"),
)

PRODUCT_FIELDS: tuple[FieldSpec, ...] = (
    spec("name", required=True),
    spec("default_code"),
    spec("barcode"),
    spec("hs_code"),
)

RELATED_COMPANY_FIELDS: tuple[FieldSpec, ...] = (
    spec("kind", required=True),
    spec("name", required=True),
    spec("street"),
    spec("city"),
    spec("state_id"),
    spec("country_id"),
    spec("registration_id"),
)

RELATED_COMPANY_MODEL = "flg.related.company"
