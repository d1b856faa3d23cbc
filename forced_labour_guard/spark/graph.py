"""Tier-n exposure in plain Python: the rule that :func:`forced_labour_guard.spark.exposure` runs
at scale, for graphs that fit in memory (and as the reference the Spark version is tested against).

An edge ``(from_id, to_id, kind)`` says what ``to_id`` is to ``from_id``, as a Supplier's
relationships do: ``("S1", "F9", "sub_supplier")`` makes F9 a sub-supplier of S1; ``producer`` makes
``to_id`` the producer of an input of ``from_id``'s goods. Seeds are companies screened on their own
as located in the Uyghur Region (A1) or listed (ENTITY_LIST), or whose record could not be read
(SCREENING_UNAVAILABLE: fail closed, whoever reaches them is told). Exposure runs against the
edges, breadth first, so each company that reaches a seed gets its shortest path; ties go to the
smallest seed id, then the smallest path, so Spark and this module give the same answer. Each company
is reached once, so cycles end.

The code a path implies is the Guard's own rule (``detectors.location_code``) for the company at
the end of it: A2 when the last link is a group one (subsidiary, parent, operation), A4 when the
path runs through an input's producer, A1 otherwise (the company itself, a sub-supplier). A listed
seed keeps ENTITY_LIST as its code, with that paragraph beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from forced_labour_guard.detectors import Link, location_code
from forced_labour_guard.model import FindingCode

EDGE_KINDS: tuple[str, ...] = ("subsidiary", "parent", "sub_supplier", "operation", "producer")
SEED_PRIORITY: tuple[str, ...] = (
    FindingCode.SCREENING_UNAVAILABLE.value,
    FindingCode.A1.value,
    FindingCode.ENTITY_LIST.value,
)
"""Which reason names a seed that has several (an unreadable record first: nothing else is known)."""


@dataclass(frozen=True, slots=True)
class Exposure:
    """One company's shortest route to a seed."""

    company_id: str
    tier: int
    seed_id: str
    code: str
    paragraph: str
    steps: tuple[str, ...]
    seed_reasons: tuple[str, ...]
    path: tuple[str, ...]
    """Company ids from ``company_id`` to ``seed_id``, both included."""
    kinds: tuple[str, ...]
    """The kind of each edge along ``path``."""


def paragraph_of(kinds: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """(paragraph, steps) a path of edge kinds implies for the company at its end."""
    link = cast(Link, kinds[-1]) if kinds else "direct"
    code, steps = location_code(link, "producer" in kinds)
    return code.value, tuple(steps)


def seed_code(reasons: Sequence[str], paragraph: str) -> str:
    """The finding code a seed gives the company reaching it, as the in-process walk would."""
    main = next(reason for reason in SEED_PRIORITY if reason in reasons)
    return paragraph if main == FindingCode.A1.value else main


def local_exposure(
    seeds: Mapping[str, Sequence[str]],
    edges: Iterable[tuple[str, str, str]],
    *,
    max_depth: int = 10,
) -> dict[str, Exposure]:
    """Every company within ``max_depth`` edges of a seed, with its shortest path (see module)."""
    incoming: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for from_id, to_id, kind in edges:
        if kind not in EDGE_KINDS:
            raise ValueError(f"unknown edge kind {kind!r}; expected one of {', '.join(EDGE_KINDS)}")
        incoming[to_id].append((from_id, kind))
    # company -> (seed, path, kinds), best so far
    best: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
        seed: (seed, (seed,), ()) for seed in seeds
    }
    frontier = sorted(best)
    for _ in range(max_depth):
        candidates: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
        for company in frontier:
            seed, path, kinds = best[company]
            for from_id, kind in incoming.get(company, ()):
                if from_id in best:
                    continue
                candidate = (seed, (from_id, *path), (kind, *kinds))
                if from_id not in candidates or candidate < candidates[from_id]:
                    candidates[from_id] = candidate
        if not candidates:
            break
        best.update(candidates)
        frontier = sorted(candidates)
    result = {}
    for company, (seed, path, kinds) in best.items():
        paragraph, steps = paragraph_of(kinds)
        reasons = tuple(sorted(seeds[seed]))
        result[company] = Exposure(
            company_id=company,
            tier=len(kinds),
            seed_id=seed,
            code=seed_code(reasons, paragraph),
            paragraph=paragraph,
            steps=steps,
            seed_reasons=reasons,
            path=path,
            kinds=kinds,
        )
    return result
