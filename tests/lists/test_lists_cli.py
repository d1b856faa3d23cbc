"""`flg lists status|update`, the lists a screening command uses, staleness, and the Guard wiring."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forced_labour_guard.cli import main
from forced_labour_guard.guard import Guard
from forced_labour_guard.lists import load_bundled_uflpa
from forced_labour_guard.lists.refresh import default_fetcher
from forced_labour_guard.lists.setup import build_list_setup, stale_list_warnings
from forced_labour_guard.lists.status import is_stale, list_age
from forced_labour_guard.model import Action, FindingCode, ListVersion, Supplier
from tests.lists.lists_site import page, publish

DATA = Path(__file__).parent / "data"
SUPPLIER_DE = Supplier(name="Robert Bosch GmbH", country="DE")


def test_status_says_the_bundled_list_is_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lists", "status", "--lists-dir", str(tmp_path), "--max-age", "100000"]) == 0
    out = capsys.readouterr().out
    assert "UFLPA Entity List: 90 listings, as of 2026-08-03" in out
    assert "[PARTIAL]" in out
    assert "partial: 90 of 187 listings; refresh from the official source" in out
    assert "bundled with the package" in out


def test_status_json_and_extra_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_list = str(DATA / "company_list.csv")
    argv = ["lists", "status", "--lists-dir", str(tmp_path), "--list", csv_list, "--json"]
    assert main(argv) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["name"] for r in rows] == ["UFLPA Entity List", "company_list"]
    assert rows[0]["complete"] is False and rows[0]["stale"] in (True, False)
    assert rows[1]["entries"] == 2


def test_update_then_rescreen_reports_only_new_entries(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    base = ["Camel Group Co., Ltd.", "Ninestar Corporation"]
    publish(root, page(base), 1)
    argv = ["lists", "update", "--url", url, "--lists-dir", str(lists)]
    assert main(argv) == 0
    assert "stored 2 listings" in capsys.readouterr().err

    publish(root, page([*base, "Xinjiang Zhongtai Chemical Co. Ltd."]), 2)
    default_fetcher().cache.clear()  # one process, two updates: skip the in-process TTL cache
    suppliers = tmp_path / "suppliers.jsonl"
    suppliers.write_text(
        "\n".join(
            json.dumps(s)
            for s in [
                {"id": "S1", "name": "Camel Group Co Ltd"},
                {"id": "S2", "name": "新疆中泰化学股份有限公司"},
                {
                    "id": "S3",
                    "name": "Harmless Trading GmbH",
                    "relationships": [
                        {"kind": "sub_supplier", "supplier": {"name": "Zhongtai Chemical"}}
                    ],
                },
            ]
        )
    )
    assert main([*argv, "--rescreen", str(suppliers)]) == 0
    captured = capsys.readouterr()
    hits = [json.loads(line) for line in captured.out.splitlines()]
    assert [(h["supplier"], h["finding"]) for h in hits] == [
        ("S2", "ENTITY_LIST"),
        ("S3", "POSSIBLE_MATCH"),
    ]
    assert hits[1]["subject"] == "supplier.relationships[0].supplier"
    assert "1 new, 0 gone" in captured.err
    assert "2 hit(s)" in captured.err

    # The refreshed copy now replaces the bundled snapshot for screening.
    setup = build_list_setup(lists_dir=lists, use_environment=False)
    assert setup.watchlists[0].version.entries == 3
    assert setup.watchlists[0].version.complete is True


def test_update_that_shrinks_is_refused_with_exit_2(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    names = [f"Example Number{n} Trading Co., Ltd." for n in range(10)]
    publish(root, page(names), 1)
    argv = ["lists", "update", "--url", url, "--lists-dir", str(lists)]
    assert main(argv) == 0
    publish(root, page(names[:5]), 2)
    default_fetcher().cache.clear()
    assert main(argv) == 2
    assert "a drop of more than 20%" in capsys.readouterr().err
    default_fetcher().cache.clear()
    assert main([*argv, "--force"]) == 0


def test_a_missing_configured_list_fails_closed(tmp_path: Path) -> None:
    setup = build_list_setup(
        lists_dir=tmp_path,
        extra=[str(tmp_path / "gone.csv")],
        use_environment=False,
    )
    assert len(setup.watchlists) == 1
    assert "gone.csv could not be loaded" in setup.problems[0]
    guard = Guard.default(watchlists=setup.watchlists, problems=setup.problems)
    decision = guard.screen_supplier(Supplier(name="Robert Bosch GmbH", country="DE"))
    assert decision.action == Action.BLOCK
    assert FindingCode.SCREENING_UNAVAILABLE in [f.code for f in decision.findings]


def test_a_malformed_company_csv_fails_closed(tmp_path: Path) -> None:
    broken = tmp_path / "ours.csv"
    broken.write_text('name,country\n"Acme Co,CN\nXinjiang Zhongtai Chemical,CN\n')
    setup = build_list_setup(lists_dir=tmp_path, extra=[str(broken)], use_environment=False)
    assert [w.version.name for w in setup.watchlists] == ["UFLPA Entity List"]
    [problem] = setup.problems
    assert "ours.csv could not be loaded" in problem and "not a readable CSV" in problem
    guard = Guard.default(watchlists=setup.watchlists, problems=setup.problems)
    decision = guard.screen_supplier(Supplier(name="Robert Bosch GmbH", country="DE"))
    assert decision.action == Action.BLOCK
    assert FindingCode.SCREENING_UNAVAILABLE in [f.code for f in decision.findings]


def test_lists_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLG_LISTS", str(DATA / "company_list.csv"))
    setup = build_list_setup(lists_dir=tmp_path)
    assert [w.version.name for w in setup.watchlists] == ["UFLPA Entity List", "company_list"]


def test_a_damaged_stored_copy_fails_closed(tmp_path: Path) -> None:
    (tmp_path / "uflpa.json").write_text("{ not json")
    setup = build_list_setup(lists_dir=tmp_path, use_environment=False)
    assert setup.watchlists == []
    assert "UFLPA Entity List could not be loaded" in setup.problems[0]


def test_an_empty_stored_copy_fails_closed_rather_than_screening_against_nothing(
    tmp_path: Path,
) -> None:
    empty = {"version": {"name": "UFLPA Entity List", "as_of": "2026-08-03"}, "entries": []}
    (tmp_path / "uflpa.json").write_text(json.dumps(empty))
    (tmp_path / "ours.json").write_text(json.dumps({**empty, "format": "flg-watchlist/1"}))
    setup = build_list_setup(lists_dir=tmp_path, use_environment=False)
    assert setup.watchlists == []
    assert len(setup.problems) == 2
    assert all("the list has no entries" in problem for problem in setup.problems)


def test_staleness() -> None:
    version = ListVersion(name="X", as_of=dt.date(2026, 1, 1))
    assert list_age(version, dt.date(2026, 3, 2)) == 60
    assert not is_stale(version, 90, dt.date(2026, 3, 2))
    assert is_stale(version, 30, dt.date(2026, 3, 2))
    assert not is_stale(version, 30, dt.date(2026, 3, 2), checked_on=dt.date(2026, 3, 1))
    assert is_stale(ListVersion(name="undated"), 30, dt.date(2026, 3, 2))


def test_default_guard_uses_the_bundled_list_and_says_it_is_stale() -> None:
    late = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    guard = Guard.default(clock=lambda: late)
    decision = guard.screen_supplier(Supplier(name="Xinjiang Zhongtai Chemical Co., Ltd."))
    assert decision.action == Action.BLOCK
    assert [v.name for v in decision.list_versions] == ["UFLPA Entity List"]
    assert decision.list_versions[0].complete is False
    assert any("days old" in w for w in decision.warnings)
    fresh = Guard.default(clock=lambda: dt.datetime(2026, 8, 10, tzinfo=dt.UTC))
    assert not any("days old" in w for w in fresh.screen_supplier(SUPPLIER_DE).warnings)


def test_stale_warnings_name_the_list() -> None:
    [warning] = stale_list_warnings([load_bundled_uflpa()], today=dt.date(2027, 1, 1))
    assert warning.startswith("The UFLPA Entity List copy used is 151 days old")


def test_a_company_list_refreshed_over_http_is_screened_too(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    (root / "list.html").write_text((DATA / "company_list.csv").read_text(encoding="utf-8"))
    lists = tmp_path / "lists"
    argv = ["lists", "update", "--name", "acme", "--format", "csv", "--url", url]
    assert main([*argv, "--lists-dir", str(lists)]) == 0
    setup = build_list_setup(lists_dir=lists, use_environment=False)
    assert [w.version.name for w in setup.watchlists] == ["UFLPA Entity List", "acme"]
    assert setup.problems == []
    assert main(["lists", "status", "--lists-dir", str(lists), "--json"]) == 0
    names = [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()]
    assert names == ["UFLPA Entity List", "acme"]


@pytest.mark.parametrize("name", ["../evil", "a/b", ".hidden", "ours.prev", ""])
def test_a_list_name_that_cannot_be_a_stored_file_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lists = tmp_path / "lists"
    argv = ["lists", "update", "--name", name, "--format", "csv", "--lists-dir", str(lists)]
    assert main([*argv, "--url", "http://127.0.0.1:1/list.csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("flg: error: name: ") and "cannot name a stored list" in err
    assert list(tmp_path.rglob("*.json")) == []


def test_a_rescreen_file_that_cannot_be_read_stops_the_update_before_it_is_stored(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    publish(root, page(["Camel Group Co., Ltd.", "Ninestar Corporation"]), 1)
    argv = ["lists", "update", "--url", url, "--lists-dir", str(lists)]
    assert main([*argv, "--rescreen", str(tmp_path / "suppliers-typo.jsonl")]) == 2
    assert "suppliers-typo.jsonl" in capsys.readouterr().err
    assert not (lists / "uflpa.json").exists()  # the new entries are still new next time
    suppliers = tmp_path / "suppliers.jsonl"
    suppliers.write_text(json.dumps({"id": "S1", "name": "Camel Group Co Ltd"}) + "\n")
    assert main([*argv, "--rescreen", str(suppliers)]) == 0
    [hit] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (hit["supplier"], hit["finding"]) == ("S1", "ENTITY_LIST")


def test_a_lists_folder_that_cannot_be_written_refuses_the_update(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    publish(root, page(["Camel Group Co., Ltd."]), 1)
    not_a_folder = tmp_path / "lists"
    not_a_folder.write_text("a file where the folder should be")
    assert main(["lists", "update", "--url", url, "--lists-dir", str(not_a_folder)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("flg: error: cannot write ") and "internal error" not in line
    assert not_a_folder.read_text() == "a file where the folder should be"


@pytest.mark.parametrize("kind", ["not UTF-8", "a folder", "missing", "open quote"])
def test_an_unreadable_list_blocks_screening_and_is_one_error_for_status(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ours.csv"
    if kind == "not UTF-8":
        path.write_bytes(b"name\n\xff\xfe Cotton Co\n")
    elif kind == "a folder":
        path.mkdir()
    elif kind == "open quote":
        path.write_text('name\n"Xinjiang Zhongtai Chemical\nSample Cotton Co\n')
    supplier = str(Path(__file__).parents[2] / "examples" / "supplier_clean.json")
    assert main(["screen-supplier", supplier, "--list", str(path), "--json"]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["action"] == "block"
    assert [f["code"] for f in decision["findings"]] == ["SCREENING_UNAVAILABLE"]
    assert main(["lists", "status", "--list", str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"flg: error: {path}: ")


RENAMED_HEADER = (
    "<p><b>Entities sourcing from Xinjiang</b> <a href='#'>Section 2(d)(2)(B)(v)</a></p>"
    "<table><tr><th>Listed Party</th><th>Effective Date</th></tr>"
    "<tr><td>Xinjiang Zhongtai Chemical Co. Ltd.</td><td>June 12, 2023</td></tr></table>"
)


def test_a_section_table_with_an_unknown_header_refuses_the_update_unless_forced(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    publish(root, page(["Camel Group Co., Ltd.", "Ninestar Corporation"]) + RENAMED_HEADER, 1)
    argv = ["lists", "update", "--url", url, "--lists-dir", str(lists)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "could not be read" in err and "section 2(d)(2)(B)(v) table" in err
    assert "'Listed Party'" in err
    assert not (lists / "uflpa.json").exists()

    default_fetcher().cache.clear()
    assert main([*argv, "--force"]) == 0
    assert "marked incomplete" in capsys.readouterr().err
    setup = build_list_setup(lists_dir=lists, use_environment=False)
    [uflpa] = setup.watchlists
    assert uflpa.version.complete is False
    decision = Guard.default(watchlists=setup.watchlists).screen_supplier(
        Supplier(name="Robert Bosch GmbH", country="DE")
    )
    assert any("UFLPA Entity List is incomplete" in w for w in decision.warnings)


def test_a_layout_table_without_dates_or_a_section_is_not_an_unread_table() -> None:
    from forced_labour_guard.lists.dhs import parse_dhs_page

    layout = "<table><tr><td>Home</td><td>Topics</td></tr><tr><td>News</td></tr></table>"
    parsed = parse_dhs_page(layout + page(["Camel Group Co., Ltd."]))
    assert parsed.unread_tables == [] and parsed.complete
    dated = "<table><tr><th>Party</th><th>When</th></tr><tr><td>X Co</td><td>May 1, 2024</td></tr></table>"
    assert len(parse_dhs_page(page(["Camel Group Co., Ltd."]) + dated).unread_tables) == 1


def test_a_list_whose_rows_were_not_all_read_says_so_on_every_decision(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    lists = tmp_path / "lists"
    unreadable = "Anhui Example Trading Co., Ltd. (including two aliases: Anhui Sample Co.)"
    publish(root, page(["Camel Group Co., Ltd.", unreadable]), 1)
    assert main(["lists", "update", "--url", url, "--lists-dir", str(lists)]) == 0
    err = capsys.readouterr().err
    assert "says 2 aliases but 1 were read" in err and "marked incomplete" in err
    setup = build_list_setup(lists_dir=lists, use_environment=False)
    guard = Guard.default(watchlists=setup.watchlists)
    for supplier in ("Robert Bosch GmbH", "Camel Group Co Ltd"):
        decision = guard.screen_supplier(Supplier(name=supplier))
        assert decision.list_versions[0].complete is False
        assert any("UFLPA Entity List is incomplete" in w for w in decision.warnings)


def test_a_stored_copy_with_unread_rows_is_incomplete_even_if_it_says_complete(
    tmp_path: Path,
) -> None:
    stored = {
        "format": "flg-watchlist/1",
        "version": {"name": "UFLPA Entity List", "as_of": "2026-08-03", "complete": True},
        "problems": ["section 2(d)(2)(B)(ii) row 4: unbalanced brackets"],
        "entries": [{"id": "c", "name": "Camel Group Co., Ltd."}],
    }
    (tmp_path / "uflpa.json").write_text(json.dumps(stored))
    setup = build_list_setup(lists_dir=tmp_path, use_environment=False)
    assert setup.watchlists[0].version.complete is False
    assert "1 point(s) of the source were not fully read" in str(setup.watchlists[0].version.note)


def test_rescreen_names_what_lies_beyond_the_policys_depth_and_exits_2(
    site: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, url = site
    publish(root, page(["Camel Group Co., Ltd.", "Xinjiang Zhongtai Chemical Co. Ltd."]), 1)
    node: dict[str, object] = {"name": "Xinjiang Zhongtai Chemical Co. Ltd."}
    for tier in range(3):
        node = {
            "name": f"Tier{tier} Trading GmbH",
            "relationships": [{"kind": "sub_supplier", "supplier": node}],
        }
    suppliers = tmp_path / "suppliers.jsonl"
    suppliers.write_text(json.dumps({"id": "S9", **node}) + "\n")
    policy = tmp_path / "policy.toml"
    policy.write_text("max_relationship_depth = 2\n")
    argv = ["lists", "update", "--url", url, "--lists-dir", str(tmp_path / "lists")]
    assert main([*argv, "--rescreen", str(suppliers), "--policy", str(policy)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "relationships[0].supplier.relationships[0].supplier.relationships[0].supplier is deeper than 2 tiers"
        in captured.err
    )
