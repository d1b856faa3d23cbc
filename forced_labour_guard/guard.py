"""The Guard: the one object an ERP integration talks to.

It runs the detectors over a record, hands the findings to the policy, and returns a Decision with
reasons, steps and the list versions used. It fails closed: if anything goes wrong while screening,
the Decision carries a SCREENING_UNAVAILABLE finding (block by default) instead of an "allow".
The Guard does no I/O of its own; watchlists, registers and the policy are loaded before it is built.
Every record is cleaned once at this edge (``forced_labour_guard.cleaning``) before any detector reads
it, so an invisible character or a look-alike letter cannot hide a place or a name.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from forced_labour_guard import detectors
from forced_labour_guard.cleaning import clean_record, explain_hiding, hiding_warnings
from forced_labour_guard.denied_entry import DeniedEntryRegister
from forced_labour_guard.errors import FlgError
from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.setup import stale_list_warnings
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.model import (
    Decision,
    Finding,
    FindingCode,
    ListVersion,
    PurchaseOrder,
    Supplier,
)
from forced_labour_guard.policy import Policy, evaluate
from forced_labour_guard.region.gazetteer import default_locator
from forced_labour_guard.region.locator import RegionLocator

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
B4StatusProvider = Callable[[Supplier, dt.date], list[Finding]]
Screened = tuple[list[Finding], list[str]]
"""What screening a record yields before the policy: its findings, and warnings about the record."""
"""Returns NO_B4_ACK findings for a supplier that has not acknowledged its B4 instruction in time."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def supplier_key(supplier: Supplier) -> str:
    """The key findings are held against: the ERP id where there is one, else the name."""
    return supplier.id or supplier.name


class Guard:
    """Screens purchase orders and suppliers; see the module docstring."""

    def __init__(
        self,
        *,
        locator: RegionLocator | None = None,
        watchlists: Sequence[Watchlist] = (),
        policy: Policy | None = None,
        denied_entry: DeniedEntryRegister | None = None,
        b4_status: B4StatusProvider | None = None,
        problems: Sequence[str] = (),
        warnings: Sequence[str] = (),
        clock: Clock = utc_now,
    ) -> None:
        """``problems`` are known reasons the screening is incomplete (a configured list that failed
        to load, say): each becomes a SCREENING_UNAVAILABLE finding on every decision. ``warnings`` are
        caveats added to every decision (a stale list)."""
        self.locator: RegionLocator = locator or default_locator()
        self.watchlists = tuple(watchlists)
        self.policy = policy or Policy()
        self.denied_entry = denied_entry
        self.b4_status = b4_status
        self.problems = tuple(problems)
        self.clock = clock
        self.list_versions: list[ListVersion] = [w.version for w in self.watchlists]
        self.warnings = [*warnings, *_coverage_warnings(self.list_versions)]

    @classmethod
    def default(
        cls,
        *,
        policy: Policy | None = None,
        denied_entry: DeniedEntryRegister | None = None,
        b4_status: B4StatusProvider | None = None,
        clock: Clock = utc_now,
        watchlists: Sequence[Watchlist] | None = None,
        problems: Sequence[str] = (),
        warnings: Sequence[str] = (),
    ) -> Guard:
        """Bundled reference data (locator, UFLPA list snapshot) and the default policy unless
        given; no network, no configuration needed. ``watchlists`` replaces the bundled UFLPA
        snapshot (``forced_labour_guard.lists.setup`` builds the CLI's lists with their problems and
        staleness warnings); a list that cannot be loaded is a problem (fail closed) and a stale
        bundled snapshot a warning on every decision."""
        problems = list(problems)
        warnings = list(warnings)
        if watchlists is None:
            try:
                watchlists = [load_bundled_uflpa()]
                warnings += stale_list_warnings(watchlists, today=clock().date())
            except FlgError as error:
                watchlists = []
                problems.append(f"The UFLPA Entity List could not be loaded: {error}")
        return cls(
            locator=default_locator(),
            watchlists=watchlists,
            policy=policy,
            denied_entry=denied_entry,
            b4_status=b4_status,
            problems=problems,
            warnings=warnings,
            clock=clock,
        )

    # ----------------------------------------------------------------------------------------
    # Public screening API
    # ----------------------------------------------------------------------------------------

    def check_purchase_order(
        self, po: PurchaseOrder, *, first_seen: Mapping[str, dt.date] | None = None
    ) -> Decision:
        """Screen a PO: its supplier graph, its lines' inputs and producers, sectors and denied goods.

        ``first_seen`` maps ``Finding.key`` to the day a finding was first seen, for the
        responsible-exit windows; findings missing from it are first seen today."""
        key = supplier_key(po.supplier)

        def findings(today: dt.date) -> Screened:
            clean, hiding = clean_record(po, root="")
            walk = detectors.walk_purchase_order(
                clean, max_depth=self.policy.max_relationship_depth
            )
            found = [
                *self._graph_findings(walk, key),
                *detectors.detect_input_origins(clean, self.locator, key),
                *detectors.detect_high_risk_sectors(clean, key),
                *detectors.detect_denied_entry(clean, self.denied_entry, key),
                *self._b4_findings(po.supplier, today),
            ]
            return explain_hiding(found, hiding), hiding_warnings(hiding)

        return self._decide(
            po.id or f"purchase order for {po.supplier.label}",
            key,
            findings,
            first_seen,
            supplier=po.supplier,
        )

    def screen_supplier(
        self, supplier: Supplier, *, first_seen: Mapping[str, dt.date] | None = None
    ) -> Decision:
        """Screen a supplier on its own (master-data change, onboarding, periodic re-screening)."""
        key = supplier_key(supplier)

        def findings(today: dt.date) -> Screened:
            clean, hiding = clean_record(supplier, root="supplier")
            walk = detectors.walk_supplier(clean, max_depth=self.policy.max_relationship_depth)
            found = [*self._graph_findings(walk, key), *self._b4_findings(supplier, today)]
            return explain_hiding(found, hiding), hiding_warnings(hiding)

        return self._decide(supplier.label, key, findings, first_seen, supplier=supplier)

    def screen_suppliers(
        self,
        suppliers: Iterable[Supplier],
        *,
        progress: Callable[[int], None] | None = None,
        first_seen: Mapping[str, dt.date] | None = None,
    ) -> Iterator[Decision]:
        """Screen many suppliers lazily, in order; ``progress`` gets the count done after each."""
        for done, supplier in enumerate(suppliers, start=1):
            yield self.screen_supplier(supplier, first_seen=first_seen)
            if progress is not None:
                progress(done)

    # ----------------------------------------------------------------------------------------
    # Internals
    # ----------------------------------------------------------------------------------------

    def _graph_findings(self, walk: detectors.Walk, key: str) -> list[Finding]:
        return [
            *detectors.detect_locations(walk.nodes, self.locator, key),
            *detectors.detect_evidence(walk.nodes, key),
            *detectors.detect_watchlist_matches(walk.nodes, self.watchlists, self.policy, key),
            *detectors.detect_not_screened(
                walk.not_screened, self.policy.max_relationship_depth, key
            ),
        ]

    def _b4_findings(self, supplier: Supplier, today: dt.date) -> list[Finding]:
        return self.b4_status(supplier, today) if self.b4_status else []

    def first_seen_dates(
        self, supplier: Supplier, today: dt.date, first_seen: Mapping[str, dt.date] | None
    ) -> Mapping[str, dt.date]:
        """The first-seen dates the exit windows count from: the caller's (or the store's), merged,
        earliest first, with those of a B4 provider that has a ``first_seen(supplier, today)``
        method, which knows each NO_B4_ACK began the day after the missed deadline. Anything that
        re-decides a Guard's findings (overrides) must use these same dates."""
        provider_dates = getattr(self.b4_status, "first_seen", None)
        merged = dict(first_seen or {})
        if callable(provider_dates):
            for finding_key, day in provider_dates(supplier, today).items():
                merged[finding_key] = min(day, merged.get(finding_key, day))
        return merged

    def _decide(
        self,
        subject: str,
        key: str,
        compute: Callable[[dt.date], Screened],
        first_seen: Mapping[str, dt.date] | None,
        *,
        supplier: Supplier,
    ) -> Decision:
        screened_at = self.clock()
        today = detectors.today_of(screened_at)
        record_warnings: list[str] = []
        try:
            findings, record_warnings = compute(today)
            first_seen = self.first_seen_dates(supplier, today, first_seen)
        except Exception as error:  # fail closed: an internal error must never read as "allow"
            log.exception("screening %s failed", subject)
            findings = [_unavailable(key, f"internal error ({type(error).__name__}: {error})")]
        findings += [_unavailable(key, problem) for problem in self.problems]
        try:
            verdict = evaluate(findings, self.policy, today=today, first_seen=first_seen)
        except Exception as error:  # a malformed finding (an unknown step, say) must not escape
            log.exception("deciding %s failed", subject)
            why = f"internal error while deciding ({type(error).__name__}: {error})"
            findings = [*findings, _unavailable(key, why)]
            verdict = evaluate([_unavailable(key, why)], self.policy, today=today)
        reasons = verdict.reasons or [self._clean_reason()]
        return Decision(
            action=verdict.action,
            findings=findings,
            steps=verdict.steps,
            reasons=reasons,
            screened_at=screened_at,
            list_versions=self.list_versions,
            warnings=[*self.warnings, *record_warnings],
            subject=subject,
            policy_version=self.policy.version,
        )

    def _clean_reason(self) -> str:
        lists = ", ".join(
            f"{v.name} as of {v.as_of.isoformat() if v.as_of else 'unknown date'}"
            for v in self.list_versions
        )
        checked = f" and checked against {lists}" if lists else " (no watchlist was loaded)"
        return (
            "No link to the Uyghur Region was found: no location, relationship, evidence, input "
            f"or listed entity in the record points there{checked}."
        )


def _unavailable(key: str, why: str) -> Finding:
    return Finding(
        code=FindingCode.SCREENING_UNAVAILABLE,
        subject="screening",
        detail=f"Screening could not be completed: {why}. Nothing may be cleared until it runs.",
        supplier_id=key,
    )


def _coverage_warnings(versions: Sequence[ListVersion]) -> list[str]:
    return [
        f"{v.name} is incomplete ({v.note or 'it lacks part of the official list'}): an 'allow' "
        "is only as good as the list it was checked against."
        for v in versions
        if not v.complete
    ]
