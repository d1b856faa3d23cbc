"""The Guard: the one object an ERP integration talks to.

It runs the detectors over a record, hands the findings to the policy, and returns a Decision with
reasons, steps and the list versions used. It fails closed: if anything goes wrong while screening,
the Decision carries a SCREENING_UNAVAILABLE finding (block by default) instead of an "allow".
The Guard does no I/O of its own; watchlists, registers and the policy are loaded before it is built,
and a Guard that lives long (a server) loads new list versions through the loader it is given
(:mod:`forced_labour_guard.lists.live`). Caveats that depend on the day, such as a list growing
stale, are worked out for each decision from the Guard's clock. Every record is cleaned once at
this edge (``forced_labour_guard.cleaning``) before any detector reads it, so an invisible
character or a look-alike letter cannot hide a place or a name.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from forced_labour_guard import detectors
from forced_labour_guard.cleaning import clean_record, explain_hiding, hiding_warnings
from forced_labour_guard.clock import Clock, utc_now
from forced_labour_guard.denied_entry import DeniedEntryRegister
from forced_labour_guard.errors import FlgError, require_record
from forced_labour_guard.lists.base import Watchlist
from forced_labour_guard.lists.live import ListLoader, LiveLists, LoadedLists
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.model import (
    Decision,
    Finding,
    FindingCode,
    ListVersion,
    PurchaseOrder,
    Supplier,
    supplier_key,
)
from forced_labour_guard.policy import Policy, evaluate
from forced_labour_guard.region.gazetteer import default_locator
from forced_labour_guard.region.locator import RegionLocator

log = logging.getLogger(__name__)

B4StatusProvider = Callable[[Supplier, dt.date], list[Finding]]
"""Returns NO_B4_ACK findings for a supplier that has not acknowledged its B4 instruction in time."""
Screened = tuple[list[Finding], list[str]]
"""What screening a record yields before the policy: its findings, and warnings about the record."""


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
        list_loader: ListLoader | None = None,
        list_check_seconds: float | None = None,
        max_list_age_days: int = DEFAULT_MAX_AGE_DAYS,
    ) -> None:
        """``problems`` are known reasons the screening is incomplete (a configured list that failed
        to load, say): each becomes a SCREENING_UNAVAILABLE finding on every decision. ``warnings`` are
        caveats added to every decision.

        Lists come either as ``watchlists``, fixed for the Guard's life, or from a ``list_loader``
        (e.g. :class:`forced_labour_guard.lists.setup.StoredLists`) that :meth:`reload_lists` calls
        again, and that is checked for a new version at most every ``list_check_seconds`` when
        that is set. A Guard with no watchlist at all says so on every decision. A list older than
        ``max_list_age_days`` on the day of a decision puts a warning on it."""
        if list_loader is not None and watchlists:
            raise ValueError("give a Guard watchlists or a list_loader, not both")
        self.locator: RegionLocator = locator or default_locator()
        self.policy = policy or Policy()
        self.denied_entry = denied_entry
        self.b4_status = b4_status
        self.problems = tuple(problems)
        self.clock = clock
        self.warnings = list(warnings)
        self.max_list_age_days = max_list_age_days
        self._lists = (
            LiveLists.from_loader(list_loader, check_seconds=list_check_seconds)
            if list_loader is not None
            else LiveLists(LoadedLists(tuple(watchlists)), check_seconds=list_check_seconds)
        )

    @property
    def watchlists(self) -> tuple[Watchlist, ...]:
        """The lists the next decision is screened against (they change on a reload)."""
        return self._lists.in_use.watchlists

    @property
    def list_versions(self) -> list[ListVersion]:
        """The versions of those lists."""
        return self._lists.in_use.versions

    @property
    def list_problems(self) -> tuple[str, ...]:
        """Lists of the set in use that were asked for and could not be loaded (each blocks
        every decision until a reload loads it)."""
        return self._lists.in_use.problems

    def reload_lists(self) -> list[ListVersion]:
        """Load the lists again from the Guard's list loader and use them from the next decision
        on; a decision under way finishes with the lists it started with. Returns the versions
        now in use. For a process that knows the lists changed (after running ``flg lists
        update``, say); ``list_check_seconds`` does the same on its own."""
        return self._lists.reload().versions

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
        list_loader: ListLoader | None = None,
        list_check_seconds: float | None = None,
        max_list_age_days: int = DEFAULT_MAX_AGE_DAYS,
    ) -> Guard:
        """Bundled reference data (locator, UFLPA list snapshot) and the default policy unless
        given; no network, no configuration needed. ``watchlists`` replaces the bundled UFLPA
        snapshot, and so does ``list_loader`` (``StoredLists()`` reads the lists ``flg lists
        update`` stores, as the CLI does); a list that cannot be loaded is a problem (fail
        closed), and a stale list a warning on every decision made once it is stale."""
        problems = list(problems)
        if watchlists is None and list_loader is None:
            try:
                watchlists = [load_bundled_uflpa()]
            except FlgError as error:
                watchlists = []
                problems.append(f"The UFLPA Entity List could not be loaded: {error}")
        return cls(
            locator=default_locator(),
            watchlists=watchlists or (),
            policy=policy,
            denied_entry=denied_entry,
            b4_status=b4_status,
            problems=problems,
            warnings=warnings,
            clock=clock,
            list_loader=list_loader,
            list_check_seconds=list_check_seconds,
            max_list_age_days=max_list_age_days,
        )

    # ----------------------------------------------------------------------------------------
    # Public screening API
    # ----------------------------------------------------------------------------------------

    def check_purchase_order(
        self, po: PurchaseOrder, *, first_seen: Mapping[str, dt.date] | None = None
    ) -> Decision:
        """Screen a PO: its supplier graph, its lines' inputs and producers, sectors and denied goods.

        ``first_seen`` maps ``Finding.key`` to the day a finding was first seen, for the
        responsible-exit windows; findings missing from it are first seen today. Anything but a
        PurchaseOrder raises ``TypeError``."""
        po = require_record(po, PurchaseOrder, call="Guard.check_purchase_order")
        key = supplier_key(po.supplier)

        def findings(today: dt.date, watchlists: Sequence[Watchlist]) -> Screened:
            clean, hiding = clean_record(po, root="")
            walk = detectors.walk_purchase_order(
                clean, max_depth=self.policy.max_relationship_depth
            )
            named = detectors.goods_text_nodes(clean, key)
            found = [
                *self._graph_findings(walk, key, watchlists),
                *detectors.detect_watchlist_matches(
                    named, watchlists, self.policy, key, matcher=detectors.match_goods_text
                ),
                *detectors.detect_input_origins(clean, self.locator, key),
                *detectors.detect_high_risk_sectors(clean, self.locator, key),
                *detectors.detect_denied_entry(clean, self.denied_entry, key),
                *self._b4_findings(po.supplier, today),
            ]
            claims = detectors.goods_claim_warnings(clean, self.locator)
            return explain_hiding(found, hiding), [*hiding_warnings(hiding), *claims]

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
        """Screen a supplier on its own (master-data change, onboarding, periodic re-screening).
        Anything but a Supplier raises ``TypeError``."""
        supplier = require_record(supplier, Supplier, call="Guard.screen_supplier")
        key = supplier_key(supplier)

        def findings(today: dt.date, watchlists: Sequence[Watchlist]) -> Screened:
            clean, hiding = clean_record(supplier, root="supplier")
            walk = detectors.walk_supplier(clean, max_depth=self.policy.max_relationship_depth)
            found = [
                *self._graph_findings(walk, key, watchlists),
                *self._b4_findings(supplier, today),
            ]
            return explain_hiding(found, hiding), hiding_warnings(hiding)

        return self._decide(supplier.label, key, findings, first_seen, supplier=supplier)

    def screen_suppliers(
        self,
        suppliers: Iterable[Supplier],
        *,
        progress: Callable[[int], None] | None = None,
        first_seen: Mapping[str, dt.date] | None = None,
    ) -> Iterator[Decision]:
        """Screen many suppliers lazily, in order; ``progress`` gets the count done after each.

        An item that is not a Supplier (a raw dict, None) does not stop the batch: it gets its own
        fail-closed Decision (SCREENING_UNAVAILABLE, subject ``item N``) naming the problem, so no
        record of a batch is silently lost and none reads as cleared. A ``suppliers`` that is not
        iterable at all raises ``TypeError``."""
        if isinstance(suppliers, Supplier | str | bytes | dict):
            raise TypeError(
                "Guard.screen_suppliers expects an iterable of Supplier, got "
                f"{type(suppliers).__name__}; use screen_supplier for one supplier"
            )
        for done, supplier in enumerate(suppliers, start=1):
            if isinstance(supplier, Supplier):
                yield self.screen_supplier(supplier, first_seen=first_seen)
            else:
                yield self.not_a_supplier(done, supplier)
            if progress is not None:
                progress(done)

    def not_a_supplier(self, position: int, item: object) -> Decision:
        """The fail-closed Decision for item ``position`` (from 1) of a batch that is no Supplier."""
        subject = f"item {position}"
        why = (
            f"{subject} of the batch is of type {type(item).__name__}, not a Supplier, so it was not "
            "screened (validate each payload with Supplier.model_validate)"
        )
        finding = _unavailable(subject, why)
        screened_at = self.clock()
        today = detectors.today_of(screened_at)
        lists = self._lists.current(screened_at)
        verdict = evaluate([finding], self.policy, today=today)
        return Decision(
            action=verdict.action,
            findings=[finding],
            steps=verdict.steps,
            reasons=verdict.reasons,
            screened_at=screened_at,
            list_versions=lists.versions,
            warnings=[
                *self.warnings,
                *lists.warnings(today=today, max_age_days=self.max_list_age_days),
            ],
            subject=subject,
            policy_version=self.policy.version,
        )

    # ----------------------------------------------------------------------------------------
    # Internals
    # ----------------------------------------------------------------------------------------

    def _graph_findings(
        self, walk: detectors.Walk, key: str, watchlists: Sequence[Watchlist]
    ) -> list[Finding]:
        return [
            *detectors.detect_locations(walk.nodes, self.locator, key),
            *detectors.detect_evidence(walk.nodes, key, self.locator),
            *detectors.detect_watchlist_matches(walk.nodes, watchlists, self.policy, key),
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
        compute: Callable[[dt.date, Sequence[Watchlist]], Screened],
        first_seen: Mapping[str, dt.date] | None,
        *,
        supplier: Supplier,
    ) -> Decision:
        screened_at = self.clock()
        today = detectors.today_of(screened_at)
        lists = self._lists.current(screened_at)  # one complete set for the whole decision
        record_warnings: list[str] = []
        try:
            findings, record_warnings = compute(today, lists.watchlists)
            first_seen = self.first_seen_dates(supplier, today, first_seen)
        except Exception as error:  # fail closed: an internal error must never read as "allow"
            log.exception("screening %s failed", subject)
            findings = [_unavailable(key, f"internal error ({type(error).__name__}: {error})")]
        findings += [_unavailable(key, problem) for problem in (*self.problems, *lists.problems)]
        try:
            verdict = evaluate(findings, self.policy, today=today, first_seen=first_seen)
        except Exception as error:  # a malformed finding (an unknown step, say) must not escape
            log.exception("deciding %s failed", subject)
            why = f"internal error while deciding ({type(error).__name__}: {error})"
            findings = [*findings, _unavailable(key, why)]
            verdict = evaluate([_unavailable(key, why)], self.policy, today=today)
        versions = lists.versions
        reasons = verdict.reasons or [_clean_reason(versions)]
        warnings = lists.warnings(today=today, max_age_days=self.max_list_age_days)
        return Decision(
            action=verdict.action,
            findings=findings,
            steps=verdict.steps,
            reasons=reasons,
            screened_at=screened_at,
            list_versions=versions,
            warnings=[*self.warnings, *record_warnings, *warnings],
            subject=subject,
            policy_version=self.policy.version,
        )


def _clean_reason(versions: Sequence[ListVersion]) -> str:
    lists = ", ".join(
        f"{v.name} as of {v.as_of.isoformat() if v.as_of else 'unknown date'}" for v in versions
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
