"""``flg store init URL`` and ``flg store migrate --from URL --to URL``: set up a store database, or
move a store (e.g. from the embedded SQLite file to PostgreSQL) and prove the copy by its chain."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from forced_labour_guard.errors import UsageError
from forced_labour_guard.store import migrations, open_database
from forced_labour_guard.store.base import StoreError
from forced_labour_guard.store.copying import clear, copy_store, now, refuse_if_not_empty
from forced_labour_guard.store.sql_store import SqlStore


def register(subparsers: Any) -> None:
    store = subparsers.add_parser(
        "store", help="prepare a store database, or copy a store to another"
    )
    commands = store.add_subparsers(dest="store_command", metavar="ACTION")
    commands.required = True

    init = commands.add_parser("init", help="create the store's tables in an empty database")
    init.add_argument("location", metavar="PATH|URL", help="a SQLite file or postgresql://...")
    init.add_argument(
        "--existing-ok",
        action="store_true",
        help="a store already there is fine: only bring its schema up to date",
    )
    init.set_defaults(func=_init)

    migrate = commands.add_parser(
        "migrate", help="copy a whole store to another database and verify the chain there"
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="PATH|URL")
    migrate.add_argument("--to", dest="target", required=True, metavar="PATH|URL")
    migrate.add_argument(
        "--replace",
        action="store_true",
        help="the target's own store (its chain included) is dropped first; without it a "
        "target that holds anything is refused",
    )
    migrate.set_defaults(func=_migrate)


def _init(args: argparse.Namespace) -> int:
    db = open_database(args.location)
    try:
        if not args.existing_ok:
            refuse_if_not_empty(db, "pass --existing-ok to only bring its schema up to date")
        old = migrations.migrate(db, at=now())
    finally:
        db.close()
    state = "created" if old == 0 else f"schema {old} -> {migrations.LATEST}"
    print(f"flg: store ready at {db.display} ({state}, schema version {migrations.LATEST})")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    if args.source.strip() == args.target.strip():
        raise UsageError("--from and --to name the same store")
    source_db = open_database(args.source, create=False)
    try:
        target_db = open_database(args.target)
    except StoreError:
        source_db.close()
        raise
    try:
        if args.replace:
            clear(target_db)
        elif migrations.version(target_db) > 0:
            refuse_if_not_empty(target_db, "pass --replace to drop it and copy over it")
        with SqlStore(source_db) as source, SqlStore(target_db) as target:
            report = copy_store(source, target)
    finally:
        source_db.close()
        target_db.close()
    verified = report.target
    print(
        f"flg: copied {verified.entries} audit entries and the campaign tables from "
        f"{source_db.display} to {target_db.display}",
        file=sys.stderr,
    )
    if not verified.ok:
        where = (
            verified.first_break.reason if verified.first_break else "; ".join(verified.problems)
        )
        print(f"flg: the copy does NOT verify on the target: {where}", file=sys.stderr)
        return 1
    print(f"chain intact on the target: {verified.entries} entries; head {verified.head_hash}")
    return 0
