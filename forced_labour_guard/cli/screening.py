"""``flg check-po``, ``flg screen-supplier``, ``flg screen-suppliers`` and ``flg schema``."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from forced_labour_guard.cli.common import add_guard_options, fails, guard_from_args
from forced_labour_guard.cli.render import render_decision
from forced_labour_guard.errors import InputError
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import Decision, PurchaseOrder, Supplier
from forced_labour_guard.records import count_records, iter_records, load_record
from forced_labour_guard.store.audited import AuditedGuard


def register(subparsers: Any) -> None:
    check_po = subparsers.add_parser(
        "check-po", help="screen one purchase order (JSON file, or - for stdin)"
    )
    check_po.add_argument("file", metavar="FILE|-")
    add_guard_options(check_po)
    check_po.set_defaults(func=_check_po)

    supplier = subparsers.add_parser(
        "screen-supplier", help="screen one supplier (JSON file, or - for stdin)"
    )
    supplier.add_argument("file", metavar="FILE|-")
    add_guard_options(supplier)
    supplier.set_defaults(func=_screen_supplier)

    batch = subparsers.add_parser(
        "screen-suppliers",
        help="screen many suppliers (JSON lines or CSV); JSON lines out, progress on stderr",
    )
    batch.add_argument("file", metavar="FILE.jsonl|FILE.csv")
    add_guard_options(batch)
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.set_defaults(func=_screen_suppliers)

    schema = subparsers.add_parser("schema", help="print the JSON Schema of the input models")
    schema.add_argument(
        "model", nargs="?", choices=["purchase-order", "supplier", "all"], default="all"
    )
    schema.set_defaults(func=_schema)


def _emit(decision: Decision, args: argparse.Namespace) -> int:
    if args.json:
        print(decision.model_dump_json(indent=2))
    else:
        print(render_decision(decision))
    return 1 if fails(decision.action, args.fail_on) else 0


def _check_po(args: argparse.Namespace) -> int:
    po = load_record(PurchaseOrder, args.file)
    with guard_from_args(args) as guard:
        decision = guard.check_purchase_order(po)
    return _emit(decision, args)


def _screen_supplier(args: argparse.Namespace) -> int:
    supplier = load_record(Supplier, args.file)
    with guard_from_args(args) as guard:
        decision = guard.screen_supplier(supplier)
    return _emit(decision, args)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal; the summary always."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and sys.stderr.isatty()

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        if self.total:
            filled = min(30, int(30 * done / self.total))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/~{self.total}")
        else:
            sys.stderr.write(f"\r{done} screened")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _screen_suppliers(args: argparse.Namespace) -> int:
    with guard_from_args(args) as guard:
        return _screen_all(guard, args)


def _screen_all(guard: Guard | AuditedGuard, args: argparse.Namespace) -> int:
    show = not args.quiet and sys.stderr.isatty()
    progress = _Progress(count_records(args.file) if show else None, enabled=show)
    counts: Counter[str] = Counter()
    worst_fails = False
    done = 0
    try:
        for done, (where, record) in enumerate(iter_records(Supplier, args.file), start=1):
            if isinstance(record, InputError):
                counts["unreadable"] += 1
                print(json.dumps({"source": where, "error": str(record), "action": None}))
            else:
                decision = guard.screen_supplier(record)
                counts[decision.action.value] += 1
                worst_fails = worst_fails or fails(decision.action, args.fail_on)
                line = json.loads(decision.model_dump_json())
                print(json.dumps({"source": where, **line}, ensure_ascii=False))
            progress.update(done)
    finally:
        progress.finish()
        summary = ", ".join(f"{counts[k]} {k}" for k in ("block", "warn", "allow", "unreadable"))
        print(f"flg: screened {done} record(s): {summary}", file=sys.stderr)
    if counts["unreadable"]:
        print(
            "flg: error: some records could not be read; they were not screened and must not "
            'be treated as cleared (see the lines with an "error").',
            file=sys.stderr,
        )
        return 2
    return 1 if worst_fails else 0


def _schema(args: argparse.Namespace) -> int:
    schemas = {
        "purchase-order": PurchaseOrder.model_json_schema(),
        "supplier": Supplier.model_json_schema(),
    }
    chosen = schemas if args.model == "all" else schemas[args.model]
    print(json.dumps(chosen, indent=2, ensure_ascii=False))
    return 0
