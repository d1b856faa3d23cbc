"""Overrides release only what they were given for, only while in force, and A1/ENTITY_LIST only with
a second approver; the decision afterwards shows both the finding and the override."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError
from store_helpers import DAY, Clock, decision, finding

from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.model import Action, FindingCode
from forced_labour_guard.policy import Policy
from forced_labour_guard.store import OverrideRequest, OverrideRules, SqliteStore
from forced_labour_guard.store.overrides import apply_overrides, approve, new_override, revoke
from forced_labour_guard.store.records import Override

TODAY = DAY.date()
POLICY = Policy()


def make(
    *codes: FindingCode,
    po_id: str | None = None,
    supplier_id: str | None = None,
    subjects: tuple[str, ...] = (),
    expires_on: dt.date = TODAY + dt.timedelta(days=30),
    by: str = "alice",
    rules: OverrideRules | None = None,
    override_id: str = "OVR-1",
) -> Override:
    request = OverrideRequest(
        po_id=po_id,
        supplier_id=supplier_id,
        codes=list(codes),
        subjects=list(subjects),
        reason="checked by compliance",
        created_by=by,
        expires_on=expires_on,
    )
    return new_override(
        request, override_id=override_id, created_at=DAY, rules=rules or OverrideRules()
    )


A4 = finding(FindingCode.A4, subject="lines[0].inputs[0]", steps=("B4",))
MATCH = finding(FindingCode.POSSIBLE_MATCH, subject="supplier", steps=("A",))
A1 = finding(FindingCode.A1, subject="supplier.facilities[0]")


def test_po_override_releases_its_code_on_that_po_only() -> None:
    raw = decision(A4, action=Action.WARN)
    override = make(FindingCode.A4, po_id="PO-1")
    released = apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY)
    assert released.action is Action.ALLOW
    assert [f.released_by for f in released.findings] == ["OVR-1"]
    assert released.findings[0].code is FindingCode.A4  # the finding is still shown
    assert [ref.id for ref in released.overrides] == ["OVR-1"]
    assert any(
        "Released by override OVR-1" in reason and "checked by compliance" in reason
        for reason in released.reasons
    )
    assert released.steps == []
    other_po = apply_overrides(raw, [override], today=TODAY, po_id="PO-2", policy=POLICY)
    assert other_po == raw
    no_po = apply_overrides(raw, [override], today=TODAY, po_id=None, policy=POLICY)
    assert no_po == raw


def test_override_never_silences_a_finding_it_was_not_given_for() -> None:
    raw = decision(A4, MATCH, A1)
    override = make(FindingCode.A4, FindingCode.POSSIBLE_MATCH, supplier_id="S-1")
    result = apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY)
    assert result.action is Action.BLOCK  # A1 still stands
    by_code = {f.code: f.released_by for f in result.findings}
    assert by_code == {
        FindingCode.A4: "OVR-1",
        FindingCode.POSSIBLE_MATCH: "OVR-1",
        FindingCode.A1: None,
    }
    assert result.steps == ["B1"]


def test_supplier_override_does_not_reach_another_supplier() -> None:
    raw = decision(finding(FindingCode.A4, supplier_id="S-2", steps=("B4",)), action=Action.WARN)
    override = make(FindingCode.A4, supplier_id="S-1")
    assert apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY) == raw


def test_po_and_supplier_scope_together_need_both() -> None:
    raw = decision(A4, action=Action.WARN)
    both = make(FindingCode.A4, po_id="PO-1", supplier_id="S-2")
    assert apply_overrides(raw, [both], today=TODAY, po_id="PO-1", policy=POLICY) == raw
    right = make(FindingCode.A4, po_id="PO-1", supplier_id="S-1")
    assert (
        apply_overrides(raw, [right], today=TODAY, po_id="PO-1", policy=POLICY).action
        is Action.ALLOW
    )


def test_subjects_narrow_the_release() -> None:
    other_input = finding(FindingCode.A4, subject="lines[1].inputs[0]", steps=("B4",))
    raw = decision(A4, other_input, action=Action.WARN)
    override = make(FindingCode.A4, supplier_id="S-1", subjects=("lines[0].inputs[0]",))
    result = apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY)
    assert [f.released_by for f in result.findings] == ["OVR-1", None]
    assert result.action is Action.BLOCK  # the other input's A4 still holds the order's goods


def test_expired_override_has_no_effect() -> None:
    raw = decision(A4, action=Action.WARN)
    override = make(FindingCode.A4, po_id="PO-1", expires_on=TODAY + dt.timedelta(days=3))
    on_last_day = apply_overrides(
        raw, [override], today=TODAY + dt.timedelta(days=3), po_id="PO-1", policy=POLICY
    )
    assert on_last_day.action is Action.ALLOW
    after = apply_overrides(
        raw, [override], today=TODAY + dt.timedelta(days=4), po_id="PO-1", policy=POLICY
    )
    assert after == raw
    assert override.status(TODAY + dt.timedelta(days=4)) == "expired"


def test_revoked_override_has_no_effect() -> None:
    raw = decision(A4, action=Action.WARN)
    override = revoke(make(FindingCode.A4, po_id="PO-1"), by="carol", at=DAY, reason="new evidence")
    assert apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY) == raw
    with pytest.raises(UsageError, match="already revoked"):
        revoke(override, by="carol", at=DAY, reason="again")
    for by, reason, field in (("  ", "r", "by"), ("", "r", "by"), ("carol", " ", "reason")):
        with pytest.raises(InputError, match="revocation needs") as refused:
            revoke(make(FindingCode.A4, po_id="PO-1"), by=by, at=DAY, reason=reason)
        assert refused.value.path == field


@pytest.mark.parametrize("code", [FindingCode.A1, FindingCode.ENTITY_LIST])
def test_a1_and_entity_list_need_a_second_approver(code: FindingCode) -> None:
    raw = decision(finding(code))
    override = make(code, supplier_id="S-1")
    assert override.requires_second_approver
    assert override.status(TODAY) == "pending_approval"
    assert apply_overrides(raw, [override], today=TODAY, po_id="PO-1", policy=POLICY) == raw
    with pytest.raises(UsageError, match="different person"):
        approve(override, by="alice", at=DAY)
    approved = approve(override, by="bob", at=DAY, note="saw the audit report")
    result = apply_overrides(raw, [approved], today=TODAY, po_id="PO-1", policy=POLICY)
    assert result.action is Action.ALLOW
    assert result.overrides[0].approved_by == ["bob"]
    assert "approved by bob" in result.reasons[-1]


def test_second_approver_codes_are_configurable() -> None:
    rules = OverrideRules(second_approver_codes=frozenset({FindingCode.A4}))
    assert make(FindingCode.A4, po_id="PO-1", rules=rules).requires_second_approver
    assert not make(FindingCode.A1, po_id="PO-1", rules=rules).requires_second_approver
    assert not make(FindingCode.A4, po_id="PO-1").requires_second_approver


def test_override_needs_scope_reason_codes_and_a_future_expiry() -> None:
    with pytest.raises(ValidationError, match="needs a scope"):
        OverrideRequest(codes=[FindingCode.A4], reason="r", created_by="a", expires_on=TODAY)
    with pytest.raises(ValidationError):
        OverrideRequest(po_id="P", codes=[], reason="r", created_by="a", expires_on=TODAY)
    with pytest.raises(ValidationError):
        OverrideRequest(
            po_id="P", codes=[FindingCode.A4], reason=" ", created_by="a", expires_on=TODAY
        )
    with pytest.raises(ValidationError, match="SCREENING_UNAVAILABLE cannot be overridden"):
        OverrideRequest(
            po_id="P",
            codes=[FindingCode.SCREENING_UNAVAILABLE],
            reason="r",
            created_by="a",
            expires_on=TODAY,
        )
    with pytest.raises(InputError, match="already past"):
        make(FindingCode.A4, po_id="P", expires_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(InputError, match="at most 366 days"):
        make(FindingCode.A4, po_id="P", expires_on=TODAY + dt.timedelta(days=400))


def test_responsible_exit_window_still_counts_for_findings_left_standing() -> None:
    a3 = finding(FindingCode.A3, subject="supplier.evidence[0]", steps=("B3",))
    raw = decision(A4, a3)
    override = make(FindingCode.A4, supplier_id="S-1")
    later = TODAY + dt.timedelta(days=200)
    seen = {a3.key: TODAY}
    long_after = apply_overrides(
        raw, [override], today=later, po_id="PO-1", policy=POLICY, first_seen=seen
    )
    assert long_after == raw  # the 30-day override has expired by then
    override_long = make(
        FindingCode.A4, supplier_id="S-1", expires_on=TODAY + dt.timedelta(days=300)
    )
    result = apply_overrides(
        raw, [override_long], today=later, po_id="PO-1", policy=POLICY, first_seen=seen
    )
    assert result.action is Action.BLOCK
    in_window = apply_overrides(
        raw,
        [override_long],
        today=TODAY + dt.timedelta(days=10),
        po_id="PO-1",
        policy=POLICY,
        first_seen=seen,
    )
    assert in_window.action is Action.WARN


# ------------------------------------------------------------------ the same rules through the store


def test_store_records_overrides_as_audit_entries(tmp_path: Path) -> None:
    clock = Clock()
    store = SqliteStore(tmp_path / "audit.db", clock=clock)
    request = OverrideRequest(
        supplier_id="S-1",
        codes=[FindingCode.ENTITY_LIST],
        reason="different company with a similar name; registration numbers differ",
        created_by="alice",
        expires_on=TODAY + dt.timedelta(days=90),
    )
    created = store.add_override(request)
    assert created.status(TODAY) == "pending_approval"
    with pytest.raises(UsageError):
        store.approve_override(created.id, by="alice")
    clock.advance(hours=2)
    approved = store.approve_override(created.id, by="bob")
    assert approved.status(TODAY) == "active"
    assert store.get_override(created.id) == approved
    assert store.overrides(supplier_ids=["S-1"]) == [approved]
    assert store.overrides(supplier_ids=["S-2"]) == []
    assert store.overrides(po_id="PO-1") == []
    revoked = store.revoke_override(created.id, by="carol", reason="new listing evidence")
    assert revoked.status(TODAY) == "revoked"
    kinds = [entry.kind for entry in store.entries()]
    assert kinds == ["override", "override_approval", "override_revocation"]
    assert [e.body()["override"]["id"] for e in store.entries()] == [created.id] * 3
    assert store.verify().ok


def test_store_refuses_unknown_override(tmp_path: Path) -> None:
    from forced_labour_guard.store import StoreError

    store = SqliteStore(tmp_path / "audit.db")
    with pytest.raises(StoreError, match="no override 'OVR-9'"):
        store.approve_override("OVR-9", by="bob")
    assert store.count() == 0
