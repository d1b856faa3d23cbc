"""``flg spark screen`` and ``flg spark exposure``: the Spark entry points as commands.

They run with a local master on a laptop (``--master 'local[*]'``, the default when Spark is not
configured otherwise) and under ``spark-submit`` on a cluster (see docs/spark.md). Input is Parquet
or JSON lines, chosen by the file's suffix; output is a Spark output folder in the same formats.
JSON lines are read as text and parsed like ``flg screen-suppliers`` parses them, so a bad line is
answered on its own row with the same message. PySpark is imported only when a command runs: the
rest of ``flg`` works without the ``[spark]`` extra.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from forced_labour_guard.cli.common import add_list_options, build_plain_guard
from forced_labour_guard.errors import UsageError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def register(subparsers: Any) -> None:
    spark = subparsers.add_parser(
        "spark", help="screen supplier masters and supply-chain graphs on Apache Spark"
    )
    commands = spark.add_subparsers(dest="spark_command", metavar="COMMAND")
    commands.required = True

    screen = commands.add_parser(
        "screen", help="screen every supplier record of IN, one decision row each, into OUT"
    )
    screen.add_argument("input", metavar="IN", help="suppliers: .parquet or JSON lines")
    screen.add_argument("output", metavar="OUT", help="output folder (.parquet or JSON lines)")
    _add_common(screen)
    screen.set_defaults(func=_screen)

    graph = commands.add_parser(
        "exposure", help="which companies reach the Uyghur Region or a listed entity, and how"
    )
    graph.add_argument("companies", metavar="COMPANIES", help="company records (.parquet/.jsonl)")
    graph.add_argument("edges", metavar="EDGES", help="from_id, to_id, kind (.parquet/.jsonl)")
    graph.add_argument("output", metavar="OUT", help="output folder (.parquet or JSON lines)")
    graph.add_argument(
        "--max-depth", type=int, default=10, metavar="N", help="tiers to follow (default 10)"
    )
    _add_common(graph)
    graph.set_defaults(func=_exposure)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--master", help="Spark master URL, e.g. 'local[2]' (default: Spark's)")
    parser.add_argument(
        "--overwrite", action="store_true", help="replace OUT if it exists (default: refuse)"
    )
    parser.add_argument("--policy", metavar="FILE", help="policy file (.toml or .json)")
    parser.add_argument(
        "--denied-entry", metavar="FILE", help="register of goods denied US entry (CSV or JSON)"
    )
    add_list_options(parser)


def _session(args: argparse.Namespace) -> SparkSession:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(
            "flg spark needs PySpark: pip install 'forced_labour_guard[spark]'"
        ) from None
    builder = SparkSession.builder.appName("forced_labour_guard").config(
        "spark.ui.showConsoleProgress",
        "false",  # progress bars would garble the summary lines
    )
    if args.master:
        builder = builder.master(args.master)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _format(path: str) -> str:
    return "parquet" if path.rstrip("/").endswith(".parquet") else "json"


def _read(session: SparkSession, path: str, *, as_records: bool) -> DataFrame:
    """Parquet as it is; JSON lines as one ``record`` text column when ``as_records``."""
    if _format(path) == "parquet":
        return session.read.parquet(path)
    if as_records:
        text = session.read.text(path).withColumnRenamed("value", "record")
        return text.filter(text.record.rlike(r"\S"))  # blank lines are not records
    return session.read.json(path, mode="FAILFAST")


def _write(frame: DataFrame, path: str, overwrite: bool) -> None:
    writer = frame.write.mode("overwrite" if overwrite else "errorifexists")
    if _format(path) == "parquet":
        writer.parquet(path)
    else:
        writer.json(path)


def _screen(args: argparse.Namespace) -> int:
    guard = build_plain_guard(args)
    session = _session(args)
    from forced_labour_guard.spark import screen_suppliers

    result = screen_suppliers(_read(session, args.input, as_records=True), guard=guard).cache()
    _write(result, args.output, args.overwrite)
    counts = {row["action"]: row["count"] for row in result.groupBy("action").count().collect()}
    unreadable = result.filter(result.error.isNotNull()).count()
    summary = ", ".join(f"{counts.get(a, 0)} {a}" for a in ("block", "warn", "allow"))
    print(f"flg: screened {sum(counts.values())} record(s): {summary}", file=sys.stderr)
    if unreadable:
        print(
            f"flg: error: {unreadable} record(s) could not be read; they are blocked with "
            'SCREENING_UNAVAILABLE and an "error" in OUT, and must not be treated as cleared.',
            file=sys.stderr,
        )
        return 2
    return 0


def _exposure(args: argparse.Namespace) -> int:
    if args.max_depth < 0:
        raise UsageError("--max-depth must be 0 or more")
    guard = build_plain_guard(args)
    session = _session(args)
    from forced_labour_guard.spark import exposure

    companies = _read(session, args.companies, as_records=False)
    edges = _read(session, args.edges, as_records=False)
    result = exposure(companies, edges, max_depth=args.max_depth, guard=guard).cache()
    _write(result, args.output, args.overwrite)
    reached = result.count()
    errors = result.filter(result.error.isNotNull()).count()
    seeds = result.filter(result.tier == 0).count()
    print(
        f"flg: {seeds} seed(s) (in the region, listed or unreadable); {reached - seeds} other "
        f"compan(ies) reach one within {args.max_depth} tier(s)",
        file=sys.stderr,
    )
    if errors:
        print(
            f"flg: error: {errors} company record(s) could not be read; they are treated as "
            'seeds (SCREENING_UNAVAILABLE), see the rows with an "error" in OUT.',
            file=sys.stderr,
        )
        return 2
    return 0
