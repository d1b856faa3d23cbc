"""``flg instructions``: run a B4 instruction campaign and its B5 follow-up from the command line.

* ``issue``   send the instruction to every active supplier in a suppliers file (or write .eml files)
* ``status``  one line per instruction: issued, acknowledged, proof accepted/rejected, overdue; counts,
              and how many flagged suppliers still need an instruction
* ``pending`` suppliers a recorded screening flagged for a B4 instruction (an A4 finding, say) that
              have not been sent one yet, with the findings that flagged them
* ``ack``     record a supplier's answer with its proof documents (files, or a reply saved as .eml)
* ``review``  accept or reject the proof of the latest answer
* ``remind``  send the reminders due today and mark overdue suppliers

The campaign tables live in the store file (``--store`` or ``FLG_STORE``), next to the audit trail.
The SMTP password is read from an environment variable, never from the command line.
Exit status: 0 when everything went out (or nothing was due), 1 when some letters could not be sent,
2 for bad input or usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from email import message_from_binary_file, policy
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forced_labour_guard import settings
from forced_labour_guard.cli.audit import STORE_ENV, store_location
from forced_labour_guard.clock import utc_now
from forced_labour_guard.errors import InputError, UsageError, first_problem
from forced_labour_guard.instructions import followup
from forced_labour_guard.instructions.campaign import (
    Campaign,
    SendResult,
    acknowledge,
    review_latest,
    select_recipients,
)
from forced_labour_guard.instructions.campaign_store import CampaignStore, ProofFile
from forced_labour_guard.instructions.messages import attachments, reference_from_message
from forced_labour_guard.instructions.model import (
    CampaignSettings,
    Company,
    Instruction,
    PendingSupplier,
    ProofKind,
    Review,
    Status,
)
from forced_labour_guard.instructions.recipients import load_recipients
from forced_labour_guard.instructions.smtp import (
    Deliverer,
    EmlFolder,
    SmtpDeliverer,
    SmtpSettings,
)
from forced_labour_guard.instructions.text import clean_inline
from forced_labour_guard.store import sqlite_path

PASSWORD_ENV = settings.SMTP_PASSWORD.name
DEFAULT_CAMPAIGN = "B4"
EXIT_OK = 0
EXIT_SOME_FAILED = 1


# ----------------------------------------------------------------------------- small parsers


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _days(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of days like 7,1") from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError("reminder days must be 1 or more")
    return values


def _today(args: argparse.Namespace) -> dt.date:
    given: dt.date | None = getattr(args, "today", None)
    return given or utc_now().date()


def _store_path(args: argparse.Namespace, *, required: bool = True) -> str | None:
    location = store_location(args)
    if location is None:
        if required:
            raise UsageError(f"no store given: pass --store PATH or set {STORE_ENV}")
        return None
    return sqlite_path(location)


def _open_store(args: argparse.Namespace) -> CampaignStore:
    """An existing store: a typo in the path must not report an empty campaign."""
    path = _store_path(args)
    assert path is not None
    if not Path(path).exists():
        raise UsageError(f"{path}: no store there (check the path, or ${STORE_ENV})")
    return CampaignStore(path)


def _load_company(path: str) -> Company:
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror})", source=path) from None
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON ({error.msg}, line {error.lineno})", source=path) from None
    try:
        return Company.model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error)
        raise InputError(message, path=where or None, source=path) from None


# ----------------------------------------------------------------------------- delivery options


def _add_delivery_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_argument_group("where the letters go (one of --out or --smtp-host)")
    where.add_argument("--out", metavar="DIR", help="write each message as an .eml file here")
    where.add_argument("--smtp-host", metavar="HOST", help="send through this SMTP server")
    where.add_argument("--smtp-port", type=int, default=587, metavar="PORT")
    where.add_argument("--smtp-user", metavar="USER", help="log in as this user")
    where.add_argument(
        "--smtp-password-env",
        default=PASSWORD_ENV,
        metavar="VAR",
        help=f"environment variable holding the SMTP password (default {PASSWORD_ENV})",
    )
    where.add_argument(
        "--no-starttls",
        action="store_true",
        help="send without STARTTLS (only for a trusted local relay)",
    )
    where.add_argument("--smtp-timeout", type=float, default=30.0, metavar="SECONDS")
    where.add_argument("--smtp-attempts", type=int, default=4, metavar="N")
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be sent; send and record nothing"
    )


def _deliverer(args: argparse.Namespace) -> Deliverer | None:
    if args.dry_run:
        return None
    if bool(args.out) == bool(args.smtp_host):
        raise UsageError("give exactly one of --out DIR or --smtp-host HOST (or --dry-run)")
    if args.out:
        return EmlFolder(Path(args.out))
    if not args.smtp_timeout > 0:  # also refuses nan
        raise UsageError("--smtp-timeout must be more than 0 seconds")
    password = None
    if args.smtp_user:
        password = settings.secret(args.smtp_password_env)
        if password is None:
            raise UsageError(
                f"--smtp-user given but ${args.smtp_password_env} is not set; put the password "
                "in that environment variable"
            )
    return SmtpDeliverer(
        SmtpSettings(
            host=args.smtp_host,
            port=args.smtp_port,
            username=args.smtp_user,
            password=password,
            starttls=not args.no_starttls,
            timeout=args.smtp_timeout,
            attempts=max(args.smtp_attempts, 1),
        )
    )


def _connection(deliverer: Deliverer | None) -> AbstractContextManager[object]:
    """Around a whole command: an SMTP connection is opened on the first letter, kept for every
    campaign the command sends, and closed with QUIT at the end; other deliverers hold nothing."""
    return deliverer if isinstance(deliverer, SmtpDeliverer) else nullcontext()


def _print_results(results: list[SendResult], as_json: bool) -> int:
    for r in results:
        if as_json:
            print(json.dumps(r.__dict__, ensure_ascii=False))
        else:
            key, detail = clean_inline(r.supplier_key), clean_inline(r.detail)
            print(f"{r.outcome:<8} {r.reference}  {key}  <{r.email}>  {detail}")
    counts = Counter(r.outcome for r in results)
    summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing"
    print(f"flg instructions: {summary}", file=sys.stderr)
    return EXIT_SOME_FAILED if counts.get("failed") else EXIT_OK


# ----------------------------------------------------------------------------- issue


def _issue(args: argparse.Namespace) -> int:
    company = _load_company(args.company)
    recipients = select_recipients(
        load_recipients(Path(args.suppliers)),
        only=args.only,
        include_inactive=args.include_inactive,
    )
    try:
        settings = CampaignSettings(
            response_days=args.response_days,
            reminder_days_before=args.remind_days,
            language=args.language,
        )
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(str(first["msg"]), path=f"--{first['loc'][0]}".replace("_", "-")) from None
    deliverer = _deliverer(args)
    templates = Path(args.templates) if args.templates else None
    path = _store_path(args, required=deliverer is not None)
    if path is None or (deliverer is None and not Path(path).exists()):
        path = ":memory:"  # a dry run creates nothing
    with CampaignStore(path) as store, _connection(deliverer):
        campaign = Campaign(
            store,
            args.campaign,
            company=company,
            settings=settings,
            templates_dir=templates,
            from_address=args.from_address,
        )
        results = campaign.issue(recipients, deliverer, today=_today(args), resend=args.resend)
    return _print_results(results, args.json)


# ----------------------------------------------------------------------------- remind


def _remind(args: argparse.Namespace) -> int:
    deliverer = _deliverer(args)
    today = _today(args)
    with _open_store(args) as store, _connection(deliverer):
        names = [args.campaign] if args.campaign else store.campaigns()
        results: list[SendResult] = []
        for name in names:
            campaign = Campaign(
                store,
                name,
                templates_dir=Path(args.templates) if args.templates else None,
                from_address=args.from_address,
            )
            if deliverer is None:
                due = campaign.reminders_due(today)
                results += [SendResult.of(i, "dry-run", "reminder due") for i in due]
                continue
            results += campaign.remind(deliverer, today=today)
            for instruction in campaign.mark_overdue(today=today):
                key = clean_inline(instruction.supplier_key)
                print(
                    f"overdue  {instruction.reference}  {key}  deadline "
                    f"{instruction.deadline.isoformat()}: NO_B4_ACK (B5)",
                    file=sys.stderr,
                )
    return _print_results(results, args.json)


# ----------------------------------------------------------------------------- status


STATUS_ORDER = [
    Status.ISSUED,
    Status.ACKNOWLEDGED,
    Status.PROOF_REJECTED,
    Status.PROOF_ACCEPTED,
    Status.OVERDUE,
    Status.DRAFT,
]


def _row(instruction: Instruction, today: dt.date) -> dict[str, Any]:
    state = followup.status(instruction, today)
    proofs = [p for a in instruction.acknowledgements for p in a.proofs]
    return {
        "reference": instruction.reference,
        "campaign": instruction.campaign,
        "supplier": instruction.supplier_key,
        "name": instruction.supplier_name,
        "email": instruction.email,
        "issued_on": instruction.issued_on.isoformat(),
        "deadline": instruction.deadline.isoformat(),
        "status": state.value,
        "reminders": len(instruction.reminders),
        "answers": len(instruction.acknowledgements),
        "proof_documents": len(proofs),
        "overdue_since": instruction.overdue_since.isoformat() if state is Status.OVERDUE else None,
    }


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese, Japanese and Korean characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int) -> str:
    """Shorten for the table, as one clean line: a supplier's name or key (its name when it has no
    id) comes from a file and may hold line breaks or terminal escape sequences."""
    line = clean_inline(text)
    return line if len(line) <= width else line[: width - 1] + "…"


def _status(args: argparse.Namespace) -> int:
    today = _today(args)
    with _open_store(args) as store:
        records = store.instructions(campaign=args.campaign, supplier_key=args.supplier)
        waiting = store.pending(supplier_key=args.supplier)
    rows = [_row(r, today) for r in records]
    counts = Counter(row["status"] for row in rows)
    if args.json:
        print(
            json.dumps(
                {
                    "today": today.isoformat(),
                    "counts": dict(counts),
                    "instructions": rows,
                    "needs_instruction": [p.supplier_key for p in waiting],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    header = ("reference", "supplier", "name", "issued", "deadline", "status", "rem", "ans", "docs")
    table = [header] + [
        (
            row["reference"],
            _clip(row["supplier"], 24),
            _clip(row["name"], 28),
            row["issued_on"],
            row["deadline"],
            row["status"],
            str(row["reminders"]),
            str(row["answers"]),
            str(row["proof_documents"]),
        )
        for row in rows
    ]
    widths = [max(_width(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        cells = (cell + " " * (w - _width(cell)) for cell, w in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip())
    print(
        f"\n{len(rows)} instruction(s) on {today.isoformat()}: "
        + ", ".join(f"{counts.get(s.value, 0)} {s.value.replace('_', ' ')}" for s in STATUS_ORDER)
    )
    if waiting:
        names = ", ".join(_clip(p.supplier_key, 24) for p in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        print(
            f"{len(waiting)} supplier(s) flagged by screening need an instruction: {names}{more} "
            "(see 'flg instructions pending')"
        )
    return EXIT_OK


# ----------------------------------------------------------------------------- pending


def _pending_row(entry: PendingSupplier) -> dict[str, Any]:
    return {
        "supplier": entry.supplier_key,
        "name": entry.supplier.name,
        "first_flagged_on": entry.first_flagged_on.isoformat(),
        "last_flagged_on": entry.last_flagged_on.isoformat(),
        "supplier_record": entry.supplier.model_dump(mode="json", exclude_none=True),
        "reasons": [reason.model_dump(mode="json") for reason in entry.reasons],
    }


def _pending(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        waiting = store.pending(supplier_key=args.supplier)
    if args.json:
        print(
            json.dumps(
                {"count": len(waiting), "pending": [_pending_row(p) for p in waiting]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    for entry in waiting:
        print(
            f"{_clip(entry.supplier_key, 24)}  {_clip(entry.supplier.name, 40)}  "
            f"flagged {entry.first_flagged_on.isoformat()}"
        )
        for reason in entry.reasons:
            where = (
                f" in {clean_inline(reason.decision_subject)}" if reason.decision_subject else ""
            )
            print(
                f"    {reason.code} {clean_inline(reason.subject)}{where} "
                f"({reason.first_flagged_on.isoformat()}): {clean_inline(reason.detail)}"
            )
    if not waiting:
        print("No flagged supplier is waiting for a B4 instruction.")
        return EXIT_OK
    print(
        f"\n{len(waiting)} supplier(s) need a B4 instruction. Add each one's e-mail to the suppliers "
        "file and run 'flg instructions issue' (with --only ID to reach just them)."
    )
    return EXIT_OK


# ----------------------------------------------------------------------------- ack and review


def _read_proofs(args: argparse.Namespace) -> list[ProofFile]:
    proofs: list[ProofFile] = []
    for kind, paths in (
        (ProofKind.ATTESTATION, args.attestation),
        (ProofKind.TRACEABILITY, args.traceability),
        (ProofKind.TEST_REPORT, args.test_report),
        (ProofKind.OTHER, args.other),
    ):
        for path in paths:
            file = Path(path)
            try:
                proofs.append(ProofFile(file.name, file.read_bytes(), kind))
            except OSError as error:
                raise InputError(f"cannot read proof ({error.strerror})", source=path) from None
    return proofs


def _read_reply(path: str, kind: ProofKind) -> tuple[str | None, list[ProofFile]]:
    try:
        with open(path, "rb") as stream:
            message = message_from_binary_file(stream, policy=policy.default)
    except OSError as error:
        raise InputError(f"cannot read the reply ({error.strerror})", source=path) from None
    files = [ProofFile(name, content, kind) for name, content in attachments(message)]
    return reference_from_message(message), files


def _ack(args: argparse.Namespace) -> int:
    if args.accept and args.reject:
        raise UsageError("give --accept or --reject, not both")
    proofs = _read_proofs(args)
    reference = args.reference
    if args.eml:
        found, files = _read_reply(args.eml, ProofKind(args.eml_kind))
        if reference and found and found != reference:
            raise InputError(f"the reply is about {found}, not {reference}", source=args.eml)
        reference = reference or found
        proofs += files
    if not reference:
        raise UsageError("give the instruction's REFERENCE (none found in the reply)")
    review = Review.ACCEPTED if args.accept else Review.REJECTED if args.reject else None
    if review is not None and not args.reviewer:
        raise UsageError("--accept/--reject need --reviewer NAME")
    with _open_store(args) as store:
        ack = acknowledge(
            store,
            reference,
            received_on=args.received or _today(args),
            proofs=proofs,
            signed_by=args.signed_by,
            note=args.note,
            recorded_by=args.recorded_by,
            review=review,
            reviewer=args.reviewer or "",
            review_note=args.review_note,
        )
    print(f"acknowledgement {ack.id} for {reference}: {ack.review.value}")
    for proof in ack.proofs:
        print(f"  {proof.kind.value:<12} {proof.sha256}  {proof.size:>9}  {proof.file_name}")
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    if args.accept == args.reject:
        raise UsageError("give exactly one of --accept or --reject")
    with _open_store(args) as store:
        ack = review_latest(
            store, args.reference, accepted=args.accept, reviewer=args.reviewer, note=args.note
        )
    print(f"acknowledgement {ack.id} for {args.reference}: {ack.review.value} by {ack.reviewed_by}")
    return EXIT_OK


# ----------------------------------------------------------------------------- registration


def _add_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="PATH",
        help=f"SQLite store holding the campaign (default: ${STORE_ENV})",
    )


def _add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="run as of this date (default: today, UTC); for catching up or rehearsing",
    )


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "instructions",
        help="B4 instruction campaign to suppliers and B5 follow-up",
        description="Send suppliers the B4 instruction, record their answers and proof, remind "
        "them, and mark those overdue (NO_B4_ACK, step B5).",
    )
    commands = group.add_subparsers(dest="instructions_command", metavar="ACTION")
    commands.required = True

    issue = commands.add_parser("issue", help="send the instruction to suppliers")
    issue.add_argument("suppliers", metavar="SUPPLIERS", help="suppliers file (.jsonl/.json/.csv)")
    issue.add_argument("--company", required=True, metavar="FILE", help="company.json (sender)")
    issue.add_argument("--campaign", default=DEFAULT_CAMPAIGN, help="campaign name (default B4)")
    issue.add_argument(
        "--language", default="en", help="letter language when a supplier has none (en, zh)"
    )
    issue.add_argument("--templates", metavar="DIR", help="the company's own template folder")
    issue.add_argument("--response-days", type=int, default=30, metavar="DAYS")
    issue.add_argument(
        "--remind-days", type=_days, default=(7, 1), metavar="7,1", help="reminder schedule"
    )
    issue.add_argument(
        "--only", action="append", default=[], metavar="ID", help="only this supplier (repeat)"
    )
    issue.add_argument("--include-inactive", action="store_true")
    issue.add_argument("--resend", action="store_true", help="send again to suppliers already sent")
    issue.add_argument("--from", dest="from_address", metavar="ADDR", help="envelope sender")
    issue.add_argument("--json", action="store_true", help="JSON lines, one per supplier")
    _add_delivery_options(issue)
    _add_store(issue)
    _add_today(issue)
    issue.set_defaults(func=_issue)

    status = commands.add_parser("status", help="where every instruction stands, with counts")
    status.add_argument("--campaign", help="only this campaign")
    status.add_argument("--supplier", metavar="ID", help="only this supplier (id, else name)")
    status.add_argument("--json", action="store_true")
    _add_store(status)
    _add_today(status)
    status.set_defaults(func=_status)

    pending = commands.add_parser(
        "pending",
        help="suppliers a screening flagged for a B4 instruction that have not been sent one",
        description="Suppliers that a screening recorded in this store flagged for a B4 "
        "instruction (an A4 finding, say), with the findings behind it. A supplier leaves the list "
        "once an instruction to it is sent in any campaign. The screened supplier record has no "
        "e-mail address: add one to the suppliers file before issuing.",
    )
    pending.add_argument("--supplier", metavar="ID", help="only this supplier (id, else name)")
    pending.add_argument("--json", action="store_true")
    _add_store(pending)
    pending.set_defaults(func=_pending)

    ack = commands.add_parser("ack", help="record a supplier's answer and its proof")
    ack.add_argument("reference", nargs="?", metavar="REFERENCE", help="e.g. FLG-B4-3F9A2C71D0")
    ack.add_argument("--attestation", action="append", default=[], metavar="FILE")
    ack.add_argument("--traceability", action="append", default=[], metavar="FILE")
    ack.add_argument("--test-report", action="append", default=[], metavar="FILE")
    ack.add_argument("--other", action="append", default=[], metavar="FILE")
    ack.add_argument("--eml", metavar="REPLY.eml", help="the reply; its attachments become proof")
    ack.add_argument(
        "--eml-kind",
        choices=[k.value for k in ProofKind],
        default=ProofKind.OTHER.value,
        help="kind of proof the reply's attachments are (default other)",
    )
    ack.add_argument("--received", type=_date, metavar="YYYY-MM-DD", help="default: today")
    ack.add_argument("--signed-by", default="", metavar="NAME")
    ack.add_argument("--note", default="")
    ack.add_argument("--recorded-by", default="", metavar="NAME")
    ack.add_argument("--accept", action="store_true", help="accept the proof now")
    ack.add_argument("--reject", action="store_true", help="reject the proof now")
    ack.add_argument("--reviewer", metavar="NAME")
    ack.add_argument("--review-note", default="")
    _add_store(ack)
    _add_today(ack)
    ack.set_defaults(func=_ack)

    review = commands.add_parser("review", help="accept or reject the latest answer's proof")
    review.add_argument("reference", metavar="REFERENCE")
    review.add_argument("--accept", action="store_true")
    review.add_argument("--reject", action="store_true")
    review.add_argument("--reviewer", required=True, metavar="NAME")
    review.add_argument("--note", default="")
    _add_store(review)
    review.set_defaults(func=_review)

    remind = commands.add_parser(
        "remind", help="send the reminders due today and mark overdue suppliers"
    )
    remind.add_argument("--campaign", help="only this campaign (default: all)")
    remind.add_argument("--templates", metavar="DIR", help="the company's own template folder")
    remind.add_argument("--from", dest="from_address", metavar="ADDR", help="envelope sender")
    remind.add_argument("--json", action="store_true")
    _add_delivery_options(remind)
    _add_store(remind)
    _add_today(remind)
    remind.set_defaults(func=_remind)
