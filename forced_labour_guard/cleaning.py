"""Records as the detectors read them: every text field through :func:`forced_labour_guard.text.clean_text`.

The Guard cleans a record once, at its edge, and screens the clean copy; the caller's record is not
touched, so the raw text stays for the explanation. Where a field had to be cleaned of a way of
hiding (invisible characters, look-alike letters), each finding about that part of the record says so,
and the decision carries a warning naming the fields: hiding a name or an address is itself a signal.

Record ids (``id``, ``line_id``) and URLs are left as written: they are keys, not text to screen, and
the audit store and an ERP must find a record under the key it was sent with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pydantic import BaseModel

from forced_labour_guard.model import Finding
from forced_labour_guard.text import CleanText, clean_text, describe_changes

_KEYS = frozenset({"id", "line_id", "url"})
_MAX_NESTING = 64
"""Deeper than any walk the policy allows; a record nested further is screened as the walk decides."""

Record = TypeVar("Record", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class CleanedField:
    """A field whose text had to be cleaned of a way of hiding, by its path in the record."""

    path: str
    text: CleanText


def clean_record(record: Record, *, root: str) -> tuple[Record, list[CleanedField]]:
    """A copy of ``record`` with every text field cleaned, and the fields that were hiding.

    ``root`` is the path prefix the detectors use for this record ("supplier" for a supplier,
    "" for a purchase order), so a cleaned field's path lines up with a finding's subject."""
    hiding: list[CleanedField] = []
    in_progress: set[int] = set()

    def join(prefix: str, name: str) -> str:
        return f"{prefix}.{name}" if prefix else name

    def clean_value(value: Any, path: str, depth: int) -> Any:
        if isinstance(value, str):
            cleaned = clean_text(value)
            if cleaned.hidden:
                hiding.append(CleanedField(path, cleaned))
            return cleaned.text
        if isinstance(value, BaseModel):
            return clean_model(value, path, depth + 1)
        if isinstance(value, list):
            items = [clean_value(item, f"{path}[{i}]", depth) for i, item in enumerate(value)]
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value

    def clean_model(model: BaseModel, path: str, depth: int) -> BaseModel:
        if depth > _MAX_NESTING or id(model) in in_progress:
            return model  # an object cycle built in code, or nesting past any walk: as it is
        in_progress.add(id(model))
        update: dict[str, Any] = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            if name in _KEYS or value is None:
                continue
            cleaned = clean_value(value, join(path, name), depth)
            if cleaned is not value and cleaned != value:
                update[name] = cleaned
        in_progress.discard(id(model))
        return model.model_copy(update=update) if update else model

    return cast(Record, clean_model(record, root, 0)), hiding


def _under(path: str, subject: str) -> bool:
    """Whether a field belongs to the part of the record a finding is about (not to a related
    company nested inside it, which has findings of its own)."""
    if not subject:
        return False
    if path == subject:
        return True
    if not path.startswith(subject) or path[len(subject)] not in ".[":
        return False
    return ".relationships[" not in path[len(subject) :]


def explain_hiding(findings: Sequence[Finding], hiding: Sequence[CleanedField]) -> list[Finding]:
    """Each finding about a part of the record that was hiding says what was hidden, and how."""
    if not hiding:
        return list(findings)
    explained = []
    for finding in findings:
        fields = [f for f in hiding if _under(f.path, finding.subject)]
        if fields:
            finding = finding.model_copy(
                update={"detail": f"{finding.detail} {_hiding_sentence(fields)}"}
            )
        explained.append(finding)
    return explained


def hiding_warnings(hiding: Sequence[CleanedField]) -> list[str]:
    """One warning for the decision when any field was hiding, found or not."""
    if not hiding:
        return []
    return [
        f"{_hiding_sentence(hiding)} Hiding a name, an address or an identifier is itself a "
        "reason to look closer at this supplier."
    ]


def _hiding_sentence(fields: Sequence[CleanedField]) -> str:
    shown = "; ".join(
        f"{f.path} {f.text.raw!r} was read as {f.text.text!r} ({describe_changes(f.text.changes)})"
        for f in fields[:5]
    )
    more = f"; and {len(fields) - 5} more field(s)" if len(fields) > 5 else ""
    return f"The record hides text from screening: {shown}{more}."
