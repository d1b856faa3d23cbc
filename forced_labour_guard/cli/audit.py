"""``flg audit verify|export`` and ``flg override add|approve|revoke|list``, plus the ``--store``
option the screening commands share.

The store is found from ``--store PATH`` or the ``FLG_STORE`` environment variable. Screening works
without one; these commands need one, and (except ``override add``) refuse a path where no store
exists yet, so a typo cannot report "chain intact" for an empty new file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forced_labour_guard import settings
from forced_labour_guard.clock import utc_now
from forced_labour_guard.errors import InputError, UsageError, first_problem
from forced_labour_guard.guard import Guard
from forced_labour_guard.model import FindingCode
from forced_labour_guard.store import (
    Row,
    Store,
    VerifyReport,
    open_store,
    sqlite_path,
    verify_rows,
)
from forced_labour_guard.store.audited import AuditedGuard, DecisionCallback
from forced_labour_guard.store.export import read_jsonl, write_csv, write_jsonl
from forced_labour_guard.store.records import Override, OverrideRequest

STORE_ENV = settings.STORE.name


# ------------------------------------------------------------------------ shared --store option


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """``--store PATH``: record decisions, read first-seen dates and apply overrides from a store."""
    parser.add_argument(
        "--store",
        metavar="PATH",
        help=f"audit store (SQLite file); default: ${STORE_ENV} if set, else no store",
    )


def store_location(args: argparse.Namespace) -> str | None:
    location = getattr(args, "store", None) or settings.store_location()
    return str(location) if location else None


def with_store(
    guard: Guard,
    args: argparse.Namespace,
    *,
    on_decision: Sequence[DecisionCallback] = (),
) -> Guard | AuditedGuard:
    """The Guard itself without a store; with one, a Guard that records and applies overrides and
    runs ``on_decision`` on each decision it records (ignored without a store)."""
    location = store_location(args)
    if location is None:
        return guard
    return AuditedGuard(guard, open_store(location), on_decision=on_decision)


def _open(args: argparse.Namespace, *, create: bool = False) -> Store:
    location = store_location(args)
    if location is None:
        raise UsageError(f"no audit store given: pass --store PATH or set {STORE_ENV}")
    path = sqlite_path(location)
    if not create and not Path(path).exists():
        raise UsageError(f"{path}: no audit store there (check the path, or ${STORE_ENV})")
    return open_store(path)


# ------------------------------------------------------------------------ registration


def register(subparsers: Any) -> None:
    audit = subparsers.add_parser("audit", help="check or export the tamper-evident audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    audit_commands.required = True

    verify = audit_commands.add_parser(
        "verify", help="walk the hash chain and report the first broken link"
    )
    add_store_option(verify)
    verify.add_argument(
        "--file", metavar="EXPORT.jsonl", help="check a JSON-lines export instead of a store"
    )
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        help="a head hash you kept earlier: fail unless that entry is still in the chain",
    )
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    verify.set_defaults(func=_verify)

    export = audit_commands.add_parser("export", help="write audit entries as JSON lines or CSV")
    add_store_option(export)
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--since", type=_date_arg, metavar="YYYY-MM-DD", help="from this day")
    export.add_argument("--until", type=_date_arg, metavar="YYYY-MM-DD", help="to this day")
    export.add_argument("--supplier", metavar="ID", help="only entries for this supplier")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(func=_export)

    override = subparsers.add_parser(
        "override", help="release blocked findings with a recorded, expiring, approved override"
    )
    override_commands = override.add_subparsers(dest="override_command", metavar="ACTION")
    override_commands.required = True

    add = override_commands.add_parser("add", help="create an override")
    add_store_option(add)
    add.add_argument("--po", metavar="PO_ID", help="scope: this purchase order")
    add.add_argument("--supplier", metavar="SUPPLIER_ID", help="scope: this supplier (id or name)")
    add.add_argument(
        "--code",
        dest="codes",
        action="append",
        required=True,
        choices=[
            code.value for code in FindingCode if code is not FindingCode.SCREENING_UNAVAILABLE
        ],
        help="finding code to release (repeat for several)",
    )
    add.add_argument(
        "--subject", dest="subjects", action="append", default=[], help="only this finding subject"
    )
    add.add_argument("--reason", required=True, help="why the finding is released (recorded)")
    add.add_argument("--by", required=True, help="who creates the override")
    add.add_argument("--expires", required=True, type=_date_arg, metavar="YYYY-MM-DD")
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=_override_add)

    approve = override_commands.add_parser("approve", help="second person's approval")
    add_store_option(approve)
    approve.add_argument("override_id", metavar="OVERRIDE_ID")
    approve.add_argument("--by", required=True, help="who approves (not the author)")
    approve.add_argument("--note", help="optional note, recorded")
    approve.add_argument("--json", action="store_true")
    approve.set_defaults(func=_override_approve)

    revoke = override_commands.add_parser("revoke", help="end an override before it expires")
    add_store_option(revoke)
    revoke.add_argument("override_id", metavar="OVERRIDE_ID")
    revoke.add_argument("--by", required=True)
    revoke.add_argument("--reason", required=True)
    revoke.add_argument("--json", action="store_true")
    revoke.set_defaults(func=_override_revoke)

    listing = override_commands.add_parser("list", help="list overrides and their status")
    add_store_option(listing)
    listing.add_argument("--po", metavar="PO_ID")
    listing.add_argument("--supplier", metavar="SUPPLIER_ID")
    listing.add_argument(
        "--all", action="store_true", help="include expired and revoked ones (default: open only)"
    )
    listing.add_argument("--json", action="store_true", help="JSON lines, one override each")
    listing.set_defaults(func=_override_list)


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


# ------------------------------------------------------------------------ audit


def _verify(args: argparse.Namespace) -> int:
    if args.file:
        rows = _read_export(Path(args.file))
        report = verify_rows(
            rows, first_seq=rows[0].seq, first_prev_hash=rows[0].prev_hash, gaps_allowed=True
        )
        head_found = args.expect_head is None or any(
            row.entry_hash == args.expect_head for row in rows
        )
    else:
        with _open(args) as store:
            report = store.verify()
            head_found = args.expect_head is None or any(
                row.entry_hash == args.expect_head for row in store.rows()
            )
    problems = list(report.problems)
    if not head_found:
        problems.append(
            f"the head you kept ({args.expect_head}) is no longer in the chain: entries were "
            "removed or rewritten since you recorded it"
        )
    ok = report.first_break is None and not problems
    if args.json:
        data = report.model_dump(mode="json")
        data.update(ok=ok, problems=problems)
        print(json.dumps(data, indent=2))
    else:
        print(_verify_text(report, problems))
    return 0 if ok else 1


def _read_export(path: Path) -> list[Row]:
    """Every entry of a JSON-lines export, read once for both the chain and the kept head."""
    try:
        with path.open(encoding="utf-8") as lines:
            rows = list(read_jsonl(lines, source=str(path)))
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", source=str(path)) from None
    if not rows:
        raise InputError("the export holds no entries", source=str(path))
    return rows


def _verify_text(report: VerifyReport, problems: list[str]) -> str:
    lines = []
    if report.first_break is None:
        lines.append(f"chain intact: {report.entries} entries; head {report.head_hash}")
    else:
        lines.append(
            f"CHAIN BROKEN at entry {report.first_break.seq}: {report.first_break.reason} "
            f"({report.entries} entries before it are intact)"
        )
    lines.extend(f"PROBLEM: {problem}" for problem in problems)
    return "\n".join(lines)


def _export(args: argparse.Namespace) -> int:
    if args.since and args.until and args.since > args.until:
        raise UsageError("--since is after --until")
    with _open(args) as store:
        rows = store.rows(since=args.since, until=args.until, supplier_id=args.supplier)
        write = write_csv if args.format == "csv" else write_jsonl
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8", newline="") as out:
                    count = write(rows, out)
            except OSError as error:
                raise InputError(f"cannot write ({error.strerror})", source=args.output) from None
        else:
            count = write(rows, sys.stdout)
    print(f"flg: exported {count} audit entries", file=sys.stderr)
    return 0


# ------------------------------------------------------------------------ overrides


def _override_add(args: argparse.Namespace) -> int:
    try:
        request = OverrideRequest(
            po_id=args.po,
            supplier_id=args.supplier,
            codes=args.codes,
            subjects=args.subjects,
            reason=args.reason,
            created_by=args.by,
            expires_on=args.expires,
        )
    except ValidationError as error:
        where, message = first_problem(error)
        raise InputError(message, path=where or None) from None
    with _open(args, create=True) as store:
        override = store.add_override(request)
    _print_override(override, args)
    if override.requires_second_approver and not args.json:
        print(
            f"flg: {override.id} releases {', '.join(c.value for c in override.codes)} and has no "
            f"effect until a second person approves it: flg override approve {override.id} --by NAME",
            file=sys.stderr,
        )
    return 0


def _override_approve(args: argparse.Namespace) -> int:
    with _open(args) as store:
        override = store.approve_override(args.override_id, by=args.by, note=args.note)
    _print_override(override, args)
    return 0


def _override_revoke(args: argparse.Namespace) -> int:
    with _open(args) as store:
        override = store.revoke_override(args.override_id, by=args.by, reason=args.reason)
    _print_override(override, args)
    return 0


def _override_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        overrides = store.overrides(
            po_id=args.po, supplier_ids=[args.supplier] if args.supplier else []
        )
    today = utc_now().date()
    for override in overrides:
        if args.all or override.status(today) in ("active", "pending_approval"):
            _print_override(override, args, today=today)
    return 0


def _print_override(
    override: Override, args: argparse.Namespace, *, today: dt.date | None = None
) -> None:
    today = today or utc_now().date()
    if args.json:
        data = override.model_dump(mode="json")
        data["status"] = override.status(today)
        print(json.dumps(data, ensure_ascii=False))
        return
    scope = " ".join(
        part
        for part in (
            f"po={override.po_id}" if override.po_id else "",
            f"supplier={override.supplier_id}" if override.supplier_id else "",
            f"subjects={','.join(override.subjects)}" if override.subjects else "",
        )
        if part
    )
    approvers = ", ".join(override.second_approvers) or "-"
    print(
        f"{override.id}  {override.status(today):<16} {' '.join(c.value for c in override.codes)}  "
        f"{scope}  until {override.expires_on.isoformat()}  by {override.created_by}  "
        f"approved by {approvers}  reason: {override.reason}"
    )
