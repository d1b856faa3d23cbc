"""Run a B4 instruction campaign for the example suppliers into a folder of .eml files.

    python examples/instruction_campaign.py [OUT_DIR]

Reads ``campaign_company.json`` (the sender) and ``campaign_suppliers.jsonl`` (suppliers with their
e-mail contacts and letter language) next to this script, records the campaign in a SQLite store in
OUT_DIR, and writes one .eml per active supplier (the inactive one is skipped). It then plays the
follow-up forward: a reminder a week before the deadline, one supplier answering with proof that is
accepted, and the others going overdue, and prints the Guard's decision for each supplier: the
overdue ones get NO_B4_ACK (B5) with a warning during the responsible-exit window.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from forced_labour_guard import Guard
from forced_labour_guard.instructions import (
    B4StatusProvider,
    Campaign,
    CampaignStore,
    Company,
    EmlFolder,
    ProofFile,
    ProofKind,
    Review,
    acknowledge,
    load_recipients,
    select_recipients,
    status,
)

HERE = Path(__file__).resolve().parent
ISSUE_DAY = dt.date(2026, 3, 2)


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    company = Company.model_validate(
        json.loads((HERE / "campaign_company.json").read_text(encoding="utf-8"))
    )
    recipients = select_recipients(load_recipients(HERE / "campaign_suppliers.jsonl"))
    outbox = EmlFolder(out_dir / "outbox")

    with CampaignStore(out_dir / "flg.sqlite") as store:
        campaign = Campaign(store, "B4-2026", company=company)
        for result in campaign.issue(recipients, outbox, today=ISSUE_DAY):
            print(f"{result.outcome:<7} {result.reference}  {result.supplier_key}  {result.email}")

        deadline = store.instructions(campaign="B4-2026")[0].deadline
        week_before = deadline - dt.timedelta(days=7)
        reminded = campaign.remind(outbox, today=week_before)
        print(f"\n{week_before}: {len(reminded)} reminder(s) sent")

        first = recipients[0]
        reference = next(i.reference for i in store.instructions() if i.supplier_key == first.key)
        acknowledge(
            store,
            reference,
            received_on=week_before + dt.timedelta(days=2),
            proofs=[
                ProofFile(
                    "attestation-signed.pdf", b"%PDF-1.7 example attestation", ProofKind.ATTESTATION
                )
            ],
            signed_by=first.contact_name,
            recorded_by="jana.keller",
            review=Review.ACCEPTED,
            reviewer="compliance.officer",
        )

        after = deadline + dt.timedelta(days=1)
        overdue = campaign.mark_overdue(today=after)
        print(f"{after}: {len(overdue)} supplier(s) overdue\n")

        guard = Guard.default(
            b4_status=B4StatusProvider(store),
            clock=lambda: dt.datetime.combine(after, dt.time(9), tzinfo=dt.UTC),
        )
        for instruction in store.instructions():
            decision = guard.screen_supplier(
                next(r.supplier for r in recipients if r.key == instruction.supplier_key)
            )
            codes = ", ".join(f.code.value for f in decision.findings) or "-"
            print(
                f"{instruction.supplier_key:<8} {status(instruction, after).value:<15} "
                f"{decision.action.value:<5} {codes}"
            )

    files = sorted(p.name for p in (out_dir / "outbox").glob("*.eml"))
    print(f"\n{len(files)} message(s) in {out_dir / 'outbox'}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="flg-b4-"))
    main(target)
