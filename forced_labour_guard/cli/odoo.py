"""``flg odoo screen-vendors`` and ``flg odoo check-pos``: screen an Odoo database from outside.

Each record's result goes to stdout as one JSON line (the Decision plus the Odoo model and id, and
what was written back); a summary goes to stderr. The connection comes from ``--url``/``--db``/
``--login``/``--protocol`` or ``ODOO_URL``/``ODOO_DB``/``ODOO_LOGIN``/``ODOO_PROTOCOL``; the API key
only from ``ODOO_API_KEY``. ``--dry-run`` screens and reports but writes nothing to Odoo.

Exit status: 2 when a record could not be read or a write-back failed (the others are still
screened), else 1 when ``--fail-on`` is met, else 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from forced_labour_guard.adapters.odoo.batch import Summary, screen
from forced_labour_guard.adapters.odoo.client import DEFAULT_PAGE_SIZE, OdooSettings, connect
from forced_labour_guard.adapters.odoo.reader import OPEN_ORDER_STATES, OdooReader, Screenable
from forced_labour_guard.adapters.odoo.writeback import OdooWriter
from forced_labour_guard.cli.audit import add_store_option
from forced_labour_guard.cli.common import add_list_options, build_guard, fails
from forced_labour_guard.errors import UsageError
from forced_labour_guard.model import Action

ORDER_STATES = ("draft", "sent", "to approve", "purchase", "cancel")


def register(subparsers: Any) -> None:
    odoo = subparsers.add_parser(
        "odoo", help="screen vendors and purchase orders in an Odoo database"
    )
    commands = odoo.add_subparsers(dest="odoo_command", metavar="COMMAND")
    commands.required = True

    vendors = commands.add_parser(
        "screen-vendors", help="screen every vendor (supplier_rank > 0) and note the result"
    )
    _add_options(vendors)
    vendors.set_defaults(func=_screen_vendors)

    orders = commands.add_parser(
        "check-pos", help="screen the purchase orders in the given states and note the result"
    )
    orders.add_argument(
        "--state",
        default=",".join(OPEN_ORDER_STATES),
        help=f"comma-separated order states (default: {','.join(OPEN_ORDER_STATES)})",
    )
    _add_options(orders)
    orders.set_defaults(func=_check_pos)


def _add_options(parser: argparse.ArgumentParser) -> None:
    connection = parser.add_argument_group("Odoo connection (the API key only from $ODOO_API_KEY)")
    connection.add_argument(
        "--url", help="server address, e.g. https://erp.example.com ($ODOO_URL)"
    )
    connection.add_argument("--db", help="database name ($ODOO_DB)")
    connection.add_argument("--login", help="user login, needed for JSON-RPC ($ODOO_LOGIN)")
    connection.add_argument(
        "--protocol",
        choices=["auto", "json2", "jsonrpc"],
        help="json2 (Odoo 19+), jsonrpc (16-18) or auto from /json/version ($ODOO_PROTOCOL)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="screen and report, but write nothing to Odoo"
    )
    parser.add_argument(
        "--page-size",
        type=int,
        default=DEFAULT_PAGE_SIZE,
        metavar="N",
        help=f"records read per request (default {DEFAULT_PAGE_SIZE})",
    )
    parser.add_argument(
        "--fail-on",
        choices=[Action.WARN.value, Action.BLOCK.value],
        help="exit 1 when any decision is at least this severe",
    )
    parser.add_argument("--policy", metavar="FILE", help="policy file (.toml or .json)")
    parser.add_argument(
        "--denied-entry", metavar="FILE", help="register of goods denied US entry (C2 check)"
    )
    add_store_option(parser)
    add_list_options(parser)


def _states(text: str) -> list[str]:
    states = [state.strip() for state in text.split(",") if state.strip()]
    unknown = [state for state in states if state not in ORDER_STATES]
    if not states or unknown:
        raise UsageError(
            f"--state: {', '.join(unknown) or 'nothing given'} is not an order state; "
            f"use {', '.join(ORDER_STATES)}"
        )
    return states


def _reader(args: argparse.Namespace) -> OdooReader:
    settings = OdooSettings.from_env(
        url=args.url, database=args.db, login=args.login, protocol=args.protocol
    )
    return OdooReader(connect(settings, page_size=args.page_size))


def _run(args: argparse.Namespace, items: Iterator[Screenable], reader: OdooReader) -> int:
    guard = build_guard(args)
    writer = OdooWriter(reader.client, dry_run=args.dry_run)
    summary = Summary()
    worst_fails = False
    try:
        for result in screen(items, guard, writer):
            summary.add(result)
            if result.decision is not None:
                worst_fails = worst_fails or fails(result.decision.action, args.fail_on)
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    finally:
        print(f"flg: {summary.line()}", file=sys.stderr)
    if summary.counts["unreadable"] or summary.counts["written:failed"]:
        print(
            "flg: error: some records were not screened or their result could not be written to "
            'Odoo; see the lines with an "error". Records not screened must not be treated as '
            "cleared.",
            file=sys.stderr,
        )
        return 2
    return 1 if worst_fails else 0


def _screen_vendors(args: argparse.Namespace) -> int:
    reader = _reader(args)
    return _run(args, reader.vendors(), reader)


def _check_pos(args: argparse.Namespace) -> int:
    states = _states(args.state)
    reader = _reader(args)
    return _run(args, reader.orders(states), reader)
