"""The register of goods denied US entry under the UFLPA, which C2 forbids sending to other markets.

A company keeps this register itself (CBP detentions and exclusions of its own shipments); the Guard
is given it and flags any order line whose SKU or lot is in it. ``load_denied_entry`` is the edge that
reads a CSV or JSON file; the register itself is plain data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.records import loads_strict
from forced_labour_guard.text import clean_text


class DeniedGoods(BaseModel):
    """One shipment refused entry: which goods (SKU and/or lot), when, and the customs reference."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    sku: str | None = None
    lot: str | None = None
    entry_number: str | None = Field(default=None, description="CBP entry or detention number.")
    denied_on: dt.date | None = None
    reason: str | None = None
    source: str = "denied-entry register"

    @model_validator(mode="after")
    def _identifies_goods(self) -> DeniedGoods:
        if not (self.sku or self.lot):
            raise ValueError("each entry needs a sku or a lot")
        return self


def goods_code_key(value: str) -> str:
    """A SKU or lot as compared: cleaned like every field, then without case, spaces or dashes.

    ERPs, customs papers and spreadsheets write the same lot as "LOT-2026-0417", "lot 2026 0417",
    "LOT–2026–0417" (an en dash) or "ＬＯＴ２０２６０４１７" (full width); all are one code."""
    text = clean_text(value).text.casefold()
    return "".join(
        char for char in text if not (char.isspace() or unicodedata.category(char) == "Pd")
    )


class DeniedEntryRegister:
    """Look-up of denied goods by SKU or lot, compared as :func:`goods_code_key` reads them.

    A line's SKU or lot is looked up among every entry's SKUs and lots: ERPs often carry a lot
    number in the SKU field (or the reverse), and a code that identifies denied goods is never
    another product's code."""

    def __init__(self, entries: Iterable[DeniedGoods]) -> None:
        self.entries = tuple(entries)
        self._by_code: dict[str, DeniedGoods] = {}
        for entry in self.entries:
            for code in (entry.sku, entry.lot):
                if code and goods_code_key(code):
                    self._by_code.setdefault(goods_code_key(code), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, code: str | None) -> DeniedGoods | None:
        key = goods_code_key(code) if code else ""
        return self._by_code.get(key) if key else None


def load_denied_entry(path: str | Path) -> DeniedEntryRegister:
    """Read a register from CSV (columns sku, lot, entry_number, denied_on, reason, source) or JSON."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(
            f"cannot read denied-entry register ({error.strerror})", source=str(file)
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"denied-entry register is not UTF-8 text (byte {error.start})", source=str(file)
        ) from None
    rows: list[dict[str, object]]
    if file.suffix.lower() == ".csv":
        rows = [
            {k: v for k, v in row.items() if k and v not in (None, "")}
            for row in csv.DictReader(io.StringIO(text))
        ]
    else:
        try:
            loaded = loads_strict(text, source=str(file))
        except json.JSONDecodeError as error:
            raise InputError(
                f"not valid JSON ({error.msg}, line {error.lineno})", source=str(file)
            ) from None
        if not isinstance(loaded, list):
            raise InputError("expected a JSON array of denied goods", source=str(file))
        rows = loaded
    entries = []
    for index, row in enumerate(rows):
        try:
            entries.append(DeniedGoods.model_validate(row))
        except ValidationError as error:
            where, message = first_problem(error)
            raise InputError(
                message, path=f"[{index}]{'.' + where if where else ''}", source=str(file)
            ) from None
    return DeniedEntryRegister(entries)
