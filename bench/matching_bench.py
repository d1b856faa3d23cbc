"""Matching benchmark: speed on the bundled list and on a generated 100,000-entry list, and
precision/recall on the labelled pairs (with nomenklatura's matcher beside ours when installed).

Run from the repository root:  python bench/matching_bench.py [--entries 100000] [--queries 2000]

Targets (issue): p99 under 1 ms per supplier on the bundled list, under 5 ms on 100,000 entries,
at least 2,000 suppliers per second in batch on one core, index build under 10 s for 100,000.
Figures are printed, never asserted: tests do not time anything.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forced_labour_guard.lists import ListEntry, load_bundled_uflpa  # noqa: E402
from forced_labour_guard.lists.watchlist import EntityWatchlist  # noqa: E402
from forced_labour_guard.matching import compare, normalize_name  # noqa: E402
from forced_labour_guard.model import ListVersion, Supplier  # noqa: E402

LABELLED = ROOT / "tests" / "matching" / "data" / "labelled_pairs.csv"
BLOCK, REVIEW = 0.90, 0.70

SYLLABLES = [
    "an",
    "ba",
    "bai",
    "bao",
    "bei",
    "ben",
    "bin",
    "bo",
    "cai",
    "can",
    "cang",
    "cao",
    "chang",
    "chao",
    "chen",
    "cheng",
    "chi",
    "chong",
    "chu",
    "chuan",
    "chun",
    "da",
    "dai",
    "dan",
    "dang",
    "de",
    "deng",
    "di",
    "dian",
    "ding",
    "dong",
    "du",
    "duan",
    "fa",
    "fan",
    "fang",
    "fei",
    "fen",
    "feng",
    "fu",
    "gang",
    "gao",
    "ge",
    "geng",
    "gong",
    "gu",
    "guan",
    "guang",
    "gui",
    "guo",
    "hai",
    "han",
    "hang",
    "hao",
    "he",
    "hei",
    "heng",
    "hong",
    "hou",
    "hu",
    "hua",
    "huai",
    "huan",
    "huang",
    "hui",
    "huo",
    "ji",
    "jia",
    "jian",
    "jiang",
    "jiao",
    "jie",
    "jin",
    "jing",
    "jiu",
    "ju",
    "jun",
    "kai",
    "kang",
    "ke",
    "kun",
    "lan",
    "lang",
    "le",
    "lei",
    "li",
    "lian",
    "liang",
    "lin",
    "ling",
    "liu",
    "long",
    "lu",
    "lun",
    "luo",
    "ma",
    "mai",
    "man",
    "mao",
    "mei",
    "meng",
    "mi",
    "miao",
    "min",
    "ming",
    "mu",
    "na",
    "nan",
    "neng",
    "ning",
    "nuo",
    "ou",
    "pan",
    "pei",
    "peng",
    "ping",
    "pu",
    "qi",
    "qian",
    "qiang",
    "qiao",
    "qin",
    "qing",
    "qiu",
    "quan",
    "rong",
    "rui",
    "run",
    "sen",
    "shan",
    "shang",
    "shao",
    "shen",
    "sheng",
    "shi",
    "shou",
    "shu",
    "shun",
    "si",
    "song",
    "su",
    "sui",
    "sun",
    "tai",
    "tan",
    "tang",
    "tao",
    "teng",
    "tian",
    "tong",
    "tu",
    "wan",
    "wang",
    "wei",
    "wen",
    "wu",
    "xi",
    "xia",
    "xian",
    "xiang",
    "xiao",
    "xin",
    "xing",
    "xiong",
    "xu",
    "xuan",
    "xue",
    "ya",
    "yan",
    "yang",
    "yao",
    "ye",
    "yi",
    "yin",
    "ying",
    "yong",
    "you",
    "yu",
    "yuan",
    "yue",
    "yun",
    "zhan",
    "zhang",
    "zhao",
    "zhe",
    "zhen",
    "zheng",
    "zhi",
    "zhong",
    "zhou",
    "zhu",
    "zhuang",
    "zi",
    "zong",
    "zun",
]
PLACES = [
    "Xinjiang",
    "Shanghai",
    "Beijing",
    "Jiangsu",
    "Zhejiang",
    "Guangdong",
    "Shandong",
    "Henan",
    "Hebei",
    "Hunan",
    "Hubei",
    "Anhui",
    "Fujian",
    "Sichuan",
    "Shaanxi",
    "Gansu",
    "Ningxia",
    "Qinghai",
    "Yunnan",
    "Guizhou",
    "Jilin",
    "Liaoning",
    "Tianjin",
    "Chongqing",
    "Urumqi",
    "Hotan",
    "Kashgar",
    "Aksu",
    "Turpan",
    "Changji",
    "Shihezi",
    "Karamay",
    "Hami",
    "Korla",
    "Shenzhen",
    "Dongguan",
    "Ningbo",
    "Suzhou",
    "Wuxi",
    "Qingdao",
    "Dalian",
    "Xiamen",
    "Hangzhou",
    "Nanjing",
    "Wuhan",
    "Chengdu",
    "Baotou",
    "Hefei",
]
SECTORS = [
    "Chemical",
    "Textile",
    "Cotton",
    "Silicon Industry",
    "New Energy",
    "Mining",
    "Food",
    "Nonferrous Metals",
    "Trading",
    "International Trade",
    "Technology",
    "Biotechnology",
    "Pharmaceutical",
    "Logistics",
    "Garment",
    "Solar Technology",
    "Machinery",
    "Electronics",
    "Aluminum",
    "Steel",
    "Agricultural Products",
    "Import and Export",
    "Shoes",
    "Paper",
]
FORMS = ["Co., Ltd.", "Co. Ltd.", "Company Limited", "Group Co., Ltd.", "Corporation", "Ltd."]


def generated_list(size: int, seed: int = 7) -> list[ListEntry]:
    """An OpenSanctions-sized list of realistic Chinese company names (random, seeded)."""
    rng = random.Random(seed)
    entries = []
    for number in range(size):
        trade = "".join(rng.sample(SYLLABLES, rng.choice((2, 2, 2, 3)))).capitalize()
        name = f"{rng.choice(PLACES)} {trade} {rng.choice(SECTORS)} {rng.choice(FORMS)}"
        aliases = [f"{trade} {rng.choice(SECTORS)}"] if number % 3 == 0 else []
        entries.append(ListEntry(id=f"gen-{number}", name=name, aliases=aliases))
    return entries


def queries_for(entries: Sequence[ListEntry], count: int, seed: int = 11) -> list[Supplier]:
    """A third exact listed names, a third altered (case, legal form, order), a third unlisted."""
    rng = random.Random(seed)
    suppliers = []
    for number in range(count):
        entry = rng.choice(entries)
        kind = number % 3
        if kind == 0:
            name = entry.name
        elif kind == 1:
            words = entry.name.replace(",", "").split()
            name = " ".join(words[1:3] + words[:1]).upper() + " LIMITED"
        else:
            trade = "".join(rng.sample(SYLLABLES, 3)).capitalize()
            name = f"{rng.choice(PLACES)} {trade} {rng.choice(SECTORS)} GmbH"
        suppliers.append(Supplier(name=name, country="CN"))
    return suppliers


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_screening(watchlist: EntityWatchlist, suppliers: Sequence[Supplier]) -> None:
    first: list[float] = []
    again: list[float] = []
    seen: set[str] = set()
    for supplier in suppliers:
        start = time.perf_counter()
        watchlist.match(supplier, min_score=REVIEW)
        elapsed = (time.perf_counter() - start) * 1000
        (again if supplier.name in seen else first).append(elapsed)
        seen.add(supplier.name)
    everything = first + again
    print(
        f"  screen_supplier latency, all {len(everything)} calls: p50 "
        f"{statistics.median(everything):.3f} ms, p99 {percentile(everything, 0.99):.3f} ms"
    )
    print(
        f"    first sight of a name ({len(first)}): p50 {statistics.median(first):.3f} ms, "
        f"p99 {percentile(first, 0.99):.3f} ms, max {max(first):.3f} ms"
    )
    if again:
        print(
            f"    name seen before ({len(again)}, normalisation cached): p50 "
            f"{statistics.median(again):.3f} ms, p99 {percentile(again, 0.99):.3f} ms"
        )
    fresh = [s.model_copy(update={"name": s.name + " Branch"}) for s in suppliers]
    start = time.perf_counter()
    for supplier in fresh:
        watchlist.match(supplier, min_score=REVIEW)
    batch = len(fresh) / (time.perf_counter() - start)
    print(f"  batch throughput (names not seen before): {batch:,.0f} suppliers/s on one core")


def build(entries: Sequence[ListEntry], name: str) -> EntityWatchlist:
    version = ListVersion(name=name, entries=len(entries))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    watchlist = EntityWatchlist(version, entries)
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"  index build: {seconds:.2f} s for {len(entries):,} entries "
        f"(peak resident memory grew by {grown:.0f} MiB)"
    )
    return watchlist


def labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def precision_recall(name: str, scorer: Callable[[str, str], float]) -> None:
    rows = labelled_rows()
    scores = [(scorer(r["supplier_name"], r["listed_name"]), r["label"] == "match") for r in rows]
    for threshold, label in ((BLOCK, "block"), (REVIEW, "review")):
        tp = sum(1 for s, match in scores if s >= threshold and match)
        fp = sum(1 for s, match in scores if s >= threshold and not match)
        fn = sum(1 for s, match in scores if s < threshold and match)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(
            f"  {name} at {label} threshold {threshold:.2f}: precision {precision:.3f}, "
            f"recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"
        )


def ours(a: str, b: str) -> float:
    return compare(normalize_name(a), normalize_name(b)).score


def nomenklatura_scorer() -> Callable[[str, str], float] | None:
    """nomenklatura's logic-v2 on the same pairs, as two FtM Company entities; None if absent."""
    try:
        from followthemoney import model  # type: ignore[import-not-found]
        from nomenklatura.matching import get_algorithm  # type: ignore[import-not-found]
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return None
    try:
        from nomenklatura.matching.types import ScoringConfig  # type: ignore[import-not-found]

        config = ScoringConfig.defaults()
    except (ImportError, AttributeError):
        config = None

    counter = iter(range(10**9))

    def score(a: str, b: str) -> float:
        number = next(counter)  # fresh ids: the matcher may cache results by entity id
        left = model.make_entity("Company")
        left.id = f"left-{number}"
        left.add("name", a)
        right = model.make_entity("Company")
        right.id = f"right-{number}"
        right.add("name", b)
        if config is not None:
            result = algorithm.compare(left, right, config)
        else:
            result = algorithm.compare(left, right)
        return float(result.score)

    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    args = parser.parse_args()

    print("Bundled UFLPA snapshot")
    bundled = load_bundled_uflpa()
    watchlist = build(bundled.entries, "UFLPA Entity List")
    names = [Supplier(name=r["supplier_name"]) for r in labelled_rows()]
    suppliers = (names * (args.queries // len(names) + 1))[: args.queries]
    time_screening(watchlist, suppliers)

    print(f"Generated list of {args.entries:,} entries")
    entries = generated_list(args.entries)
    big = build(entries, "generated")
    time_screening(big, queries_for(entries, args.queries))
    print(
        f"Peak resident memory of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )

    rows = labelled_rows()
    negatives = sum(1 for r in rows if r["label"] == "no_match")
    print(
        f"Labelled pairs: {len(rows)} ({len(rows) - negatives} match, {negatives} hard negatives)"
    )
    precision_recall("forced_labour_guard", ours)
    other = nomenklatura_scorer()
    if other is None:
        print("  nomenklatura is not installed: its figures are skipped")
    else:
        precision_recall("nomenklatura logic-v2", other)


if __name__ == "__main__":
    main()
