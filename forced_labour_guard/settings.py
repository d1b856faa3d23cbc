"""Every environment variable forced_labour_guard reads: its name, its default and why, in one place.

The README's table of environment variables lists the same (a test keeps the two in step). Values
are read when they are used, not when this module is imported, so a process that sets a variable
before it builds a Guard (or a test that sets one) gets what it set. Nothing else in the package
reads ``os.environ``; command-line options, where there are any, win over these.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from forced_labour_guard.errors import UsageError


@dataclass(frozen=True)
class Variable:
    """One environment variable, with its default and what it is for."""

    name: str
    default: str
    """As a reader would write it in the README's table; empty when unset means "none"."""
    help: str

    def get(self) -> str | None:
        """The value, or None when it is unset or blank."""
        value = os.environ.get(self.name, "").strip()
        return value or None


STORE = Variable(
    "FLG_STORE",
    "",
    "The audit store (a SQLite file) the flg screening, audit, override and instructions "
    "commands use when --store is not given. Unset: screening records nothing.",
)
LISTS = Variable(
    "FLG_LISTS",
    "",
    "Extra watchlist files to screen against (CSV, JSON, FtM JSON lines, saved DHS page), "
    "separated by the path separator (':' on Linux and macOS, ';' on Windows), on top of --list.",
)
LISTS_DIR = Variable(
    "FLG_LISTS_DIR",
    "$XDG_CACHE_HOME/forced_labour_guard/lists",
    "Where 'flg lists update' stores refreshed lists and where screening looks for them "
    "(--lists-dir wins).",
)
XDG_CACHE_HOME = Variable(
    "XDG_CACHE_HOME",
    "~/.cache",
    "The user's cache folder (XDG Base Directory); only used to find the default lists folder.",
)
SMTP_PASSWORD = Variable(
    "FLG_SMTP_PASSWORD",
    "",
    "The SMTP password for 'flg instructions' with --smtp-user; never taken from the command "
    "line. --smtp-password-env names another variable to read instead.",
)
LIST_CHECK_SECONDS = Variable(
    "FLG_LIST_CHECK_SECONDS",
    "",
    "For long-running processes (a server): check the stored lists for a new version at most "
    "this often, in seconds, and switch to it between decisions. Unset: off (the flg commands "
    "run too briefly to need it).",
)

SERVICE_TOKEN_FILE = Variable(
    "FLG_SERVICE_TOKEN_FILE",
    "",
    "flg serve: a file of SHA-256 hashes of the accepted bearer tokens, one a line "
    "(--token-file wins).",
)
SERVICE_TOKEN_HASHES = Variable(
    "FLG_SERVICE_TOKEN_HASHES",
    "",
    "flg serve: more accepted token hashes, separated by commas or spaces, on top of the file "
    "(several at once is how tokens are rotated).",
)
SERVICE_CONFIG = Variable(
    "FLG_SERVICE_CONFIG",
    "",
    "Set by flg serve for the worker processes it starts (its settings as JSON); not for users.",
)
PROMETHEUS_MULTIPROC_DIR = Variable(
    "PROMETHEUS_MULTIPROC_DIR",
    "",
    "Set by flg serve with --workers above 1, so /metrics adds up every worker's values "
    "(prometheus_client reads it too).",
)
ODOO_URL = Variable(
    "ODOO_URL",
    "",
    "The Odoo server 'flg odoo' talks to, e.g. https://erp.example.com (--url wins).",
)
ODOO_DB = Variable("ODOO_DB", "", "The Odoo database 'flg odoo' screens (--db wins).")
ODOO_API_KEY = Variable(
    "ODOO_API_KEY",
    "",
    "The Odoo API key 'flg odoo' uses; never taken from the command line, never logged.",
)
ODOO_LOGIN = Variable(
    "ODOO_LOGIN", "", "The Odoo user's login, needed only for JSON-RPC (--login wins)."
)
ODOO_PROTOCOL = Variable(
    "ODOO_PROTOCOL",
    "auto",
    "json2 (Odoo 19+), jsonrpc (Odoo 16-18) or auto, chosen from /json/version (--protocol wins).",
)

VARIABLES: tuple[Variable, ...] = (
    STORE,
    LISTS,
    LISTS_DIR,
    XDG_CACHE_HOME,
    SMTP_PASSWORD,
    LIST_CHECK_SECONDS,
    SERVICE_TOKEN_FILE,
    SERVICE_TOKEN_HASHES,
    SERVICE_CONFIG,
    PROMETHEUS_MULTIPROC_DIR,
    ODOO_URL,
    ODOO_DB,
    ODOO_API_KEY,
    ODOO_LOGIN,
    ODOO_PROTOCOL,
)


def store_location() -> str | None:
    """$FLG_STORE, if set."""
    return STORE.get()


def extra_list_paths() -> list[str]:
    """The files named in $FLG_LISTS, in order."""
    return [path for path in (LISTS.get() or "").split(os.pathsep) if path.strip()]


def lists_dir() -> Path:
    """$FLG_LISTS_DIR, else $XDG_CACHE_HOME/forced_labour_guard/lists (~/.cache/...)."""
    configured = LISTS_DIR.get()
    if configured:
        return Path(configured)
    cache = XDG_CACHE_HOME.get()
    return (Path(cache) if cache else Path.home() / ".cache") / "forced_labour_guard" / "lists"


def secret(name: str = SMTP_PASSWORD.name) -> str | None:
    """The value of the variable ``name`` holds a secret in (by default $FLG_SMTP_PASSWORD);
    unlike the others an empty value is kept, since a password may be blank."""
    return os.environ.get(name)


def list_check_seconds() -> float | None:
    """$FLG_LIST_CHECK_SECONDS as seconds, None when unset; anything but a positive number is a
    usage error naming the variable, so a typo cannot silently turn the checks off."""
    text = LIST_CHECK_SECONDS.get()
    if text is None:
        return None
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (seconds > 0 and math.isfinite(seconds)):
        raise UsageError(
            f"${LIST_CHECK_SECONDS.name} must be a number of seconds above 0, not {text!r}"
        )
    return seconds


def hand_to_workers(variable: Variable, value: str) -> None:
    """Set ``variable`` for the processes this one starts from now on: ``flg serve`` passes its
    settings to uvicorn's workers this way (the one place the package writes the environment)."""
    os.environ[variable.name] = value
