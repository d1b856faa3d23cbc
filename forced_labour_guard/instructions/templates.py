"""Letter templates: load a language's set (shipped or the company's own) and render it safely.

Templates are plain ``string.Template`` text: ``$name`` placeholders and nothing else, no loops, no
expressions. Substitution is a single pass, so a supplier called ``$deadline`` stays literally
``$deadline``. Every value is cleaned first (:mod:`.text`): one line, no controls, right-to-left runs
isolated; HTML parts are escaped on top. What a value contains therefore cannot change the letter's
structure: its lines, its headings or its HTML elements.

The shipped set lives in ``forced_labour_guard/data/templates/instructions/<language>/``; a company can
point at a folder of its own with the same layout. Rendering is pure; loading reads files once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forced_labour_guard.errors import InputError
from forced_labour_guard.instructions.model import Company
from forced_labour_guard.instructions.text import (
    clean_inline,
    inline_html,
    inline_text,
    lines_html,
    lines_text,
)

Kind = Literal["instruction", "reminder"]

TEMPLATE_FILES: Final = {
    "instruction": ("subject.txt", "letter.txt", "letter.html"),
    "reminder": ("reminder_subject.txt", "reminder.txt", "reminder.html"),
}

PLACEHOLDERS: Final = frozenset(
    {
        "company",  # the buyer's name
        "letterhead",  # the buyer's address lines (several lines)
        "contact_name",
        "contact_email",
        "contact_phone",
        "supplier_name",
        "supplier_id",  # the buyer's number for the supplier, or the manifest's "missing" word
        "greeting",  # the recipient's contact name, or the manifest's default greeting
        "reference",  # the instruction's reference, e.g. FLG-B4-3F9A2C71D0
        "campaign",
        "issue_date",
        "issue_date_iso",
        "deadline",
        "deadline_iso",
        "today",  # date of this message (the issue date for the instruction itself)
        "days_left",  # days from today to the deadline (reminders)
        "response_days",  # days from issue to deadline
    }
)

_SHIPPED_ROOT: Final = "data/templates/instructions"


class Manifest(BaseModel):
    """Per-language settings: how to write a date and what to say when a value is missing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field(min_length=1)
    name: str = ""
    aliases: list[str] = Field(default_factory=list)
    date_format: str = "{year:04d}-{month:02d}-{day:02d}"
    month_names: list[str] = Field(default_factory=list)
    default_greeting: str = "Sir or Madam"
    missing: str = "-"

    def format_date(self, day: dt.date) -> str:
        month_name = (
            self.month_names[day.month - 1] if len(self.month_names) == 12 else str(day.month)
        )
        return self.date_format.format(
            year=day.year, month=day.month, day=day.day, month_name=month_name
        )


@dataclass(frozen=True)
class TemplateSet:
    """One language's templates, checked: every file present, every placeholder known."""

    manifest: Manifest
    templates: Mapping[str, Template]
    source: str

    @property
    def language(self) -> str:
        return self.manifest.language


@dataclass(frozen=True)
class LetterContext:
    """Everything a letter says about who writes to whom, about what and by when."""

    company: Company
    supplier_name: str
    supplier_id: str | None
    contact_name: str
    reference: str
    campaign: str
    issued_on: dt.date
    deadline: dt.date
    today: dt.date


@dataclass(frozen=True)
class RenderedLetter:
    """A rendered instruction or reminder: the subject line and both bodies."""

    kind: Kind
    language: str
    reference: str
    subject: str
    text: str
    html: str


def _shipped_root() -> Traversable:
    return resources.files("forced_labour_guard").joinpath(_SHIPPED_ROOT)


def _language_dirs(root: Traversable) -> dict[str, Traversable]:
    return {entry.name: entry for entry in root.iterdir() if entry.is_dir()}


def _read_manifest(folder: Traversable, source: str) -> Manifest:
    manifest_file = folder.joinpath("manifest.json")
    if not manifest_file.is_file():
        return Manifest(language=folder.name)
    try:
        return Manifest.model_validate(json.loads(manifest_file.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as error:
        raise InputError(f"invalid template manifest ({error})", source=source) from None


def available_languages(directory: Path | None = None) -> list[str]:
    """Languages with a template folder, shipped or in ``directory``."""
    root: Traversable = directory if directory is not None else _shipped_root()
    if not root.is_dir():
        raise InputError("template folder not found", source=str(directory))
    return sorted(_language_dirs(root))


def _resolve(language: str, root: Traversable, source: str) -> tuple[str, Traversable]:
    wanted = language.strip().lower().replace("_", "-")
    folders = _language_dirs(root)
    if wanted in folders:
        return wanted, folders[wanted]
    for name, folder in folders.items():
        if wanted in (alias.lower() for alias in _read_manifest(folder, source).aliases):
            return name, folder
    raise InputError(
        f"no templates for language {language!r}; available: {', '.join(sorted(folders)) or 'none'}",
        source=source,
    )


def _check(template: Template, source: str) -> Template:
    if not template.is_valid():
        raise InputError(
            "a '$' that is not a placeholder; write '$$' for a dollar sign", source=source
        )
    unknown = sorted(set(template.get_identifiers()) - PLACEHOLDERS)
    if unknown:
        raise InputError(
            f"unknown placeholder(s) {', '.join('$' + name for name in unknown)}; "
            f"known: {', '.join(sorted(PLACEHOLDERS))}",
            source=source,
        )
    return template


def load_templates(language: str, directory: Path | None = None) -> TemplateSet:
    """The checked template set for ``language`` ("en", "zh", an alias like "zh-CN", ...).

    ``directory`` is a company's own template folder (``<directory>/<language>/letter.txt`` ...);
    every file must be there, so a letter never mixes the company's wording with ours.
    """
    root: Traversable = directory if directory is not None else _shipped_root()
    origin = str(directory) if directory is not None else "shipped templates"
    if not root.is_dir():
        raise InputError("template folder not found", source=origin)
    name, folder = _resolve(language, root, origin)
    manifest = _read_manifest(folder, f"{origin}/{name}/manifest.json")
    templates: dict[str, Template] = {}
    for files in TEMPLATE_FILES.values():
        for file_name in files:
            source = f"{origin}/{name}/{file_name}"
            entry = folder.joinpath(file_name)
            if not entry.is_file():
                raise InputError("template file missing", source=source)
            try:
                text = entry.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise InputError("template file is not UTF-8 text", source=source) from None
            templates[file_name] = _check(Template(text), source)
    return TemplateSet(manifest=manifest, templates=templates, source=f"{origin}/{name}")


def _values(ctx: LetterContext, manifest: Manifest, *, html: bool) -> dict[str, str]:
    one = inline_html if html else inline_text
    many = lines_html if html else lines_text
    company = ctx.company
    return {
        "company": one(company.name),
        "letterhead": many(company.letterhead),
        "contact_name": one(company.contact_name),
        "contact_email": one(company.contact_email),
        "contact_phone": one(company.contact_phone),
        "supplier_name": one(ctx.supplier_name),
        "supplier_id": one(ctx.supplier_id or manifest.missing),
        "greeting": one(ctx.contact_name or manifest.default_greeting),
        "reference": one(ctx.reference),
        "campaign": one(ctx.campaign),
        "issue_date": one(manifest.format_date(ctx.issued_on)),
        "issue_date_iso": ctx.issued_on.isoformat(),
        "deadline": one(manifest.format_date(ctx.deadline)),
        "deadline_iso": ctx.deadline.isoformat(),
        "today": one(manifest.format_date(ctx.today)),
        "days_left": str(max((ctx.deadline - ctx.today).days, 0)),
        "response_days": str((ctx.deadline - ctx.issued_on).days),
    }


def render(templates: TemplateSet, kind: Kind, ctx: LetterContext) -> RenderedLetter:
    """Render the instruction or a reminder. The subject always starts with ``[reference]``."""
    subject_file, text_file, html_file = TEMPLATE_FILES[kind]
    text_values = _values(ctx, templates.manifest, html=False)
    html_values = _values(ctx, templates.manifest, html=True)
    subject = clean_inline(templates.templates[subject_file].substitute(text_values))
    return RenderedLetter(
        kind=kind,
        language=templates.language,
        reference=ctx.reference,
        subject=f"[{clean_inline(ctx.reference)}] {subject}",
        text=templates.templates[text_file].substitute(text_values),
        html=templates.templates[html_file].substitute(html_values),
    )
