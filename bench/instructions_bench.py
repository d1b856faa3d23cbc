"""Throughput of a B4 campaign: letters rendered and e-mails built, .eml files written, and letters
sent over SMTP to a local aiosmtpd server (no network), plus B4 status look-ups for the Guard.

A benchmark, not a test: figures depend on the machine, so nothing here asserts a time.

    python bench/instructions_bench.py [--suppliers N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from forced_labour_guard.instructions import (
    B4StatusProvider,
    Campaign,
    CampaignStore,
    Company,
    EmlFolder,
    Recipient,
    SmtpDeliverer,
    SmtpSettings,
)
from forced_labour_guard.model import Supplier

COMPANY = Company(name="Bench Buyer GmbH", contact_email="sourcing@buyer.example")
TODAY = dt.date(2026, 3, 2)


class Sink:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 OK"


def recipients(n: int) -> list[Recipient]:
    return [
        Recipient(
            supplier=Supplier(id=f"S-{i:05d}", name=f"供应商 {i} Textile Co., Ltd."),
            email=f"s{i}@vendor.example",
            language=("en", "zh")[i % 2],
        )
        for i in range(n)
    ]


def timed(label: str, count: int, work: object) -> None:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"{label:<44} {count:>6}  {seconds:7.2f} s  {count / seconds:9.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--suppliers", type=int, default=1000)
    args = parser.parse_args()
    people = recipients(args.suppliers)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with CampaignStore(root / "a.sqlite") as store:
            campaign = Campaign(store, "bench", company=COMPANY)
            timed(
                "dry run (render + build + verify headers)",
                len(people),
                lambda: campaign.issue(people, None, today=TODAY),
            )
            timed(
                "issue to .eml files (+ SQLite records)",
                len(people),
                lambda: campaign.issue(people, EmlFolder(root / "out"), today=TODAY),
            )
            provider = B4StatusProvider(store)
            later = TODAY + dt.timedelta(days=60)
            timed(
                "B4 status look-ups for the Guard",
                len(people),
                lambda: [provider(r.supplier, later) for r in people],
            )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            with CampaignStore(root / "b.sqlite") as store:
                campaign = Campaign(store, "bench", company=COMPANY)
                settings = SmtpSettings(host="127.0.0.1", port=port, starttls=False)
                with SmtpDeliverer(settings) as smtp:
                    timed(
                        "issue over SMTP to 127.0.0.1 (one connection)",
                        len(people),
                        lambda: campaign.issue(people, smtp, today=TODAY),
                    )
        finally:
            controller.stop()


if __name__ == "__main__":
    main()
