"""``flg lists status`` and ``flg lists update``: what lists screening uses, and refreshing them.

``status`` prints each list's source, as_of date, entry count, age and whether it is stale or
partial. ``update`` downloads a list (by default the DHS UFLPA Entity List page), refuses a download
that does not parse, is empty or shrinks too much (say why, exit 2), stores it atomically, and with
``--rescreen suppliers.jsonl`` reports the suppliers that hit entries new in this version.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from forced_labour_guard.clock import utc_now
from forced_labour_guard.errors import InputError, UsageError
from forced_labour_guard.lists.delta import DeltaGap, rescreen
from forced_labour_guard.lists.loaders import FORMATS, ListFormat, load_list_file
from forced_labour_guard.lists.refresh import (
    DEFAULT_MAX_SHRINK,
    UFLPA_SOURCE,
    ListSource,
    default_lists_dir,
    snapshot_path,
    update_list,
)
from forced_labour_guard.lists.setup import (
    UFLPA_SNAPSHOT_NAME,
    configured_list_paths,
    uflpa_watchlist,
)
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS, ListStatus, status_of
from forced_labour_guard.lists.uflpa import load_bundled_uflpa
from forced_labour_guard.model import Supplier
from forced_labour_guard.policy import Policy, load_policy
from forced_labour_guard.records import iter_records


def register(subparsers: Any) -> None:
    lists = subparsers.add_parser("lists", help="watchlists: status and refresh")
    commands = lists.add_subparsers(dest="lists_command", metavar="COMMAND")
    commands.required = True

    status = commands.add_parser("status", help="source, as_of, entries, age and staleness")
    status.add_argument("--lists-dir", metavar="DIR", help="folder of refreshed lists")
    status.add_argument("--list", dest="lists", action="append", default=[], metavar="FILE")
    status.add_argument("--max-age", type=int, default=DEFAULT_MAX_AGE_DAYS, metavar="DAYS")
    status.add_argument("--json", action="store_true", help="JSON lines on stdout")
    status.set_defaults(func=_status)

    update = commands.add_parser("update", help="download a list and store it safely")
    update.add_argument("--name", default=UFLPA_SOURCE.name, help="list name (default uflpa)")
    update.add_argument("--url", default=UFLPA_SOURCE.url, help="where to download it from")
    update.add_argument("--format", choices=FORMATS, default=UFLPA_SOURCE.format)
    update.add_argument("--lists-dir", metavar="DIR", help="folder of refreshed lists")
    update.add_argument(
        "--max-shrink",
        type=float,
        default=DEFAULT_MAX_SHRINK,
        help="refuse an update that loses more than this share of listings (default 0.2)",
    )
    update.add_argument("--force", action="store_true", help="accept a list that shrank")
    update.add_argument(
        "--rescreen", metavar="SUPPLIERS", help="JSON lines or CSV of suppliers to delta-screen"
    )
    update.add_argument(
        "--policy",
        metavar="FILE",
        help="take the review and block thresholds for --rescreen from this policy file",
    )
    update.set_defaults(func=_update)


def _lists_dir(args: argparse.Namespace) -> Path:
    return Path(args.lists_dir) if args.lists_dir else default_lists_dir()


def _status_line(status: ListStatus) -> str:
    age = f"{status.age_days} days" if status.age_days is not None else "unknown age"
    flags = []
    if status.stale:
        flags.append("STALE")
    if not status.complete:
        flags.append("PARTIAL")
    head = f"{status.name}: {status.entries} listings, as of {status.as_of or 'unknown'}, {age}"
    lines = [head + (f" [{', '.join(flags)}]" if flags else "")]
    lines.append(f"  source: {status.source or 'unknown'}")
    lines.append(f"  file: {status.location}")
    if status.note:
        lines.append(f"  note: {status.note}")
    return "\n".join(lines)


def _status(args: argparse.Namespace) -> int:
    today = utc_now().date()
    directory = _lists_dir(args)
    rows = []
    uflpa = uflpa_watchlist(directory)
    bundled = uflpa is load_bundled_uflpa()
    location = (
        "bundled with the package (forced_labour_guard/data/uflpa_entity_list.json)"
        if bundled
        else str(snapshot_path(directory, UFLPA_SNAPSHOT_NAME))
    )
    rows.append(status_of(uflpa, location=location, max_age_days=args.max_age, today=today))
    for path in configured_list_paths(directory, args.lists):
        watchlist = load_list_file(path)
        rows.append(status_of(watchlist, location=path, max_age_days=args.max_age, today=today))
    for row in rows:
        if args.json:
            record = {
                k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in vars(row).items()
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(_status_line(row))
    if bundled and not args.json:
        print(
            "The bundled UFLPA snapshot is partial and compiled from secondary sources; run "
            "'flg lists update' to fetch the official list before relying on it."
        )
    return 0


def _update(args: argparse.Namespace) -> int:
    if not 0 <= args.max_shrink < 1:
        raise UsageError("--max-shrink must be at least 0 and below 1")
    fmt: ListFormat = args.format
    source = ListSource(name=args.name, url=args.url, format=fmt, max_shrink=args.max_shrink)
    # Read what --rescreen needs before the list is stored: once stored, the entries of this
    # version are no longer new, and a typo in a file name would lose their delta screening.
    suppliers: list[tuple[str, Supplier]] = []
    if args.rescreen:
        for where, record in iter_records(Supplier, args.rescreen):
            if isinstance(record, InputError):
                raise record
            suppliers.append((where, record))
    policy = load_policy(args.policy) if args.policy and args.rescreen else Policy()
    thresholds = policy.matching
    result = update_list(source, _lists_dir(args), force=args.force)
    version = result.snapshot.version
    if result.status == "not_modified":
        print(
            f"{version.name}: not modified since the stored copy ({version.entries} listings, "
            f"as of {version.as_of}); confirmed today.",
            file=sys.stderr,
        )
    else:
        before = f"{result.previous_count}" if result.previous_count is not None else "none"
        print(
            f"{version.name}: stored {version.entries} listings as of {version.as_of} "
            f"(before: {before}); {len(result.added)} new, {len(result.removed)} gone.",
            file=sys.stderr,
        )
        for problem in result.problems:
            print(f"  not fully read: {problem}", file=sys.stderr)
        if not version.complete:
            print(
                f"flg: the stored {version.name} is marked incomplete ({version.note}); every "
                "decision made with it carries a warning until a refresh reads it in full",
                file=sys.stderr,
            )
    if args.rescreen:
        review, block = thresholds.review_threshold, thresholds.block_threshold
        found = rescreen(
            suppliers,
            result.added,
            version,
            min_score=review,
            max_depth=policy.max_relationship_depth,
        )
        count = gaps = 0
        for hit in found:
            if isinstance(hit, DeltaGap):
                gaps += 1
                print(
                    f"flg: {hit.where} ({hit.supplier}): {hit.subject} is deeper than "
                    f"{policy.max_relationship_depth} tiers and was not delta-screened",
                    file=sys.stderr,
                )
                continue
            count += 1
            finding = "ENTITY_LIST" if hit.match.score >= block else "POSSIBLE_MATCH"
            print(
                json.dumps(
                    {
                        "where": hit.where,
                        "supplier": hit.supplier,
                        "subject": hit.subject,
                        "finding": finding,
                        **hit.match.model_dump(mode="json"),
                    },
                    ensure_ascii=False,
                )
            )
        print(f"delta screening: {count} hit(s) on entries new in this version", file=sys.stderr)
        if gaps:
            print(
                f"flg: error: {gaps} related company record(s) lie beyond the depth limit, not "
                "delta-screened; screen those suppliers with the Guard",
                file=sys.stderr,
            )
            return 2
    return 0
