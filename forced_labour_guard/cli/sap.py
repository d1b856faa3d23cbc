"""``flg sap``: screen S/4HANA suppliers and purchase orders in batch, and replay business events.

Reads from SAP over OData with the settings file (``--config`` or ``FLG_SAP_CONFIG``), screens,
enforces purchasing blocks (or, in dry run, says what it would change), records every decision and
write in the store, and prints one JSON line per record on stdout; progress (on a terminal) and a
summary go to stderr. A record that could not be read from SAP gets an ``error`` line and the
command exits 2: it was not screened and must not be taken as cleared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable

from forced_labour_guard import settings as environment
from forced_labour_guard.adapters.sap.adapter import Outcome, SapAdapter
from forced_labour_guard.adapters.sap.errors import SapError
from forced_labour_guard.adapters.sap.events import handle_event, ledger_for_store
from forced_labour_guard.adapters.sap.odata import Entity
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.settings import load_settings
from forced_labour_guard.cli.audit import add_store_option, store_location
from forced_labour_guard.cli.common import add_list_options, stored_lists_from_args
from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.pending import queue_b4_for
from forced_labour_guard.instructions.provider import provider_for_store
from forced_labour_guard.policy import Policy, load_policy
from forced_labour_guard.store import open_store

CONFIG_ENV = environment.SAP_CONFIG.name


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sap = subparsers.add_parser("sap", help="SAP S/4HANA: batch screening, blocks, events")
    commands = sap.add_subparsers(dest="sap_command", metavar="SAP_COMMAND")
    commands.required = True

    suppliers = commands.add_parser(
        "screen-suppliers", help="screen suppliers read from SAP; block where B1/B2/B3/B5 require"
    )
    suppliers.add_argument(
        "--supplier", action="append", metavar="ID", help="only this supplier (repeatable)"
    )
    _common(suppliers)
    suppliers.set_defaults(func=_screen_suppliers)

    orders = commands.add_parser(
        "check-pos", help="screen purchase orders created or changed since a date"
    )
    orders.add_argument(
        "--since",
        required=True,
        metavar="YYYY-MM-DD",
        type=_date,
        help="orders created or changed on or after this day (UTC)",
    )
    _common(orders)
    orders.set_defaults(func=_check_pos)

    events = commands.add_parser(
        "events", help="process SAP business events (CloudEvents JSON or JSON lines) from a file"
    )
    events.add_argument("file", metavar="FILE")
    _common(events)
    events.set_defaults(func=_events)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help=f"SAP settings (default ${CONFIG_ENV})")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print what would change in SAP")
    mode.add_argument("--enforce", action="store_true", help="write blocks (needs --store)")
    parser.add_argument("--policy", metavar="FILE", help="policy file (.toml or .json)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_store_option(parser)
    add_list_options(parser)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _adapter(args: argparse.Namespace) -> SapAdapter:
    config = args.config or environment.sap_config()
    if not config:
        raise UsageError(f"--config: give the SAP settings file (or set {CONFIG_ENV})")
    settings = load_settings(config)
    policy = load_policy(args.policy) if args.policy else Policy()
    location = store_location(args)
    b4_status = provider_for_store(location)
    guard = Guard.default(
        policy=policy,
        b4_status=b4_status,
        list_loader=stored_lists_from_args(args),
        max_list_age_days=args.max_list_age,
    )
    store = open_store(location) if location else None
    dry_run = True if args.dry_run else (False if args.enforce else None)
    after = [queue_b4_for(b4_status.store)] if b4_status is not None else []
    return SapAdapter(
        S4Client.from_settings(settings),
        guard,
        settings,
        store=store,
        dry_run=dry_run,
        on_decision=after,
    )


def _run(
    args: argparse.Namespace,
    label: str,
    keys: Callable[[SapAdapter], Iterable[str]],
    screen: Callable[[SapAdapter, str], Outcome],
) -> int:
    adapter = _adapter(args)
    counts: Counter[str] = Counter()
    show = not args.quiet and sys.stderr.isatty()
    done = 0
    try:
        for done, key in enumerate(keys(adapter), start=1):
            try:
                outcome = screen(adapter, key)
            except SapError as error:
                counts["error"] += 1
                print(json.dumps({label: key, "error": str(error), "action": None}))
            else:
                counts[outcome.decision.action.value] += 1
                counts["writes"] += len(outcome.planned)
                print(json.dumps(outcome.summary(), ensure_ascii=False))
            if show:
                sys.stderr.write(f"\r{done} screened")
                sys.stderr.flush()
    finally:
        if show:
            sys.stderr.write("\n")
        mode = "dry run: would change" if adapter.dry_run else "changed"
        print(
            f"flg: sap: screened {done} {label}(s): {counts['block']} block, {counts['warn']} "
            f"warn, {counts['allow']} allow, {counts['error']} failed; {mode} "
            f"{counts['writes']} SAP field(s)",
            file=sys.stderr,
        )
        if adapter.store is not None:
            adapter.store.close()
    if counts["error"]:
        print(
            "flg: error: SAP failed for some records (a read, or a block that could not be "
            'written); they must not be treated as cleared (see the lines with an "error").',
            file=sys.stderr,
        )
        return 2
    return 0


def _screen_suppliers(args: argparse.Namespace) -> int:
    def keys(adapter: SapAdapter) -> Iterable[str]:
        return args.supplier or adapter.s4.supplier_ids()

    return _run(args, "supplier", keys, lambda adapter, key: adapter.screen_supplier(key))


def _check_pos(args: argparse.Namespace) -> int:
    orders: dict[str, Entity] = {}

    def keys(adapter: SapAdapter) -> Iterable[str]:
        fields = adapter.origin_fields()
        for po in adapter.s4.purchase_orders_since(args.since, extra_item_fields=fields):
            key = str(po.get("PurchaseOrder"))
            orders[key] = po  # read once, with its items: screened as read
            yield key

    def screen(adapter: SapAdapter, key: str) -> Outcome:
        return adapter.check_purchase_order(key, po=orders.pop(key))

    return _run(args, "purchase_order", keys, screen)


def _events(args: argparse.Namespace) -> int:
    events = _read_events(args.file)
    adapter = _adapter(args)
    location = store_location(args)
    if location is None:
        raise UsageError("--store: events need a store (it keeps the processed event ids)")
    ledger = ledger_for_store(location)
    failed = 0
    try:
        for event in events:
            try:
                result = handle_event(event, adapter, ledger)
            except InputError as error:
                failed += 1
                print(json.dumps({"status": "rejected", "error": str(error)}))
                continue
            failed += result.status == "failed"
            print(json.dumps(result.as_json(), ensure_ascii=False))
    finally:
        ledger.close()
        if adapter.store is not None:
            adapter.store.close()
    return 2 if failed else 0


def _read_events(path: str) -> list[object]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", source=path) from None
    try:
        loaded = json.loads(text)
        return loaded if isinstance(loaded, list) else [loaded]
    except ValueError:
        pass
    events: list[object] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                events.append(json.loads(line))
            except ValueError as error:
                raise InputError(f"line {number} is not JSON ({error})", source=path) from None
    return events
