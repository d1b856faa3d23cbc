"""Matching benchmark: speed on the bundled list and on a generated 100,000-entry list, recall on
labelled typo, spacing and alias queries against the generated list, and precision/recall on the
labelled pairs (with nomenklatura's matcher beside ours when installed).

Run from the repository root:  python bench/matching_bench.py [--entries 100000] [--queries 2000]

Targets (issues): p99 under 1 ms per supplier on the bundled list; on 100,000 entries at least
0.95 of one-slip typos found with p99 at most 2 ms per supplier; at least 2,000 suppliers per
second in batch on one core. Figures are printed, never asserted: tests do not time anything.

The labelled queries (seeded, so every run asks the same):
- ``typo``: one slip in the entry's trade name (two letters swapped, one doubled, one dropped, or
  one replaced by an OCR or keyboard neighbour); found when the entry scores at least review.
- ``typo2``: two slips in a trade name of eight letters or more.
- ``spacing``: the trade name split into its pinyin syllables ("Zhong Tai"), or a split one joined.
- ``alias``: an entry's short alias (trade name and sector, no place) as the supplier's name.
- ``alias_elsewhere`` (a negative): that alias behind another place ("Shanghai Bada Chemical Co.,
  Ltd."); it must not reach block for the entry whose name places it elsewhere.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forced_labour_guard.lists import ListEntry, load_bundled_uflpa  # noqa: E402
from forced_labour_guard.lists.watchlist import EntityWatchlist  # noqa: E402
from forced_labour_guard.matching import compare, normalize_name  # noqa: E402
from forced_labour_guard.model import ListVersion, Supplier  # noqa: E402

LABELLED = ROOT / "tests" / "matching" / "data" / "labelled_pairs.csv"
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = time.process_time
"""CPU time of this process by default: on a machine shared with other jobs, wall-clock figures
measure the neighbours; ``--clock wall`` gives wall-clock time on an idle machine."""
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


@dataclass(frozen=True)
class Generated:
    """A generated entry and what it was made of, so queries can be derived from it."""

    entry: ListEntry
    place: str
    syllables: tuple[str, ...]
    sector: str


def generated_list(size: int, seed: int = 7) -> list[Generated]:
    """An OpenSanctions-sized list of realistic Chinese company names (random, seeded)."""
    rng = random.Random(seed)
    generated = []
    for number in range(size):
        syllables = tuple(rng.sample(SYLLABLES, rng.choice((2, 2, 2, 3))))
        trade = "".join(syllables).capitalize()
        place, sector = rng.choice(PLACES), rng.choice(SECTORS)
        name = f"{place} {trade} {sector} {rng.choice(FORMS)}"
        aliases = [f"{trade} {rng.choice(SECTORS)}"] if number % 3 == 0 else []
        entry = ListEntry(id=f"gen-{number}", name=name, aliases=aliases)
        generated.append(Generated(entry, place, syllables, sector))
    return generated


KEYBOARD_OR_OCR = {
    "a": "s",
    "b": "h",
    "c": "e",
    "d": "cl",
    "e": "c",
    "g": "q",
    "h": "b",
    "i": "l",
    "j": "i",
    "k": "x",
    "l": "1",
    "m": "rn",
    "n": "m",
    "o": "0",
    "p": "o",
    "q": "g",
    "r": "t",
    "s": "5",
    "t": "r",
    "u": "v",
    "w": "vv",
    "x": "z",
    "y": "u",
    "z": "x",
}


def one_slip(word: str, rng: random.Random) -> str:
    """The word with one slip a clerk or a scanner makes; never the word itself."""
    while True:
        at = rng.randrange(1, len(word))
        kind = rng.choice(("swap", "double", "drop", "replace"))
        if kind == "swap" and word[at - 1] != word[at]:
            slipped = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
        elif kind == "double":
            slipped = word[:at] + word[at] + word[at:]
        elif kind == "drop" and len(word) > 4:
            slipped = word[:at] + word[at + 1 :]
        elif kind == "replace":
            slipped = word[:at] + KEYBOARD_OR_OCR.get(word[at], "a") + word[at + 1 :]
        else:
            continue
        if slipped.lower() != word.lower():
            return slipped


@dataclass(frozen=True)
class Query:
    supplier: Supplier
    kind: str
    entry_id: str
    """The entry the query is about: to be found (positives) or not blocked (``alias_elsewhere``)."""


def labelled_queries(generated: Sequence[Generated], count: int, seed: int = 13) -> list[Query]:
    """``count`` queries of each kind (see the module docstring), from random entries."""
    rng = random.Random(seed)
    queries: list[Query] = []
    with_alias = [g for g in generated if g.entry.aliases]
    long_trades = [g for g in generated if len("".join(g.syllables)) >= 8]
    for _ in range(count):
        g = rng.choice(generated)
        trade = "".join(g.syllables).capitalize()
        form = rng.choice(FORMS)
        typo = one_slip(trade, rng)
        queries.append(
            Query(Supplier(name=f"{g.place} {typo} {g.sector} {form}"), "typo", g.entry.id)
        )
        g2 = rng.choice(long_trades)
        trade2 = "".join(g2.syllables).capitalize()
        two = one_slip(one_slip(trade2, rng), rng)
        queries.append(
            Query(Supplier(name=f"{g2.place} {two} {g2.sector} {form}"), "typo2", g2.entry.id)
        )
        split = " ".join(s.capitalize() for s in g.syllables)
        queries.append(
            Query(Supplier(name=f"{g.place} {split} {g.sector} {form}"), "spacing", g.entry.id)
        )
        a = rng.choice(with_alias)
        alias = a.entry.aliases[0]
        queries.append(Query(Supplier(name=alias), "alias", a.entry.id))
        elsewhere = rng.choice([p for p in PLACES if p != a.place and p not in ("Xinjiang",)])
        queries.append(
            Query(Supplier(name=f"{elsewhere} {alias} Co., Ltd."), "alias_elsewhere", a.entry.id)
        )
    return queries


def labelled_recall(watchlist: EntityWatchlist, queries: Sequence[Query]) -> None:
    """Recall per kind (share found at review or above), blocks on the negatives, and latency."""
    found: dict[str, list[bool]] = {}
    times: list[float] = []
    for query in queries:
        start = clock()
        matches = watchlist.match(query.supplier, min_score=REVIEW)
        times.append((clock() - start) * 1000)
        scores = {m.entry_id: m.score for m in matches}
        if query.kind == "alias_elsewhere":
            ok = scores.get(query.entry_id, 0.0) < BLOCK
        else:
            ok = query.entry_id in scores
        found.setdefault(query.kind, []).append(ok)
    for kind, outcomes in found.items():
        share = sum(outcomes) / len(outcomes)
        what = "not blocked" if kind == "alias_elsewhere" else "found (review or block)"
        print(f"  {kind:16} {what}: {share:.3f} of {len(outcomes)}")
    print(
        f"  labelled queries, per supplier: p50 {statistics.median(times):.3f} ms, "
        f"p99 {percentile(times, 0.99):.3f} ms"
    )


def queries_for(generated: Sequence[Generated], count: int, seed: int = 11) -> list[Supplier]:
    """A third exact listed names, a third altered (case, legal form, order), a third unlisted."""
    rng = random.Random(seed)
    entries = [g.entry for g in generated]
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
        start = clock()
        watchlist.match(supplier, min_score=REVIEW)
        elapsed = (clock() - start) * 1000
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
    start = clock()
    for supplier in fresh:
        watchlist.match(supplier, min_score=REVIEW)
    batch = len(fresh) / (clock() - start)
    print(f"  batch throughput (names not seen before): {batch:,.0f} suppliers/s on one core")


def build(entries: Sequence[ListEntry], name: str) -> EntityWatchlist:
    version = ListVersion(name=name, entries=len(entries))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = clock()
    watchlist = EntityWatchlist(version, entries)
    seconds = clock() - start
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
    parser.add_argument("--labelled", type=int, default=1_000, help="queries of each kind")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    print(f"Times are {args.clock} time.")

    print("Bundled UFLPA snapshot")
    bundled = load_bundled_uflpa()
    watchlist = build(bundled.entries, "UFLPA Entity List")
    names = [Supplier(name=r["supplier_name"]) for r in labelled_rows()]
    suppliers = (names * (args.queries // len(names) + 1))[: args.queries]
    time_screening(watchlist, suppliers)

    print(f"Generated list of {args.entries:,} entries")
    generated = generated_list(args.entries)
    big = build([g.entry for g in generated], "generated")
    time_screening(big, queries_for(generated, args.queries))
    print(f"Labelled queries against the generated list ({args.labelled} of each kind)")
    labelled_recall(big, labelled_queries(generated, args.labelled))
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
