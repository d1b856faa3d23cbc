"""The ``flg`` command. Each group of subcommands lives in its own module with a ``register`` function.

Exit status: 0 whatever the decision, unless ``--fail-on`` is met (1); 2 for bad input or usage, with
one message naming the field path. No traceback ever reaches the user; an unexpected error is reported
as an internal error with exit status 2, and no decision is printed for it, so nothing reads "allow".
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from forced_labour_guard.errors import FlgError

# Modules under forced_labour_guard.cli; each exposes register(subparsers) -> None and gives every
# subcommand a handler via set_defaults(func=handler), handler(args) -> int.
COMMAND_MODULES: tuple[str, ...] = ("screening", "audit", "instructions", "lists", "store")

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and exits 2 on bad usage; keep that, but with our prefix."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="flg",
        description="Screen purchase orders and suppliers for links to forced labour in the "
        "Uyghur Region, following the Call to Action (paragraphs A, B, C).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"forced_labour_guard.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except FlgError as error:
        print(f"flg: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("flg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # the last line of defence: never a traceback, never "allow"
        print(
            f"flg: internal error ({type(error).__name__}: {error}); nothing was decided. "
            "Please report this with the input that caused it.",
            file=sys.stderr,
        )
        return EXIT_USAGE
