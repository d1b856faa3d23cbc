"""The GB 32100-2015 check character, computed here independently of the code under test, so
tests can build valid Unified Social Credit Codes for any division."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def with_check(body: str) -> str:
    """The 17-character ``body`` followed by its check character."""
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[(31 - total % 31) % 31]
