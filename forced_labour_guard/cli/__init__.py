"""The ``flg`` command. Each group of subcommands lives in its own module with a ``register`` function.

Exit status: 0 whatever the decision, unless ``--fail-on`` is met (1); 2 for bad input or usage, with
one message naming the field path. No traceback ever reaches the user; an unexpected error is reported
as an internal error with exit status 2, and no decision is printed for it, so nothing reads "allow".
An answer that cannot be delivered (standard output closed by its reader, a full disk) also exits 2:
an ERP hook that reads only the exit status must never take an undelivered answer for a pass.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from forced_labour_guard.errors import FlgError

# Modules under forced_labour_guard.cli; each exposes register(subparsers) -> None and gives every
# subcommand a handler via set_defaults(func=handler), handler(args) -> int.
COMMAND_MODULES: tuple[str, ...] = (
    "screening",
    "audit",
    "instructions",
    "lists",
    "odoo",
    "spark",
    "serve",
)

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
        sys.stdout.flush()  # the answer is delivered only once it has left our buffer
        return code
    except BrokenPipeError as error:
        return _undelivered(error)
    except OSError as error:
        if _stdout_failed():
            return _undelivered(error)
        return _internal_error(error)
    except FlgError as error:
        print(f"flg: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("flg: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the last line of defence: never a traceback, never "allow"
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    print(
        f"flg: internal error ({type(error).__name__}: {error}); nothing was decided. "
        "Please report this with the input that caused it.",
        file=sys.stderr,
    )
    return EXIT_USAGE


def _stdout_failed() -> bool:
    """Whether standard output can no longer take what was written to it."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _undelivered(error: OSError) -> int:
    """The answer did not reach its reader: say so on stderr and exit non-zero, whatever it was."""
    _discard_stdout()
    with contextlib.suppress(OSError):
        print(
            f"flg: error: the answer could not be written to standard output ({error}); "
            "it was not delivered, so nothing may be taken as cleared",
            file=sys.stderr,
        )
    return EXIT_USAGE


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush of what is
    still buffered does not fail again at exit with a traceback-like message."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
