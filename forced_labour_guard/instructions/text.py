"""Make outside text safe to place inside a letter, an e-mail header or an HTML part.

Supplier names, contact names and identifiers come from ERP records and supplier files that nobody
proof-reads. A name holding a line break could add a fake line ("Deadline: none") to a plain-text
letter or a header to an e-mail; a name holding Unicode bidirectional controls could make the letter
display a different sentence from the one stored. Every value therefore passes through
:func:`clean_inline` before it reaches a template, and HTML output is escaped on top of that.

Right-to-left names (Uyghur, Arabic, Hebrew) are legitimate and kept as written; they are wrapped in
Unicode isolates (FSI ... PDI) so they cannot reorder the words around them. These functions are pure.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Final

# Explicit bidi embeddings/overrides/isolates and marks a supplier value may not bring in: the letter
# adds its own isolates where they are needed.
_BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
FSI: Final = "\u2068"
PDI: Final = "\u2069"


def _is_breaking(ch: str) -> bool:
    """Characters that end a line or are invisible controls anywhere text is shown or parsed."""
    category = unicodedata.category(ch)
    # Cc: C0/C1 controls incl. CR, LF, TAB, NEL; Zl/Zp: U+2028/U+2029 line and paragraph separators.
    return category in {"Cc", "Zl", "Zp"} or ch in _BIDI_CONTROLS


def clean_inline(value: str | None) -> str:
    """One line of plain text: controls and line breaks become spaces, runs of spaces collapse,
    and lone surrogates (which JSON escapes can carry but no encoder can write) become U+FFFD.

    >>> clean_inline("ACME\\r\\nBcc: x@example.com")
    'ACME Bcc: x@example.com'
    """
    if not value:
        return ""
    replaced = "".join(
        " " if _is_breaking(ch) else "\ufffd" if unicodedata.category(ch) == "Cs" else ch
        for ch in value
    )
    return " ".join(replaced.split())


def has_rtl(value: str) -> bool:
    """True when the value holds right-to-left letters (Arabic script, Hebrew, Syriac, ...)."""
    return any(unicodedata.bidirectional(ch) in {"R", "AL"} for ch in value)


def isolate(value: str) -> str:
    """Wrap right-to-left text in first-strong isolates so it cannot reorder the sentence around it."""
    return f"{FSI}{value}{PDI}" if has_rtl(value) else value


def inline_text(value: str | None) -> str:
    """A value ready for a plain-text part: one clean line, isolated if it is right-to-left."""
    return isolate(clean_inline(value))


def inline_html(value: str | None) -> str:
    """A value ready for an HTML part, in text or in a quoted attribute."""
    return html.escape(inline_text(value), quote=True)


def lines_text(values: list[str]) -> str:
    """Several lines (e.g. a letterhead), each cleaned; empty lines are dropped."""
    return "\n".join(line for line in (inline_text(v) for v in values) if line)


def lines_html(values: list[str]) -> str:
    """Several lines for HTML, each escaped, separated by ``<br>``."""
    return "<br>\n".join(html.escape(line, quote=True) for line in lines_text(values).split("\n"))
