"""Letters in English and Simplified Chinese: content, escaping, and a structure no name can change."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from instructions_helpers import AWKWARD_NAMES

from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions.model import Company
from forced_labour_guard.instructions.templates import (
    LetterContext,
    RenderedLetter,
    available_languages,
    load_templates,
    render,
)
from forced_labour_guard.instructions.text import FSI, PDI, clean_inline, inline_html, inline_text

ISSUED = dt.date(2026, 3, 2)
DEADLINE = dt.date(2026, 4, 1)


def context(company: Company, name: str, **overrides: object) -> LetterContext:
    values: dict[str, object] = {
        "company": company,
        "supplier_name": name,
        "supplier_id": "S-001",
        "contact_name": "",
        "reference": "FLG-B4-0123456789",
        "campaign": "2026 spring",
        "issued_on": ISSUED,
        "deadline": DEADLINE,
        "today": ISSUED,
    }
    values.update(overrides)
    return LetterContext(**values)  # type: ignore[arg-type]


class Skeleton(HTMLParser):
    """The element structure of an HTML document: tags and attribute names, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, tuple(name for name, _ in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag, ()))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def skeleton(document: str) -> Skeleton:
    parser = Skeleton()
    parser.feed(document)
    parser.close()
    return parser


def label_lines(text: str) -> list[str]:
    """Each line with the inserted values cut out: what stays is the letter's own structure."""
    return [re.split("[:：]", line, maxsplit=1)[0] for line in text.split("\n")]


def test_both_languages_are_shipped() -> None:
    assert {"en", "zh"} <= set(available_languages())
    assert load_templates("zh-CN").language == "zh"
    assert load_templates("EN").language == "en"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_letter_says_what_b4_b3_b5_b6_require(company: Company, language: str) -> None:
    letter = render(load_templates(language), "instruction", context(company, "Plain Ltd"))
    assert letter.subject.startswith("[FLG-B4-0123456789] ")
    for part in (letter.text, letter.html):
        assert "FLG-B4-0123456789" in part
        assert "sourcing@nordwind.example" in part
        assert "Nordwind Outdoor GmbH" in part
    if language == "en":
        assert "1 April 2026" in letter.text and "1 April 2026" in letter.subject
        for phrase in (
            "produced wholly or partly in the Uyghur Region",  # B4 sourcing
            "stop working with any company",  # B4 business relationships
            "state-sponsored labour transfer programme",  # B3 direction
            "signed attestation" if "signed attestation" in letter.text else "attestation signed",
            "traceability documents",
            "independent laboratory",
            "alternative suppliers",  # help with sourcing
            "all of your production",  # B6
            "end our business\nrelationship",  # B5 consequence
            "responsibly",
        ):
            assert phrase in letter.text, phrase
        assert "Dear Sir or Madam," in letter.text
    else:
        assert "2026年4月1日" in letter.text and "2026年4月1日" in letter.subject
        for phrase in (
            "维吾尔地区",
            "劳动力转移",
            "签署的声明",
            "溯源文件",
            "检测报告",
            "替代供应商",
            "全部生产",
            "终止与贵公司的业务关系",
            "负责任",
        ):
            assert phrase in letter.text, phrase
        assert "尊敬的负责人：" in letter.text


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", ["instruction", "reminder"])
@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_awkward_names_do_not_change_structure(
    company: Company, language: str, kind: str, name: str
) -> None:
    templates = load_templates(language)
    plain = context(company, "Plain Ltd", contact_name="Plain Ltd")
    baseline = render(templates, kind, plain)  # type: ignore[arg-type]
    letter = render(templates, kind, context(company, name, contact_name=name))  # type: ignore[arg-type]
    _assert_same_structure(baseline, letter, name)
    # The only difference is the name itself, as one clean line (and escaped in HTML).
    assert letter.text == baseline.text.replace("Plain Ltd", inline_text(name))
    assert letter.html == baseline.html.replace("Plain Ltd", inline_html(name))


def _assert_same_structure(baseline: RenderedLetter, letter: RenderedLetter, name: str) -> None:
    # Plain text: same number of lines, and every line keeps its label.
    assert letter.text.count("\n") == baseline.text.count("\n")
    assert label_lines(letter.text)[:6] == label_lines(baseline.text)[:6]
    to_line = next(line for line in letter.text.split("\n") if line.startswith(("To:", "致：")))
    assert clean_inline(name).replace(FSI, "") in to_line.replace(FSI, "").replace(PDI, "")
    assert "\r" not in letter.text and "\x00" not in letter.text and "\u202e" not in letter.text
    # HTML: exactly the same elements and attributes; the name comes back as text, intact.
    got, want = skeleton(letter.html), skeleton(baseline.html)
    assert got.events == want.events
    shown = "".join(got.text).replace(FSI, "").replace(PDI, "")
    assert clean_inline(name) in shown
    assert "<script>" not in letter.html
    # The subject is one line.
    assert "\n" not in letter.subject and "\r" not in letter.subject


def test_placeholders_in_a_name_stay_literal(company: Company) -> None:
    letter = render(load_templates("en"), "instruction", context(company, "Costs $deadline Ltd"))
    assert "To: Costs $deadline Ltd" in letter.text
    assert "Costs 1 April 2026 Ltd" not in letter.text


def test_right_to_left_name_is_isolated(company: Company) -> None:
    name = "ئۇيغۇر توقۇمىچىلىق شىركىتى"
    letter = render(load_templates("en"), "instruction", context(company, name))
    assert f"To: {FSI}{name}{PDI}" in letter.text
    assert f"{FSI}{name}{PDI}" in letter.html
    plain = render(load_templates("en"), "instruction", context(company, "Latin Ltd"))
    assert FSI not in plain.text


def test_html_escapes_markup_and_attribute_breakers() -> None:
    company = Company(
        name='A&B "Quoted" <Co>',
        contact_email="buyer@ab.example",
        letterhead=["<img src=x onerror=alert(1)>", "Line 2"],
    )
    letter = render(load_templates("en"), "instruction", context(company, "X"))
    assert html.escape('A&B "Quoted" <Co>', quote=True) in letter.html
    assert "<img" not in letter.html
    assert 'href="mailto:buyer@ab.example"' in letter.html
    assert 'A&B "Quoted" <Co>\n<img src=x onerror=alert(1)>\nLine 2' in letter.text


def test_missing_supplier_id_and_contact_use_the_manifest_words(company: Company) -> None:
    en = render(load_templates("en"), "instruction", context(company, "X", supplier_id=None))
    zh = render(load_templates("zh"), "instruction", context(company, "X", supplier_id=None))
    assert "Supplier number: (none on file)" in en.text
    assert "供应商编号：（无）" in zh.text
    named = render(load_templates("en"), "instruction", context(company, "X", contact_name="Ms Li"))
    assert "Dear Ms Li," in named.text


def test_reminder_counts_days_left(company: Company) -> None:
    reminder = render(
        load_templates("en"), "reminder", context(company, "X", today=dt.date(2026, 3, 25))
    )
    assert "7 day(s) from today" in reminder.text
    assert reminder.subject.startswith("[FLG-B4-0123456789] Reminder")


def _copy_shipped(tmp_path: Path) -> Path:
    source = resources.files("forced_labour_guard").joinpath("data/templates/instructions/en")
    target = tmp_path / "custom" / "en"
    target.mkdir(parents=True)
    for entry in source.iterdir():
        (target / entry.name).write_bytes(entry.read_bytes())
    return target


def test_company_templates_replace_the_shipped_ones(tmp_path: Path, company: Company) -> None:
    folder = _copy_shipped(tmp_path)
    (folder / "letter.txt").write_text("$company to $supplier_name: answer by $deadline_iso.\n")
    letter = render(load_templates("en", tmp_path / "custom"), "instruction", context(company, "X"))
    assert letter.text == "Nordwind Outdoor GmbH to X: answer by 2026-04-01.\n"
    assert letter.subject.startswith("[FLG-B4-0123456789] ")  # the code adds the reference


def test_company_templates_are_checked(tmp_path: Path) -> None:
    folder = _copy_shipped(tmp_path)
    (folder / "letter.txt").write_text("Hello $supplier_nmae\n")
    with pytest.raises(InputError, match=r"letter\.txt.*\$supplier_nmae"):
        load_templates("en", tmp_path / "custom")
    (folder / "letter.txt").write_text("Costs $5\n")
    with pytest.raises(InputError, match=r"\$\$"):
        load_templates("en", tmp_path / "custom")
    (folder / "letter.txt").write_bytes("Grüße an $greeting\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"letter\.txt: template file is not UTF-8 text"):
        load_templates("en", tmp_path / "custom")
    (folder / "letter.txt").unlink()
    with pytest.raises(InputError, match="template file missing"):
        load_templates("en", tmp_path / "custom")
    shutil.rmtree(folder)
    with pytest.raises(InputError, match="no templates for language 'en'"):
        load_templates("en", tmp_path / "custom")
    with pytest.raises(InputError, match="no templates for language 'fr'"):
        load_templates("fr")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=60))
def test_any_name_keeps_the_structure(name: str) -> None:
    company = Company(name="Buyer", contact_email="b@buyer.example")
    templates = load_templates("en")
    baseline = render(templates, "instruction", context(company, "Plain Ltd"))
    letter = render(templates, "instruction", context(company, name))
    assert letter.text.count("\n") == baseline.text.count("\n")
    assert skeleton(letter.html).events == skeleton(baseline.html).events
