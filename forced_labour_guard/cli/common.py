"""Options shared by the screening commands, and building a Guard from them.

Other command modules extend the Guard's configuration here (extra watchlists, a store), so every
screening command gets the same options and the same fail-closed behaviour.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass, field
from pathlib import Path

from forced_labour_guard.cli.audit import add_store_option, store_location, with_store
from forced_labour_guard.denied_entry import load_denied_entry
from forced_labour_guard.guard import B4StatusProvider, Guard
from forced_labour_guard.instructions.pending import queue_b4_for
from forced_labour_guard.instructions.provider import provider_for_store
from forced_labour_guard.lists.setup import LISTS_ENV, StoredLists
from forced_labour_guard.lists.status import DEFAULT_MAX_AGE_DAYS
from forced_labour_guard.model import Action
from forced_labour_guard.policy import Policy, load_policy
from forced_labour_guard.store.audited import AuditedGuard


def add_guard_options(parser: argparse.ArgumentParser) -> None:
    """The options of a screening command: output (--json, --fail-on) and the Guard's setup."""
    parser.add_argument("--json", action="store_true", help="print the Decision as JSON on stdout")
    parser.add_argument(
        "--fail-on",
        choices=[Action.WARN.value, Action.BLOCK.value],
        help="exit 1 when the decision is at least this severe (for CI and ERP hooks)",
    )
    add_guard_setup_options(parser)


def add_guard_setup_options(parser: argparse.ArgumentParser) -> None:
    """What :func:`build_guard` reads: --policy, --denied-entry, --store and the list options
    (``flg serve`` takes these too, so the service screens exactly as the commands do)."""
    parser.add_argument("--policy", metavar="FILE", help="policy file (.toml or .json)")
    parser.add_argument(
        "--denied-entry",
        metavar="FILE",
        help="register of goods denied US entry (CSV or JSON) for the C2 check",
    )
    add_store_option(parser)
    add_list_options(parser)


def add_list_options(parser: argparse.ArgumentParser) -> None:
    """--list FILE (repeatable), --lists-dir DIR, --max-list-age DAYS for the screening commands."""
    parser.add_argument(
        "--list",
        dest="lists",
        action="append",
        default=[],
        metavar="FILE",
        help=f"an extra watchlist (.csv, .json, FtM .jsonl, .html); repeatable; also ${LISTS_ENV}",
    )
    parser.add_argument(
        "--lists-dir",
        metavar="DIR",
        help="where 'flg lists update' keeps refreshed lists (default $FLG_LISTS_DIR or "
        "~/.cache/forced_labour_guard/lists)",
    )
    parser.add_argument(
        "--max-list-age",
        type=int,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help=f"a list older than this warns on every decision (default {DEFAULT_MAX_AGE_DAYS})",
    )


def stored_lists_from_args(args: argparse.Namespace) -> StoredLists:
    """The lists the options of :func:`add_list_options` name."""
    lists_dir = getattr(args, "lists_dir", None)
    return StoredLists(
        lists_dir=Path(lists_dir) if lists_dir else None,
        extra=tuple(getattr(args, "lists", None) or ()),
    )


@dataclass(frozen=True)
class GuardOptions:
    """The options :func:`add_guard_setup_options` adds, as plain data: how ``flg serve`` hands
    them to its worker processes, each of which builds its Guard with :func:`build_guard`."""

    store: str | None = None
    policy: str | None = None
    denied_entry: str | None = None
    lists: list[str] = field(default_factory=list)
    lists_dir: str | None = None
    max_list_age: int = DEFAULT_MAX_AGE_DAYS

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> GuardOptions:
        return cls(
            store=getattr(args, "store", None),
            policy=getattr(args, "policy", None),
            denied_entry=getattr(args, "denied_entry", None),
            lists=list(getattr(args, "lists", None) or []),
            lists_dir=getattr(args, "lists_dir", None),
            max_list_age=getattr(args, "max_list_age", DEFAULT_MAX_AGE_DAYS),
        )

    def build(self, *, list_check_seconds: float | None = None) -> Guard | AuditedGuard:
        """:func:`build_guard`, as if these options had come from the command line."""
        return build_guard(
            argparse.Namespace(**asdict(self)), list_check_seconds=list_check_seconds
        )


def build_guard(
    args: argparse.Namespace, *, list_check_seconds: float | None = None
) -> Guard | AuditedGuard:
    """The Guard the options describe; unreadable files raise InputError/PolicyError (exit 2).
    With a store (--store or FLG_STORE) it records every decision and applies overrides, and
    suppliers overdue on a B4 instruction campaign kept in the same file get NO_B4_ACK (B5), and
    suppliers a recorded decision asks a B4 instruction for are queued in that file's campaign
    tables (``flg instructions pending``). A long-running caller (``flg serve``) passes
    ``list_check_seconds`` so the stored lists are checked for a new version that often."""
    b4_status = provider_for_store(store_location(args))
    guard = build_plain_guard(args, b4_status=b4_status, list_check_seconds=list_check_seconds)
    after = [queue_b4_for(b4_status.store)] if b4_status is not None else []
    return with_store(guard, args, on_decision=after)


def build_plain_guard(
    args: argparse.Namespace,
    *,
    b4_status: B4StatusProvider | None = None,
    list_check_seconds: float | None = None,
) -> Guard:
    """The Guard of the policy, denied-entry and list options alone, with no store (what Spark
    executors run, and what :func:`build_guard` wraps)."""
    policy = load_policy(args.policy) if getattr(args, "policy", None) else Policy()
    denied = load_denied_entry(args.denied_entry) if getattr(args, "denied_entry", None) else None
    return Guard.default(
        policy=policy,
        denied_entry=denied,
        b4_status=b4_status,
        list_loader=stored_lists_from_args(args),
        max_list_age_days=getattr(args, "max_list_age", DEFAULT_MAX_AGE_DAYS),
        list_check_seconds=list_check_seconds,
    )


def fails(action: Action, fail_on: str | None) -> bool:
    return fail_on is not None and action.severity >= Action(fail_on).severity
