"""Spark screening and exposure in local mode, beside the in-process figures for the same work.

Prints suppliers per second for generated supplier masters (default up to 1,000,000) and the time of
a tier-n exposure run on a generated graph (default up to 1,000,000 companies and 3,000,000 edges),
at each size given, so the growth with input size can be read off; beside them, the in-process
Guard on a slice (``Guard.screen_suppliers``) and the plain-Python exposure (``spark.graph``) on
the same graph. A benchmark, not a test: nothing is asserted.

    python bench/spark_bench.py [--master 'local[2]'] [--suppliers 100000,1000000]
                                [--companies 100000,1000000] [--edges-per-company 3]
                                [--inprocess-slice 50000]

Needs the [spark] extra and Java 17+. Input is written to Parquet in a temporary folder first
(not timed); output is written to Parquet (timed, as a real job would).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from forced_labour_guard import Guard, Supplier
from forced_labour_guard.spark.graph import EDGE_KINDS, local_exposure

CITIES = ["Porto", "Gazipur", "Shanghai", "Suzhou", "Berlin", "Hanoi", "Izmir", "Lahore"]
REGION = ["Urumqi", "Kashgar", "Aksu", "Hotan", "Shihezi"]
LISTED = ["Hetian Haolin Hair Accessories Co. Ltd.", "Xinjiang Zhongtai Chemical Co., Ltd."]
WORDS = ["Textile", "Solar", "Cotton", "Polysilicon", "Trading", "Garment", "Yarn", "Tomato"]


def supplier(i: int, rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.01:
        return {"id": f"S{i}", "name": rng.choice(LISTED), "country": "CN"}
    city = rng.choice(REGION) if roll < 0.05 else rng.choice(CITIES)
    return {
        "id": f"S{i}",
        "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i} Co., Ltd.",
        "addresses": [{"street": f"{rng.randrange(1, 999)} Main Road", "city": city}],
    }


_ADDRESS = pa.struct([("street", pa.string()), ("city", pa.string())])
_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("country", pa.string()),
        ("addresses", pa.list_(_ADDRESS)),
    ]
)


def write_suppliers(path: Path, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = [supplier(i, rng) for i in range(count)]
    pq.write_table(pa.Table.from_pylist(rows, schema=_SCHEMA), path)
    return rows


def write_edges(
    path: Path, companies: int, per_company: int, seed: int
) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    edges = [
        (f"S{rng.randrange(companies)}", f"S{rng.randrange(companies)}", rng.choice(EDGE_KINDS))
        for _ in range(companies * per_company)
    ]
    table = pa.table(
        {
            "from_id": [e[0] for e in edges],
            "to_id": [e[1] for e in edges],
            "kind": [e[2] for e in edges],
        }
    )
    pq.write_table(table, path)
    return edges


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--suppliers", default="100000,1000000")
    parser.add_argument("--companies", default="100000,1000000")
    parser.add_argument("--edges-per-company", type=int, default=3)
    parser.add_argument("--max-depth", type=int, default=10)
    parser.add_argument("--inprocess-slice", type=int, default=50000)
    args = parser.parse_args()

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    from forced_labour_guard.spark import exposure, screen_suppliers

    spark = (
        SparkSession.builder.master(args.master)
        .appName("flg-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "8g")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    guard = Guard.default()
    work = Path(tempfile.mkdtemp(prefix="flg-spark-bench-"))
    print(f"Spark {spark.version}, master {args.master}, {os.cpu_count()} CPU(s)")
    try:
        print("\nScreening (suppliers/s; output written to Parquet)")
        for count in sizes(args.suppliers):
            source = work / f"suppliers-{count}.parquet"
            rows = write_suppliers(source, count, seed=count)
            started = time.perf_counter()
            screen_suppliers(spark.read.parquet(str(source)), guard=guard).write.parquet(
                str(work / f"decisions-{count}")
            )
            spark_s = time.perf_counter() - started
            slice_ = [Supplier.model_validate(r) for r in rows[: args.inprocess_slice]]
            started = time.perf_counter()
            for _ in guard.screen_suppliers(slice_):
                pass
            local_rate = len(slice_) / (time.perf_counter() - started)
            print(
                f"  {count:>9,} suppliers: Spark {count / spark_s:8,.0f}/s ({spark_s:7.1f} s); "
                f"in-process {local_rate:8,.0f}/s on a {len(slice_):,} slice "
                f"(~{count / local_rate:7.1f} s for all)"
            )

        print(
            f"\nExposure (max depth {args.max_depth}, {args.edges_per_company} edges per company)"
        )
        for count in sizes(args.companies):
            companies = work / f"companies-{count}.parquet"
            edges_path = work / f"edges-{count}.parquet"
            rows = write_suppliers(companies, count, seed=count + 1)
            edges = write_edges(edges_path, count, args.edges_per_company, seed=count + 2)
            started = time.perf_counter()
            result = exposure(
                spark.read.parquet(str(companies)),
                spark.read.parquet(str(edges_path)),
                max_depth=args.max_depth,
                guard=guard,
            )
            out = work / f"exposure-{count}"
            result.write.parquet(str(out))
            spark_s = time.perf_counter() - started
            reached = spark.read.parquet(str(out)).count()
            started = time.perf_counter()
            seeds = {}
            for row in rows[: args.inprocess_slice]:
                decision = guard.screen_supplier(Supplier.model_validate(row))
                codes = {f.code.value for f in decision.findings} & {"A1", "ENTITY_LIST"}
                if codes:
                    seeds[row["id"]] = sorted(codes)
            seed_rate = min(len(rows), args.inprocess_slice) / (time.perf_counter() - started)
            # The walk itself runs on the whole graph, seeded from the slice's seeds.
            started = time.perf_counter()
            local_exposure(seeds, edges, max_depth=args.max_depth)
            walk_s = time.perf_counter() - started
            print(
                f"  {count:>9,} companies, {len(edges):>10,} edges: Spark {spark_s:7.1f} s, "
                f"{reached:,} companies reached; in-process: seeds ~{count / seed_rate:7.1f} s "
                f"(at {seed_rate:,.0f}/s), walk {walk_s:6.1f} s"
            )
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
