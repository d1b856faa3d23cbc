"""Evidence is read for what it says, not only for its `kind` (issue 9, "Order lines and evidence")."""

from __future__ import annotations

import datetime as dt

import pytest

from forced_labour_guard import Guard, Supplier
from forced_labour_guard.model import Action, Decision

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def screen(summary: str, kind: str = "other") -> Decision:
    supplier = Supplier.model_validate(
        {
            "id": "S-E",
            "name": "Guangzhou Button Works",
            "country": "CN",
            "evidence": [
                {"kind": kind, "summary": summary, "source": "NGO report", "date": "2025-03-01"}
            ],
        }
    )
    return Guard(clock=lambda: NOW).screen_supplier(supplier)


def codes(decision: Decision) -> list[str]:
    return [f.code.value for f in decision.findings]


@pytest.mark.parametrize(
    "summary",
    [
        "The plant took part in a government programme moving surplus labour from Hotan to its lines.",
        "Researchers found transferred workers at the factory under the Xinjiang Aid scheme.",
        "该厂参与新疆劳动力转移项目。",
        "Workers arrived through 'poverty alleviation through employment' quotas.",
    ],
)
def test_a_summary_describing_labour_transfer_filed_as_other_is_a3(summary: str) -> None:
    decision = screen(summary)
    assert codes(decision) == ["A3"]
    assert decision.findings[0].subject == "supplier.evidence[0]"
    assert "filed as 'other'" in decision.findings[0].detail
    assert decision.steps == ["B3"]
    assert decision.action is Action.WARN  # a responsible-exit window, as any A3


@pytest.mark.parametrize(
    "summary",
    [
        "The company buys Xinjiang cotton for its yarn.",
        "Sources lint from Aksu through a trading house.",
        "该公司采购新疆棉花。",
    ],
)
def test_a_summary_describing_sourcing_from_the_region_filed_as_other_is_a4_warn(
    summary: str,
) -> None:
    decision = screen(summary)
    assert codes(decision) == ["A4"]
    assert decision.action is Action.WARN  # a sourcing report about a supplier: warn and B4
    assert decision.steps == ["B4"]


@pytest.mark.parametrize(
    "summary",
    [
        "Audit found no evidence of labour transfer.",
        "Forced labour risk assessment: none identified.",
        "The supplier does not source from Xinjiang.",
        "Office at Xinjiang Road, Shanghai; buys yarn locally.",
        "Buys Egyptian cotton only.",
        "Annual social audit passed without findings.",
        "Labour transfer programmes: none found at this site.",
    ],
)
def test_a_summary_that_denies_or_only_mentions_raises_nothing(summary: str) -> None:
    assert screen(summary).findings == []


def test_the_kind_still_decides_when_the_summary_says_little() -> None:
    assert codes(screen("See attached report.", kind="labour_transfer")) == ["A3"]
    assert codes(screen("See attached report.", kind="sourcing")) == ["A4"]


def test_a_sourcing_report_that_also_describes_labour_transfer_gets_both() -> None:
    decision = screen(
        "Buys cotton from Aksu; its spinning mill received transferred workers.", kind="sourcing"
    )
    assert codes(decision) == ["A3", "A4"]
