"""Company lists (CSV, JSON) and OpenSanctions FtM exports; registration numbers; several lists."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forced_labour_guard.errors import InputError
from forced_labour_guard.lists import load_bundled_uflpa
from forced_labour_guard.lists.loaders import ListUnavailableError, load_list_file
from forced_labour_guard.model import Supplier

DATA = Path(__file__).parent / "data"


def test_csv_list_with_documented_columns() -> None:
    watchlist = load_list_file(DATA / "company_list.csv")
    assert watchlist.version.name == "company_list"
    assert watchlist.version.entries == 2
    assert watchlist.version.as_of == dt.date(2025, 6, 1)
    entry = watchlist.entries[0]
    assert entry.aliases == ["Example Cotton", "样例棉业"]
    assert entry.country == "CN"
    assert entry.registration_ids == ["91650100MA7XXXXX1A"]


def test_registration_number_overrides_the_name() -> None:
    watchlist = load_list_file(DATA / "company_list.csv")
    supplier = Supplier(name="Totally Different Name Ltd", registration_id="91650100 MA7X-XXXX1A")
    [match] = watchlist.match(supplier, min_score=0.7)
    assert (match.basis, match.score, match.entry_id) == ("registration_id", 1.0, "ACME-1")
    assert "registration number 91650100 MA7X-XXXX1A" in match.explanation
    assert match.source == "Internal audit 2025-03"
    assert match.reason == "Audit found labour transfer workers"


def test_a_registration_number_typed_in_full_width_is_the_same_number() -> None:
    watchlist = load_list_file(DATA / "company_list.csv")
    typed = "".join(chr(ord(ch) + 0xFEE0) for ch in "91650100") + "\uff0dMA7XXXXX1A"
    [match] = watchlist.match(Supplier(name="Unrelated Ltd", registration_id=typed), min_score=0.7)
    assert (match.basis, match.score, match.entry_id) == ("registration_id", 1.0, "ACME-1")


def test_a_different_registration_number_keeps_a_name_match_in_review() -> None:
    watchlist = load_list_file(DATA / "company_list.csv")
    supplier = Supplier(name="Example Cotton Trading Co.", registration_id="91110000ZZZZZZZZ9Z")
    [match] = watchlist.match(supplier, min_score=0.7)
    assert match.score == 0.85
    assert "registration numbers differ" in match.explanation


def test_a_different_country_lowers_the_score() -> None:
    watchlist = load_list_file(DATA / "company_list.csv")
    [same] = watchlist.match(Supplier(name="Sample Polysilicon GmbH", country="DE"), min_score=0.5)
    [other] = watchlist.match(Supplier(name="Sample Polysilicon GmbH", country="FR"), min_score=0.5)
    assert same.score == 1.0 and other.score == 0.9
    assert "countries differ" in other.explanation


def test_json_list_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "ours.json"
    path.write_text(
        json.dumps(
            {
                "name": "Buyer's own list",
                "as_of": "2026-01-31",
                "entries": [{"name": "Foo Bar Textile Co.", "aliases": ["Foobar"], "id": "x1"}],
            }
        )
    )
    watchlist = load_list_file(path)
    assert watchlist.version.name == "Buyer's own list"
    assert watchlist.version.as_of == dt.date(2026, 1, 31)
    [match] = watchlist.match(Supplier(name="FOO BAR TEXTILE COMPANY LIMITED"), min_score=0.9)
    assert match.list_name == "Buyer's own list"


def test_ftm_export_of_us_dhs_uflpa() -> None:
    watchlist = load_list_file(DATA / "opensanctions_uflpa.jsonl", name="uflpa")
    assert watchlist.version.name == "UFLPA Entity List"
    assert watchlist.version.as_of == dt.date(2026, 8, 3)
    assert len(watchlist.entries) == 2  # the Person and the Sanction are not entries
    entry = watchlist.entries[0]
    assert entry.aliases == ["Example Silicon", "Old Example Silicon Co., Ltd."]
    assert entry.registration_ids == ["91650000MA78XXXX2B"]
    assert entry.sections == ["2(d)(2)(B)(v)"]
    assert entry.date == dt.date(2024, 5, 17)
    assert entry.country == "CN"
    assert entry.url == "https://www.dhs.gov/uflpa-entity-list"
    [match] = watchlist.match(Supplier(name="Old Example Silicon Co Ltd"), min_score=0.9)
    assert match.basis == "alias"
    [by_number] = watchlist.match(
        Supplier(name="X", registration_id="91650000MA78XXXX2B"), min_score=0.9
    )
    assert by_number.entry_id == "us-uflpa-abc"


def test_several_lists_each_name_the_list_that_hit() -> None:
    lists = [load_bundled_uflpa(), load_list_file(DATA / "company_list.csv")]
    supplier = Supplier(name="Example Cotton", aliases=["Xinjiang Zhongtai Chemical Co., Ltd."])
    hits = {m.list_name for w in lists for m in w.match(supplier, min_score=0.9)}
    assert hits == {"UFLPA Entity List", "company_list"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "id,name,colour\n1,Foo,red\n", "unknown column(s) colour"),
        ("b.csv", "id,title\n1,Foo\n", "must have a 'name' column"),
        ("c.csv", "name,country\nFoo,China\n", "row 2.country"),
        ("d.csv", "name,date\nFoo,31/12/2025\n", "row 2.date"),
        ("e.json", '[{"aliases": ["x"]}]', "entries[0].name"),
        (
            "f.jsonl",
            '{"schema": "Company", "id": "1", "properties": {"name": ["A"]}}\nnot json\n',
            "line 2",
        ),
        ("g.csv", "name\n", "no entries"),
        ("f2.jsonl", '{"schema": "Company", "id": "1", "properties": ["name"]}\n', "line 1"),
        ("f3.jsonl", '{"schema": "Company", "id": "1", "datasets": 5}\n', "line 1"),
        ("p.html", "<p>Section 2(d)(2)(B)(ii)</p><![IN x", "not readable HTML"),
        # A quote left open would swallow the rows after it into one name: refused, not guessed.
        ("h.csv", 'name,country\n"Acme Co,CN\nXinjiang Zhongtai Chemical,CN\n', "line 3"),
        ("i.csv", "name\n" + "a" * 200_000 + "\n", "not a readable CSV"),
        (
            "j.json",
            '{"name": "ours", "note": {"x": 1}, "entries": [{"name": "A"}]}',
            "note: must be text",
        ),
        ("k.json", '{"name": ["ours"], "entries": [{"name": "A"}]}', "name: must be text"),
    ],
)
def test_bad_list_files_say_where(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ListUnavailableError) as error:
        load_list_file(path)
    assert message in str(error.value)
    assert isinstance(error.value, InputError)


def test_ftm_dates_that_are_not_text_are_left_out(tmp_path: Path) -> None:
    path = tmp_path / "os.jsonl"
    line = {"schema": "Company", "id": "1", "last_change": 5, "properties": {"name": ["A Co"]}}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    watchlist = load_list_file(path)
    assert [e.name for e in watchlist.entries] == ["A Co"] and watchlist.version.as_of is None


def test_a_missing_list_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(ListUnavailableError, match="does not exist"):
        load_list_file(tmp_path / "nope.csv")


def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("x")
    with pytest.raises(InputError, match="cannot tell the list format"):
        load_list_file(path)
