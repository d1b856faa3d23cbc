"""Options shared by the screening commands, and building a Guard from them.

Other command modules extend the Guard's configuration here (extra watchlists, a store), so every
screening command gets the same options and the same fail-closed behaviour.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from forced_labour_guard.cli.audit import add_store_option, store_location
from forced_labour_guard.denied_entry import load_denied_entry
from forced_labour_guard.guard import Guard
from forced_labour_guard.instructions.provider import B4StatusProvider
from forced_labour_guard.lists.setup import add_list_options, list_setup_from_args
from forced_labour_guard.model import Action
from forced_labour_guard.policy import Policy, load_policy
from forced_labour_guard.recording import recording_guard
from forced_labour_guard.store.audited import AuditedGuard


def add_guard_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the Decision as JSON on stdout")
    parser.add_argument(
        "--fail-on",
        choices=[Action.WARN.value, Action.BLOCK.value],
        help="exit 1 when the decision is at least this severe (for CI and ERP hooks)",
    )
    parser.add_argument("--policy", metavar="FILE", help="policy file (.toml or .json)")
    parser.add_argument(
        "--denied-entry",
        metavar="FILE",
        help="register of goods denied US entry (CSV or JSON) for the C2 check",
    )
    add_store_option(parser)
    add_list_options(parser)


@contextmanager
def guard_from_args(args: argparse.Namespace) -> Iterator[Guard | AuditedGuard]:
    """The Guard the options describe, for a ``with`` block that closes its store at the end.
    Unreadable files raise InputError/PolicyError (exit 2). With a store (--store or FLG_STORE) it
    records every decision and applies overrides; suppliers overdue on a B4 instruction campaign
    kept in the same store get NO_B4_ACK (B5), and suppliers a recorded decision asks a B4
    instruction for are queued (``flg instructions pending``). A store that cannot be opened
    makes every decision fail closed (``recording.recording_guard``)."""
    policy = load_policy(args.policy) if getattr(args, "policy", None) else Policy()
    denied = load_denied_entry(args.denied_entry) if getattr(args, "denied_entry", None) else None
    lists = list_setup_from_args(args, today=dt.date.today())

    def make_guard(b4_status: B4StatusProvider | None) -> Guard:
        return Guard.default(
            policy=policy,
            denied_entry=denied,
            b4_status=b4_status,
            watchlists=lists.watchlists,
            problems=lists.problems,
            warnings=lists.warnings,
        )

    with recording_guard(store_location(args), make_guard) as guard:
        yield guard


def fails(action: Action, fail_on: str | None) -> bool:
    return fail_on is not None and action.severity >= Action(fail_on).severity
