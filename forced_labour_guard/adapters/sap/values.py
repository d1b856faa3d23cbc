"""OData V2 JSON values, read and written exactly: ``/Date(ms)/`` times, decimal strings, literals.

OData V2 JSON writes ``Edm.DateTime`` as ``/Date(1492041600000)/`` (milliseconds since 1970, UTC) and
``Edm.DateTimeOffset`` as ``/Date(1492041600000+0060)/`` (the instant in UTC, then the offset of the
local time in minutes). ``Edm.Decimal`` arrives as a string (``"12000.000"``) so it is read with
``Decimal``, never through a float. Filter literals are quoted here so callers never build them by
hand: a quote inside a value is doubled, as OData requires.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from forced_labour_guard.adapters.sap.errors import SapProtocolError

_DATE = re.compile(r"^/Date\((-?\d{1,15})(?:([+-])(\d{4}))?\)/$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}(?:/[A-Za-z_][A-Za-z0-9_]{0,127})*$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def parse_datetime(value: object) -> dt.datetime | None:
    """``/Date(ms)/`` or ``/Date(ms+mmmm)/`` as an aware datetime; None for null or ``""``."""
    if value is None or value == "":
        return None
    match = _DATE.match(str(value))
    if match is None:
        raise SapProtocolError(f"not an OData V2 date: {value!r} (expected /Date(milliseconds)/)")
    millis, sign, minutes = match.groups()
    instant = _EPOCH + dt.timedelta(milliseconds=int(millis))
    if sign is None:
        return instant
    offset = dt.timedelta(minutes=int(minutes)) * (1 if sign == "+" else -1)
    return instant.astimezone(dt.timezone(offset))


def parse_date(value: object) -> dt.date | None:
    """An ``Edm.DateTime`` that holds a calendar day (SAP sends midnight UTC)."""
    moment = parse_datetime(value)
    return None if moment is None else moment.astimezone(dt.UTC).date()


def parse_decimal(value: object) -> Decimal | None:
    """An ``Edm.Decimal`` string as an exact Decimal; None for null or ``""``."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise SapProtocolError(f"decimal sent as a JSON number: {value!r} (precision may be lost)")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise SapProtocolError(f"not a decimal: {value!r}") from None
    if not number.is_finite():
        raise SapProtocolError(f"not a finite decimal: {value!r}")
    return number


def name(identifier: str) -> str:
    """A property, entity set or navigation name, checked so it cannot smuggle query syntax."""
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not an OData identifier: {identifier!r}")
    return identifier


def string_literal(value: str) -> str:
    """``O'Brien`` as ``'O''Brien'``."""
    return "'" + value.replace("'", "''") + "'"


def datetime_literal(moment: dt.datetime | dt.date) -> str:
    """An ``Edm.DateTime`` literal; an aware datetime is converted to UTC first."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return f"datetime'{moment.strftime('%Y-%m-%dT%H:%M:%S')}'"


def datetimeoffset_literal(moment: dt.datetime | dt.date) -> str:
    """An ``Edm.DateTimeOffset`` literal in UTC."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return f"datetimeoffset'{moment.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}'"


def key_predicate(key: dict[str, str]) -> str:
    """``(PurchaseOrder='4500000001',PurchaseOrderItem='10')``; a one-part key stays named too."""
    return "(" + ",".join(f"{name(k)}={string_literal(v)}" for k, v in key.items()) + ")"


class Filter:
    """A ``$filter`` expression built from parts whose values are always quoted for the caller."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __and__(self, other: Filter) -> Filter:
        return Filter(f"({self.text}) and ({other.text})")

    def __or__(self, other: Filter) -> Filter:
        return Filter(f"({self.text}) or ({other.text})")

    @classmethod
    def eq(cls, prop: str, value: str) -> Filter:
        return cls(f"{name(prop)} eq {string_literal(value)}")

    @classmethod
    def ge_datetime(cls, prop: str, moment: dt.datetime | dt.date) -> Filter:
        return cls(f"{name(prop)} ge {datetime_literal(moment)}")

    @classmethod
    def ge_datetimeoffset(cls, prop: str, moment: dt.datetime | dt.date) -> Filter:
        return cls(f"{name(prop)} ge {datetimeoffset_literal(moment)}")
