"""Campaign files: JSON lines, JSON and CSV, with errors that name the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from instructions_helpers import recipient

from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions.campaign import select_recipients
from forced_labour_guard.instructions.model import Company, Recipient
from forced_labour_guard.instructions.recipients import load_recipients, parse_recipients
from forced_labour_guard.instructions.text import clean_inline, inline_text, isolate

CSV = """email,contact_name,language,active,id,name,country,aliases,address
a@alpha.example,Ms Li,zh,true,S-1,阿尔法纺织有限公司,CN,Alpha Textiles|Alpha Tex,"浙江省宁波市"
b@beta.example,,,no,S-2,Beta Ltd,GB,,
c@gamma.example,,en,,S-3,"Gamma, ""The"" Mill",IN,,
"""


def test_csv_rows_become_recipients() -> None:
    first, second, third = parse_recipients(CSV, name="s.csv", fmt="csv")
    assert first.supplier.name == "阿尔法纺织有限公司"
    assert first.supplier.aliases == ["Alpha Textiles", "Alpha Tex"]
    assert first.supplier.addresses[0].text == "浙江省宁波市"
    assert (first.language, first.contact_name, first.active) == ("zh", "Ms Li", True)
    assert second.active is False and second.language is None
    assert third.active is True and third.supplier.name == 'Gamma, "The" Mill'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email,name,colour\na@a.example,A,red\n", "unknown column(s) colour"),
        ("name\nA\n", "'email' column"),
        ("email,name,active\na@a.example,A,maybe\n", "s.csv:2: active"),
        ("email,name\nnot-an-address,A\n", "s.csv:2: email"),
        ("email,name\na@a.example,\n", "s.csv:2: supplier.name"),
        ("email,id,name\na@a.example,X,A\nb@b.example,X,B\n", "'X' appears more than once"),
        ("email,name\na@a.example,A,B Ltd\n", "s.csv:2: 1 cell(s) more than the header"),
    ],
)
def test_csv_errors_name_line_and_field(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_recipients(text, name="s.csv", fmt="csv")


@pytest.mark.parametrize(
    "address",
    [
        "a@b.example\r\nBcc: x@y.example",
        "Name <a@b.example>",
        "a@b.example, c@d.example",
        "no-at-sign",
        "a@localhost",
        "",
    ],
)
def test_only_one_plain_address_is_accepted(address: str) -> None:
    with pytest.raises(ValueError):
        Recipient.model_validate({"supplier": {"name": "A"}, "email": address})


def test_company_fields_are_one_line() -> None:
    company = Company(
        name="Buyer\r\nBcc: x@y", contact_email="b@buyer.example", letterhead=["a\nb"]
    )
    assert company.name == "Buyer Bcc: x@y"
    assert company.letterhead == ["a b"]


def test_json_and_jsonl_files(tmp_path: Path) -> None:
    lines = tmp_path / "s.jsonl"
    lines.write_text(
        '{"supplier": {"id": "S-1", "name": "A"}, "email": "a@a.example"}\n\n'
        '{"supplier": {"id": "S-2", "name": "B"}, "email": "b@b.example", "active": false}\n',
        encoding="utf-8",
    )
    assert [r.key for r in load_recipients(lines)] == ["S-1", "S-2"]
    array = tmp_path / "s.json"
    array.write_text('[{"supplier": {"name": "A"}, "email": "a@a.example"}]', encoding="utf-8")
    assert [r.key for r in load_recipients(array)] == ["A"]
    broken = tmp_path / "b.jsonl"
    broken.write_text('{"supplier": {"name": "A"}, "email": "a@a.example"}\n{oops\n')
    with pytest.raises(InputError, match=r"b\.jsonl:2: not JSON"):
        load_recipients(broken)
    with pytest.raises(InputError, match=r"use a \.jsonl, \.json or \.csv"):
        load_recipients(tmp_path / "s.xlsx")
    with pytest.raises(InputError, match="cannot read"):
        load_recipients(tmp_path / "missing.csv")


def test_selection_defaults_to_active_suppliers() -> None:
    pool = [recipient(1), recipient(2, active=False), recipient(3)]
    assert [r.key for r in select_recipients(pool)] == ["S-001", "S-003"]
    assert len(select_recipients(pool, include_inactive=True)) == 3
    assert [r.key for r in select_recipients(pool, only=["S-002"])] == ["S-002"]
    with pytest.raises(InputError, match="S-404"):
        select_recipients(pool, only=["S-404"])


def test_text_cleaning() -> None:
    assert clean_inline("  A\r\n\tB\u2028C\u202eD\x00E  ") == "A B C D E"
    assert clean_inline(None) == ""
    assert isolate("Latin") == "Latin"
    assert isolate("עברית") == "\u2068עברית\u2069"
    assert inline_text("x\u2067y") == "x y"  # a supplier cannot bring its own isolates
