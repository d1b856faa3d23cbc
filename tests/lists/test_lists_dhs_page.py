"""The DHS page parser, on a fixture page that follows the page's structure and irregular forms."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from forced_labour_guard.lists.dhs import (
    parse_dhs_page,
    parse_effective_date,
    parse_entity_text,
    split_names,
)

PAGE = (Path(__file__).parent / "data" / "dhs_uflpa_page.html").read_text(encoding="utf-8")


def by_name(name: str) -> dict[str, object]:
    parsed = parse_dhs_page(PAGE)
    [entry] = [e for e in parsed.entries if e.name == name]
    return entry.model_dump()


def test_sections_dates_and_rows() -> None:
    parsed = parse_dhs_page(PAGE)
    assert parsed.rows == 17
    assert len(parsed.entries) == 16  # Tengxiang is in two sections: one entry
    assert parsed.as_of == dt.date(2026, 8, 3)
    tengxiang = by_name("Xinjiang Tengxiang Magnesium Products Co., Ltd.")
    assert tengxiang["sections"] == ["2(d)(2)(B)(ii)", "2(d)(2)(B)(v)"]
    assert by_name("Baoding LYSZD Trade and Business Co., Ltd.")["sections"] == ["2(d)(2)(B)(i)"]
    zhongtai = by_name("Xinjiang Zhongtai Chemical Co. Ltd.")
    assert zhongtai["date"] == dt.date(2023, 6, 12)
    assert "2(d)(2)(B)(ii)" in str(zhongtai["reason"])


def test_tables_without_an_entity_column_are_ignored() -> None:
    names = [e.name for e in parse_dhs_page(PAGE).entries]
    assert not any("navigation" in n for n in names)


def test_two_aliases_with_semicolons() -> None:
    entry = by_name("Hetian Haolin Hair Accessories Co. Ltd.")
    assert entry["aliases"] == ["Hotan Haolin Hair Accessories", "Hollin Hair Accessories"]


def test_one_alias_with_nested_brackets_and_unnamed_subsidiaries() -> None:
    entry = by_name("Hoshine Silicon Industry (Shanshan) Co., Ltd")
    assert entry["aliases"] == ["Hesheng Silicon Industry (Shanshan) Co."]
    assert "subsidiaries or affiliated entities it does not name" in str(entry["note"])


def test_formerly_known_as() -> None:
    entry = by_name("Xinjiang Goens Energy Technology Co., Ltd.")
    assert entry["aliases"] == ["Xinjiang GCL New Energy Material Technology Co., Ltd."]


def test_also_known_as() -> None:
    assert by_name("Xinjiang Zhonghe Co., Ltd.")["aliases"] == ["Xinjiang Joinworld Co., Ltd."]


def test_n_aliases_in_words_and_digits() -> None:
    assert len(by_name("Dongguan Oasis Shoes Co., Ltd.")["aliases"]) == 3  # type: ignore[arg-type]
    assert by_name("Hongyuan Green Energy Co., Ltd.")["aliases"] == [
        "HY Solar",
        "Hoyuan Green Energy Co. Ltd.",
        "Wuxi Shangji CNC Co., Ltd.",
        "Wuxi Shangji Automation Co., Ltd.",
    ]


def test_eight_zhuhai_based_subsidiaries_keep_their_legal_forms() -> None:
    subsidiaries = by_name("Ninestar Corporation")["subsidiaries"]
    assert isinstance(subsidiaries, list) and len(subsidiaries) == 8
    assert subsidiaries[0] == "Zhuhai Ninestar Information Technology Co., Ltd."
    assert subsidiaries[-1] == "Zhuhai Ninestar Imaging Technology Co., Ltd."


def test_and_its_subsidiary() -> None:
    entry = by_name("Chenguang Biotech Group Co., Ltd.")
    assert entry["subsidiaries"] == ["Chenguang Biotechnology Group Yanqi Co. Ltd."]


def test_subordinate_and_affiliated_entities_and_comma_and_subsidiaries() -> None:
    xpcc = by_name("Xinjiang Production and Construction Corps")
    assert "does not name" in str(xpcc["note"])
    century = by_name("Century Sunshine Group Holdings, Ltd.")
    assert century["subsidiaries"] == [] and "does not name" in str(century["note"])


def test_html_entities_are_decoded() -> None:
    entries = parse_dhs_page(PAGE).entries
    names = [e.name for e in entries]
    assert "Sichuan Yuan\u2019an Pharmaceutical Co. Ltd." in names  # &rsquo; is the apostrophe
    written = " ".join([*names, *(a for e in entries for a in [*e.aliases, *e.subsidiaries])])
    assert re.search(r"&#?\w+;", written) is None  # no entity left undecoded anywhere


def test_rows_it_cannot_read_are_reported_not_dropped() -> None:
    parsed = parse_dhs_page(PAGE)
    names = [e.name for e in parsed.entries]
    assert "Hunan Nanmo Biotechnology Co., Ltd." in names
    assert any("Anhui Example Trading" in n for n in names)
    problems = "\n".join(parsed.problems)
    assert "says 2 aliases but 1 were read" in problems
    assert "unbalanced brackets" in problems
    assert "effective date not understood: 'Sometime in 2025'" in problems


def test_ids_are_stable_across_spellings_of_the_legal_form() -> None:
    a = parse_dhs_page(
        "<p>Section 2(d)(2)(B)(ii)</p><table><tr><th>Entity Name</th></tr>"
        "<tr><td>Camel Group Co., Ltd.</td></tr></table>"
    )
    b = parse_dhs_page(
        "<p>Section 2(d)(2)(B)(ii)</p><table><tr><th>Entity Name</th></tr>"
        "<tr><td>CAMEL GROUP CO LTD</td></tr></table>"
    )
    assert a.entries[0].id == b.entries[0].id


@pytest.mark.parametrize(
    ("text", "name", "aliases", "subsidiaries"),
    [
        ("A Co. (a.k.a. B Co.)", "A Co.", ["B Co."], []),
        ("A Co. (formerly known as B Co.; and C Co.)", "A Co.", ["B Co.", "C Co."], []),
        ("A Co. and its subsidiary B Co., Ltd.", "A Co.", [], ["B Co., Ltd."]),
        ("A (Group) Co., Ltd.", "A (Group) Co., Ltd.", [], []),
        (
            "A Co. and its two subsidiaries, which include B Co.; and C Co.",
            "A Co.",
            [],
            ["B Co.", "C Co."],
        ),
    ],
)
def test_entity_text_forms(
    text: str, name: str, aliases: list[str], subsidiaries: list[str]
) -> None:
    parsed = parse_entity_text(text)
    assert (parsed.name, parsed.aliases, parsed.subsidiaries, parsed.problems) == (
        name,
        aliases,
        subsidiaries,
        [],
    )


def test_split_names_keeps_legal_forms_with_their_name() -> None:
    assert split_names("A Co., Ltd., B Co., Ltd., and C Inc.") == [
        "A Co., Ltd.",
        "B Co., Ltd.",
        "C Inc.",
    ]


def test_effective_dates() -> None:
    assert parse_effective_date("June 12, 2023") == dt.date(2023, 6, 12)
    assert parse_effective_date("Sept. 26, 2023") == dt.date(2023, 9, 26)
    assert parse_effective_date("2023-06-12") == dt.date(2023, 6, 12)
    assert parse_effective_date("soon") is None


def test_a_heading_between_the_section_paragraph_and_the_table_keeps_the_section() -> None:
    html = (
        "<p><strong>Entities sourcing from Xinjiang</strong> "
        "(<a href='#'>Section 2(d)(2)(B)(v)</a>)</p><h3>Updated entries</h3>"
        "<table><tr><th>Entity Name</th><th>Effective Date</th></tr>"
        "<tr><td>Camel Group Co., Ltd.</td><td>August 2, 2023</td></tr></table>"
    )
    [entry] = parse_dhs_page(html).entries
    assert entry.sections == ["2(d)(2)(B)(v)"]
