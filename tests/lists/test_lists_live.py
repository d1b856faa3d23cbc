"""A Guard that lives for months: list age per decision, new list versions picked up safely."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Hashable
from pathlib import Path

import pytest

from forced_labour_guard import settings
from forced_labour_guard.errors import UsageError
from forced_labour_guard.guard import Guard
from forced_labour_guard.lists.entries import ListEntry, Snapshot
from forced_labour_guard.lists.live import NO_WATCHLIST_WARNING
from forced_labour_guard.lists.refresh import atomic_write_text
from forced_labour_guard.lists.setup import ListSetup, StoredLists
from forced_labour_guard.lists.watchlist import EntityWatchlist
from forced_labour_guard.model import Action, FindingCode, ListVersion, Supplier
from tests.lists.lists_site import page, publish

ZHONGTAI = Supplier(name="Xinjiang Zhongtai Chemical Co. Ltd.", country="CN")
BOSCH = Supplier(name="Robert Bosch GmbH", country="DE")
START = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def store_list(lists: Path, names: list[str], as_of: str) -> None:
    """Write a refreshed UFLPA copy as 'flg lists update' does (atomically)."""
    entries = [ListEntry(id=f"e{i}", name=name) for i, name in enumerate(names)]
    version = ListVersion(name="UFLPA Entity List", as_of=dt.date.fromisoformat(as_of))
    snapshot = Snapshot(
        version=version.model_copy(update={"entries": len(entries)}),
        checked_at=dt.datetime.fromisoformat(f"{as_of}T00:00:00+00:00"),
        entries=entries,
    )
    atomic_write_text(lists / "uflpa.json", snapshot.model_dump_json())


def checking_guard(lists: Path, clock: Clock, *, seconds: float) -> Guard:
    """A Guard on the lists stored in ``lists`` that checks them every ``seconds``."""
    loader = StoredLists(lists, use_environment=False)
    return Guard.default(clock=clock, list_loader=loader, list_check_seconds=seconds)


def codes(guard: Guard, supplier: Supplier) -> list[FindingCode]:
    return [f.code for f in guard.screen_supplier(supplier).findings]


# --------------------------------------------------------------------------- list age


def test_a_list_that_grows_stale_while_the_guard_lives_is_warned_about_from_that_day() -> None:
    clock = Clock(dt.datetime(2026, 8, 10, tzinfo=dt.UTC))  # bundled snapshot is of 2026-08-03
    guard = Guard.default(clock=clock)
    assert not any("days old" in w for w in guard.screen_supplier(BOSCH).warnings)
    clock.now = dt.datetime(2027, 8, 10, tzinfo=dt.UTC)
    [stale] = [w for w in guard.screen_supplier(BOSCH).warnings if "days old" in w]
    assert "372 days old" in stale


def test_max_list_age_is_the_guards_setting() -> None:
    clock = Clock(dt.datetime(2026, 8, 20, tzinfo=dt.UTC))
    strict = Guard.default(clock=clock, max_list_age_days=7)
    assert any("17 days old" in w for w in strict.screen_supplier(BOSCH).warnings)


# --------------------------------------------------------------------------- no watchlist


def test_a_guard_built_without_watchlists_says_so_on_every_decision() -> None:
    guard = Guard(clock=lambda: START)
    clean = guard.screen_supplier(BOSCH)
    located = guard.screen_supplier(
        Supplier(name="Kashgar Cotton Co", addresses=[{"city": "Kashgar", "country": "CN"}])
    )
    assert clean.action is Action.ALLOW and located.action is Action.BLOCK
    assert NO_WATCHLIST_WARNING in clean.warnings and NO_WATCHLIST_WARNING in located.warnings


def test_a_guard_with_its_lists_does_not_say_it_has_none() -> None:
    decision = Guard.default(clock=lambda: START).screen_supplier(BOSCH)
    assert NO_WATCHLIST_WARNING not in decision.warnings


# --------------------------------------------------------------------------- reloading


def update_in_another_process(url: str, lists: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "forced_labour_guard.cli", "lists", "update", "--url", url],
        env={**os.environ, "FLG_LISTS_DIR": str(lists)},
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_list_refreshed_by_another_process_is_used_after_reload_lists(
    site: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    publish(root, page(["Camel Group Co., Ltd.", "Ninestar Corporation"]), 1)
    update_in_another_process(url, lists)
    guard = Guard.default(list_loader=StoredLists(lists, use_environment=False))
    assert guard.screen_supplier(ZHONGTAI).list_versions[0].entries == 2
    assert FindingCode.ENTITY_LIST not in codes(guard, ZHONGTAI)

    publish(root, page(["Camel Group Co., Ltd.", "Ninestar Corporation", ZHONGTAI.name]), 2)
    update_in_another_process(url, lists)
    assert FindingCode.ENTITY_LIST not in codes(guard, ZHONGTAI)  # no check asked for: no change
    [version] = guard.reload_lists()
    assert version.entries == 3
    decision = guard.screen_supplier(ZHONGTAI)
    assert decision.action is Action.BLOCK
    assert decision.list_versions == [version]


def test_the_stored_list_is_checked_at_most_every_n_seconds(tmp_path: Path) -> None:
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-20")
    clock = Clock(START)
    guard = checking_guard(tmp_path, clock, seconds=60)
    assert FindingCode.ENTITY_LIST not in codes(guard, ZHONGTAI)
    store_list(tmp_path, ["Camel Group Co., Ltd.", ZHONGTAI.name], "2026-08-31")
    clock.advance(30)
    assert FindingCode.ENTITY_LIST not in codes(guard, ZHONGTAI)  # checked at START: not yet
    clock.advance(30)
    decision = guard.screen_supplier(ZHONGTAI)
    assert decision.action is Action.BLOCK
    assert decision.list_versions[0].as_of == dt.date(2026, 8, 31)


def test_without_a_check_interval_the_guard_keeps_its_lists(tmp_path: Path) -> None:
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-20")
    clock = Clock(START)
    guard = Guard.default(clock=clock, list_loader=StoredLists(tmp_path, use_environment=False))
    store_list(tmp_path, [ZHONGTAI.name], "2026-08-31")
    clock.advance(86_400 * 30)
    assert guard.screen_supplier(ZHONGTAI).list_versions[0].as_of == dt.date(2026, 8, 20)


def test_a_stored_list_damaged_while_the_guard_lives_blocks_until_repaired(
    tmp_path: Path,
) -> None:
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-20")
    clock = Clock(START)
    guard = checking_guard(tmp_path, clock, seconds=10)
    (tmp_path / "uflpa.json").write_text("{ damaged")
    clock.advance(10)
    broken = guard.screen_supplier(BOSCH)
    assert broken.action is Action.BLOCK
    assert [f.code for f in broken.findings] == [FindingCode.SCREENING_UNAVAILABLE]
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-25")
    clock.advance(10)
    repaired = guard.screen_supplier(BOSCH)
    assert repaired.action is Action.ALLOW
    assert repaired.list_versions[0].as_of == dt.date(2026, 8, 25)


def test_reload_lists_on_a_guard_with_fixed_watchlists_is_refused() -> None:
    with pytest.raises(ValueError, match="list_loader"):
        Guard.default().reload_lists()


class Alternating:
    """A loader whose versions alternate: A lists Zhongtai, B does not."""

    def __init__(self) -> None:
        self.loads = 0

    def stamp(self) -> Hashable:
        return self.loads

    def load(self) -> ListSetup:
        self.loads += 1
        listed = self.loads % 2 == 1
        names = ["Camel Group Co., Ltd.", *([ZHONGTAI.name] if listed else [])]
        entries = [ListEntry(id=f"{self.loads}-{i}", name=n) for i, n in enumerate(names)]
        version = ListVersion(
            name="UFLPA Entity List", as_of=dt.date(2026, 8, 1), note=f"v{self.loads}"
        )
        return ListSetup(watchlists=[EntityWatchlist(version, entries)])


def test_each_decision_uses_one_complete_version_while_another_thread_reloads() -> None:
    guard = Guard.default(clock=lambda: START, list_loader=Alternating())
    stop = threading.Event()

    def reload_again_and_again() -> None:
        while not stop.is_set():
            guard.reload_lists()
            time.sleep(0.0005)

    reloader = threading.Thread(target=reload_again_and_again)
    reloader.start()
    seen: set[str] = set()
    try:
        for _ in range(2000):  # until several versions were really in play, within bounds
            decision = guard.screen_supplier(ZHONGTAI)
            [version] = decision.list_versions
            listed = int(str(version.note).removeprefix("v")) % 2 == 1
            hit = FindingCode.ENTITY_LIST in [f.code for f in decision.findings]
            assert hit is listed, version.note
            seen.add(str(version.note))
            if len(seen) >= 6:
                break
            time.sleep(0.001)  # let the reloader run between decisions
    finally:
        stop.set()
        reloader.join(timeout=30)
    assert len(seen) >= 6


# --------------------------------------------------------------------------- settings


def test_the_check_interval_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.list_check_seconds() is None
    monkeypatch.setenv("FLG_LIST_CHECK_SECONDS", "30")
    assert settings.list_check_seconds() == 30.0
    for bad in ("soon", "0", "-5", "nan", "inf"):
        monkeypatch.setenv("FLG_LIST_CHECK_SECONDS", bad)
        with pytest.raises(UsageError, match="FLG_LIST_CHECK_SECONDS"):
            settings.list_check_seconds()


def test_a_check_interval_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="check_seconds"):
        Guard.default(list_loader=StoredLists(use_environment=False), list_check_seconds=0)


def test_the_stored_lists_stamp_changes_when_a_list_is_rewritten(tmp_path: Path) -> None:
    loader = StoredLists(tmp_path, use_environment=False)
    missing = loader.stamp()
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-20")
    first = loader.stamp()
    assert first != missing and loader.stamp() == first
    store_list(tmp_path, ["Camel Group Co., Ltd."], "2026-08-21")
    assert loader.stamp() != first
    assert json.loads((tmp_path / "uflpa.json").read_text())["version"]["as_of"] == "2026-08-21"
