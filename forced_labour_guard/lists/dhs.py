"""Parse the DHS UFLPA Entity List web page (https://www.dhs.gov/uflpa-entity-list).

The page is the list's primary publication. Its structure, as public crawlers of it show: one HTML
table per UFLPA section, each preceded by a paragraph whose bold text describes the section and whose
link names it ("Section 2(d)(2)(B)(ii)"); a header row with an entity-name column ("Name of Entity" or
"Entity Name") and an "Effective Date" column ("June 12, 2023").

The name cell packs aliases and subsidiaries into prose, which :func:`parse_entity_text` takes apart:

* "NAME (also known as NAME)", "NAME (formerly known as NAME)";
* "NAME (including two aliases: NAME; and NAME)", "NAME (including N aliases: NAME; ...; and NAME)";
* "NAME and its subsidiary NAME";
* "NAME and its eight Zhuhai-based subsidiaries, which include NAME, NAME, ..., and NAME";
* "NAME and its subordinate and affiliated entities", "NAME, and Subsidiaries".

A row it cannot read fully is kept (with what could be read) and reported in ``problems``, never
dropped. A table that holds list rows (a section paragraph names it, or its rows carry dates) but whose
header it does not recognise is reported in ``unread_tables``: a renamed column must not silently
drop a whole section of the list. Only the stdlib ``html.parser`` is used. Pure: the caller fetches the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists.entries import ListEntry, name_key
from forced_labour_guard.lists.uflpa import DHS_URL, canonical_section, section_reason

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-one": 21, "twenty-two": 22, "twenty-three": 23, "twenty-four": 24, "twenty-five": 25,
}  # fmt: skip
_COUNT = r"(?P<count>\d+|[a-z]+(?:-[a-z]+)?)"
_ALIAS_MARKERS = [
    re.compile(r"^(?:also|formerly|previously)\s+known\s+as\s*:?\s*", re.IGNORECASE),
    re.compile(r"^(?:a\.?k\.?a\.?|f\.?k\.?a\.?)\s*:?\s*", re.IGNORECASE),
    re.compile(
        rf"^(?:including|and|with)\s+{_COUNT}\s+(?:aliases|alias|former\s+names?)\s*:\s*",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:aliases|alias)\s*:\s*", re.IGNORECASE),
]
_UNNAMED_SUBSIDIARIES = re.compile(
    r",?\s+and\s+(?:its\s+)?(?:subordinate\s+and\s+affiliated\s+entities|subsidiaries)\s*$",
    re.IGNORECASE,
)
_NAMED_SUBSIDIARIES = re.compile(
    rf",?\s+and\s+its\s+(?:{_COUNT}\s+)?(?:[\w-]+-based\s+)?(?P<noun>subsidiary|subsidiaries)\b"
    r"\s*,?\s*(?:which\s+include|which\s+includes|including|namely|:)?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_LEGAL_PIECE = re.compile(
    r"^(?:ltd\.?|limited|inc\.?|llc|co\.?|corp\.?|plc|gmbh|s\.?a\.?)$", re.IGNORECASE
)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%m/%d/%Y", "%Y-%m-%d", "%d %B %Y")


@dataclass
class ParsedName:
    """What a name cell says: the entity, its aliases and the subsidiaries the listing names."""

    name: str
    aliases: list[str] = field(default_factory=list)
    subsidiaries: list[str] = field(default_factory=list)
    unnamed_subsidiaries: bool = False
    """The listing extends to subsidiaries or affiliates it does not name."""
    problems: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip(";").strip()


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def split_names(text: str) -> list[str]:
    """Split "A; B; and C" or "A, B, and C" into names, keeping "Co., Ltd." inside a name."""
    text = _clean(text)
    if not text:
        return []
    pieces = re.split(r"\s*;\s*", text) if ";" in text else re.split(r",\s+", text)
    names: list[str] = []
    for piece in pieces:
        piece = re.sub(r"^(?:and|or)\s+", "", piece.strip(), flags=re.IGNORECASE).strip(" ,")
        if not piece:
            continue
        if names and _LEGAL_PIECE.match(piece):
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    return names


def _top_level_groups(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans of top-level (...) groups, and whether the brackets balance."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")":
            if depth == 0:
                return spans, False
            depth -= 1
            if depth == 0:
                spans.append((start, index + 1))
    return spans, depth == 0


def parse_entity_text(text: str) -> ParsedName:
    """Take one name cell apart; see the module docstring for the forms it reads."""
    text = _clean(text)
    parsed = ParsedName(name="")
    spans, balanced = _top_level_groups(text)
    if not balanced:
        parsed.problems.append("unbalanced brackets")
    kept: list[str] = []
    cursor = 0
    for start, end in spans:
        kept.append(text[cursor:start])
        cursor = end
        inner = text[start + 1 : end - 1].strip()
        for marker in _ALIAS_MARKERS:
            found = marker.match(inner)
            if found:
                aliases = split_names(inner[found.end() :])
                expected = _number(found.groupdict().get("count"))
                if expected is not None and expected != len(aliases):
                    parsed.problems.append(
                        f"says {expected} aliases but {len(aliases)} were read: {inner!r}"
                    )
                parsed.aliases.extend(aliases)
                break
        else:
            if ":" in inner or re.search(r"known\s+as", inner, re.IGNORECASE):
                parsed.problems.append(f"bracketed text not understood: {inner!r}")
            kept.append(text[start:end])
    kept.append(text[cursor:])
    rest = _clean("".join(kept))

    unnamed = _UNNAMED_SUBSIDIARIES.search(rest)
    if unnamed:
        parsed.unnamed_subsidiaries = True
        rest = rest[: unnamed.start()]
    else:
        named = _NAMED_SUBSIDIARIES.search(rest)
        if named:
            subsidiaries = split_names(named.group("rest"))
            if named.group("noun").lower() == "subsidiary" and len(subsidiaries) > 1:
                subsidiaries = [named.group("rest").strip().rstrip(".")]
            expected = _number(named.group("count"))
            if expected is not None and expected != len(subsidiaries):
                parsed.problems.append(
                    f"says {expected} subsidiaries but {len(subsidiaries)} were read"
                )
            if not subsidiaries:
                parsed.unnamed_subsidiaries = True
            parsed.subsidiaries.extend(subsidiaries)
            rest = rest[: named.start()]
    parsed.name = _clean(rest).rstrip(",").strip()
    if not parsed.name:
        parsed.problems.append("no entity name left after reading aliases and subsidiaries")
    if re.search(r"known\s+as|\balias", parsed.name, re.IGNORECASE):
        parsed.problems.append("alias wording left in the name")
    return parsed


def parse_effective_date(text: str) -> dt.date | None:
    """'June 12, 2023' (and a few other spellings) -> date; None if it is not a date."""
    cleaned = _clean(text).replace("Sept.", "Sep").replace(".", "")
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class _Table:
    context: str
    named_here: bool
    """A paragraph naming a UFLPA section came between the previous table and this one."""
    rows: list[list[str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collects tables with the text block (and its link text) that precedes each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self._block: list[str] = []
        self._links: list[str] = []
        self._last_context = ""
        self._section_named = False
        self._table_depth = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_link = False
        self._link: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table_depth += 1
            if self._table_depth == 1:
                self._close_block()
                self.tables.append(_Table(self._last_context, self._section_named))
                self._section_named = False
        elif self._table_depth == 1 and tag == "tr":
            self._row = []
        elif self._table_depth == 1 and tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "a" and self._table_depth == 0:
            self._in_link = True
            self._link = []
        elif tag in ("p", "h1", "h2", "h3", "h4", "div", "section") and self._table_depth == 0:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table_depth = max(0, self._table_depth - 1)
        elif self._table_depth == 1 and tag in ("td", "th") and self._cell is not None:
            if self._row is not None:
                self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif self._table_depth == 1 and tag == "tr" and self._row is not None:
            if any(self._row):
                self.tables[-1].rows.append(self._row)
            self._row = None
        elif tag == "a" and self._in_link:
            self._in_link = False
            self._links.append(_clean("".join(self._link)))
        elif tag in ("p", "h1", "h2", "h3", "h4") and self._table_depth == 0:
            self._close_block()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._table_depth == 0:
            self._block.append(data)
            if self._in_link:
                self._link.append(data)

    def _close_block(self) -> None:
        text = _clean("".join(self._block))
        if text:
            # The paragraph's link names the section; a heading or note between it and the table
            # does not reset it.
            section = next((s for s in map(canonical_section, self._links) if s), None)
            section = section or canonical_section(text)
            if section:
                self._last_context = section
                self._section_named = True
        self._block = []
        self._links = []


@dataclass
class ParsedPage:
    entries: list[ListEntry]
    problems: list[str]
    as_of: dt.date | None
    rows: int
    unread_tables: list[str] = field(default_factory=list)
    """Tables of list rows whose header was not recognised: none of their rows were read."""

    @property
    def complete(self) -> bool:
        """Every row of every list table was read in full."""
        return not self.problems and not self.unread_tables


def entry_id(name: str) -> str:
    """A stable id for a row of a list that has none: derived from the normalised name."""
    return "dhs-" + hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:12]


def _header(row: list[str]) -> tuple[int, int | None] | None:
    lowered = [cell.lower() for cell in row]
    name_col = next(
        (i for i, c in enumerate(lowered) if "name of entity" in c or "entity name" in c), None
    )
    if name_col is None:
        name_col = next((i for i, c in enumerate(lowered) if c in ("entity", "name")), None)
    if name_col is None:
        return None
    date_col = next((i for i, c in enumerate(lowered) if "date" in c), None)
    return name_col, date_col


def parse_dhs_page(html: str, *, url: str = DHS_URL) -> ParsedPage:
    """All entity rows of the page as entries (merged across sections), with any problems."""
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError as error:  # html.parser's way of refusing some malformed markup
        raise InputError(f"the page is not readable HTML ({error})", source=url) from None
    merged: dict[str, ListEntry] = {}
    problems: list[str] = []
    unread: list[str] = []
    rows = 0
    for table in parser.tables:
        if not table.rows:
            continue
        section = canonical_section(table.context)
        header = _header(table.rows[0])
        if header is None:
            if _holds_list_rows(table):
                unread.append(
                    f"{'section ' + section if section else 'a'} table with the header "
                    f"{table.rows[0]!r} was not recognised: its {len(table.rows) - 1} row(s) "
                    "were not read"
                )
            continue
        name_col, date_col = header
        for number, row in enumerate(table.rows[1:], start=2):
            if name_col >= len(row) or not row[name_col]:
                problems.append(f"{section or 'table'} row {number}: no entity name: {row!r}")
                continue
            rows += 1
            parsed = parse_entity_text(row[name_col])
            where = f"{section or 'table'} row {number}"
            problems.extend(f"{where}: {p} in {row[name_col]!r}" for p in parsed.problems)
            name = parsed.name or _clean(row[name_col])
            date = None
            if date_col is not None and date_col < len(row) and row[date_col]:
                date = parse_effective_date(row[date_col])
                if date is None:
                    problems.append(f"{where}: effective date not understood: {row[date_col]!r}")
            sections = [section] if section else []
            note = (
                "The listing extends to subsidiaries or affiliated entities it does not name."
                if parsed.unnamed_subsidiaries
                else None
            )
            new = ListEntry(
                id=entry_id(name),
                name=name,
                aliases=parsed.aliases,
                subsidiaries=parsed.subsidiaries,
                sections=sections,
                date=date,
                source=f"DHS UFLPA Entity List web page ({url})",
                url=url,
                reason=section_reason(sections),
                note=note,
            )
            old = merged.get(new.id)
            merged[new.id] = new if old is None else _merge(old, new)
    dates = [entry.date for entry in merged.values() if entry.date]
    as_of = max(dates) if dates else None
    return ParsedPage(list(merged.values()), problems, as_of, rows, unread)


def _holds_list_rows(table: _Table) -> bool:
    """Whether a table whose header is not recognised is still part of the list (a section
    paragraph names it, or its cells hold dates), rather than page layout or navigation."""
    return table.named_here or any(
        parse_effective_date(cell) is not None for row in table.rows for cell in row if cell
    )


def _merge(old: ListEntry, new: ListEntry) -> ListEntry:
    """The same entity in two section tables: one entry with both sections."""
    sections = old.sections + [s for s in new.sections if s not in old.sections]
    dates = [d for d in (old.date, new.date) if d]
    return old.model_copy(
        update={
            "aliases": old.aliases + [a for a in new.aliases if a not in old.aliases],
            "subsidiaries": old.subsidiaries
            + [s for s in new.subsidiaries if s not in old.subsidiaries],
            "sections": sections,
            "date": min(dates) if dates else None,
            "reason": section_reason(sections),
            "note": old.note or new.note,
        }
    )
