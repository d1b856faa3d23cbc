"""Company-name matching across scripts: normalisation, scoring and a candidate index.

Pure and in memory: nothing here reads files or the network except the packaged word tables.
"""

from forced_labour_guard.matching.index import Hit, NameIndex, name_keys
from forced_labour_guard.matching.normalize import (
    Kind,
    NameForm,
    Place,
    Token,
    normalize_cached,
    normalize_name,
)
from forced_labour_guard.matching.score import Comparison, compare
from forced_labour_guard.text import to_simplified

__all__ = [
    "Comparison",
    "Hit",
    "Kind",
    "NameForm",
    "NameIndex",
    "Place",
    "Token",
    "compare",
    "name_keys",
    "normalize_cached",
    "normalize_name",
    "to_simplified",
]
