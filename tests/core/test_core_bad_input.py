"""Bad input is a clean error (exit 2, a message naming the problem), never a decision from damaged
input; the Python API refuses what is not a record. Regression tests for issue 9 ("Bad input")."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from forced_labour_guard import Guard, PurchaseOrder, Supplier
from forced_labour_guard.cli import main
from forced_labour_guard.model import Action, FindingCode
from forced_labour_guard.store import SqliteStore
from forced_labour_guard.store.audited import AuditedGuard

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *extra: str
) -> tuple[int, str, str]:
    record = tmp_path / "record.json"
    record.write_text(text, encoding="utf-8")
    code = main(["check-po", str(record), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_duplicate_key_is_an_error_naming_the_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (
        '{"supplier": {"name": "A", "addresses": [{"city": "Urumqi"}],'
        ' "addresses": [{"city": "Berlin"}]}}'
    )
    code, out, err = run(capsys, tmp_path, text)
    assert code == 2
    assert out == ""
    assert "supplier.addresses: duplicate key 'addresses'" in err


def test_the_same_key_in_two_different_objects_is_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = '{"supplier": {"name": "A", "addresses": [{"city": "Berlin"}, {"city": "Munich"}]}}'
    code, out, _ = run(capsys, tmp_path, text)
    assert code == 0
    assert "ALLOW" in out


@pytest.mark.parametrize(
    "quantity", ["1e400", '"1e400"', "-1e400", '"1e-400"', "1e300", "NaN", "Infinity"]
)
def test_a_quantity_outside_any_sane_range_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, quantity: str
) -> None:
    text = '{"supplier": {"name": "A"}, "lines": [{"quantity": QTY}]}'.replace("QTY", quantity)
    code, out, err = run(capsys, tmp_path, text)
    assert code == 2
    assert out == ""
    assert "flg: error:" in err and "internal" not in err
    assert "lines[0].quantity" in err


def test_a_number_with_thousands_of_digits_is_an_error_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    quantity = "1" + "0" * 5000  # more digits than Python converts to an int by default
    text = '{"supplier": {"name": "A"}, "lines": [{"quantity": QTY}]}'.replace("QTY", quantity)
    code, out, err = run(capsys, tmp_path, text)
    assert code == 2
    assert out == ""
    assert "flg: error:" in err and "internal" not in err
    assert "more than" in err and "digits" in err


def test_a_number_with_thousands_of_digits_leaves_the_rest_of_a_batch_screened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    batch = tmp_path / "suppliers.jsonl"
    batch.write_text(
        '{"name": "A", "id": ' + "1" * 5000 + "}\n"
        '{"name": "B", "addresses": [{"city": "Urumqi", "country": "CN"}]}\n',
        encoding="utf-8",
    )
    code = main(["screen-suppliers", str(batch)])
    out, err = capsys.readouterr()
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 2
    assert first["action"] is None and "digits" in first["error"]
    assert second["action"] == "block"
    assert "internal" not in err


@pytest.mark.parametrize("quantity", ["12", '"12.50"', "0", "1000000"])
def test_ordinary_quantities_are_accepted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, quantity: str
) -> None:
    line = '{"quantity": QTY, "unit_price": 3.25}'.replace("QTY", quantity)
    text = '{"supplier": {"name": "A"}, "lines": [' + line + "]}"
    assert run(capsys, tmp_path, text)[0] == 0


def test_a_duplicate_key_inside_a_csv_cell_is_an_error_for_that_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "s.csv"
    batch.write_text(
        'name,addresses\nA,"[{""city"": ""Urumqi"", ""city"": ""Berlin""}]"\nB,\n', encoding="utf-8"
    )
    code = main(["screen-suppliers", str(batch), "--quiet"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 2
    assert "addresses[0].city: duplicate key 'city'" in out[0]["error"]
    assert out[1]["action"] == "allow"


def test_closed_standard_input_is_a_clean_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["check-po", "-"]) == 2
    assert main(["screen-suppliers", "-", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "standard input is closed" in err
    assert "internal error" not in err


def test_closed_standard_input_in_a_real_process_exits_2() -> None:
    result = subprocess.run(
        ["/bin/sh", "-c", f'"{sys.executable}" -m forced_labour_guard.cli check-po - <&-'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "standard input is closed" in result.stderr
    assert "Traceback" not in result.stderr


def test_standard_input_that_is_open_still_reads(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = json.dumps({"supplier": {"name": "A", "addresses": [{"city": "Urumqi"}]}})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload.encode())))
    assert main(["check-po", "-", "--fail-on", "block"]) == 1


# --- The Python API -----------------------------------------------------------------------


@pytest.mark.parametrize("wrong", [{"supplier": {"name": "A"}}, None, "PO-1", 42])
def test_check_purchase_order_refuses_what_is_not_a_purchase_order(wrong: Any) -> None:
    with pytest.raises(TypeError, match="expects a PurchaseOrder"):
        Guard.default().check_purchase_order(wrong)


@pytest.mark.parametrize(
    "wrong", [{"name": "A"}, None, PurchaseOrder.model_validate({"supplier": {"name": "A"}})]
)
def test_screen_supplier_refuses_what_is_not_a_supplier(wrong: Any) -> None:
    with pytest.raises(TypeError, match="expects a Supplier"):
        Guard.default().screen_supplier(wrong)


def test_a_dict_gets_a_hint_to_validate_it_first() -> None:
    with pytest.raises(TypeError, match=r"Supplier\.model_validate"):
        Guard.default().screen_supplier({"name": "A"})  # type: ignore[arg-type]


def test_screen_suppliers_reports_a_bad_item_on_its_own_and_goes_on() -> None:
    good = Supplier(name="Berlin Buttons GmbH", country="DE")
    items: list[Any] = [good, {"name": "raw dict"}, None, good]
    decisions = list(Guard(clock=lambda: NOW).screen_suppliers(items))
    assert [d.action for d in decisions] == [Action.ALLOW, Action.BLOCK, Action.BLOCK, Action.ALLOW]
    bad = decisions[1]
    assert bad.subject == "item 2"
    assert [f.code for f in bad.findings] == [FindingCode.SCREENING_UNAVAILABLE]
    assert "is of type dict, not a Supplier" in bad.findings[0].detail
    assert "NoneType" in decisions[2].findings[0].detail


def test_screen_suppliers_refuses_a_single_record_instead_of_a_batch() -> None:
    with pytest.raises(TypeError, match="iterable of Supplier"):
        list(Guard.default().screen_suppliers(Supplier(name="A")))


def test_the_audited_guard_refuses_wrong_types_and_keeps_a_batch_going(tmp_path: Path) -> None:
    guard = AuditedGuard(Guard(clock=lambda: NOW), SqliteStore(tmp_path / "flg.sqlite"))
    with pytest.raises(TypeError, match="expects a PurchaseOrder"):
        guard.check_purchase_order({"supplier": {"name": "A"}})  # type: ignore[arg-type]
    decisions = list(guard.screen_suppliers([None, Supplier(name="Berlin Buttons GmbH")]))  # type: ignore[list-item]
    assert [d.action for d in decisions] == [Action.BLOCK, Action.ALLOW]


def test_a_policy_or_register_in_json_with_a_repeated_key_is_refused(tmp_path: Path) -> None:
    from forced_labour_guard.denied_entry import load_denied_entry
    from forced_labour_guard.errors import InputError, PolicyError
    from forced_labour_guard.policy import load_policy

    policy = tmp_path / "policy.json"
    policy.write_text('{"matching": {"block_threshold": 0.9, "block_threshold": 0.5}}')
    with pytest.raises(PolicyError, match=r"matching\.block_threshold: duplicate key"):
        load_policy(policy)
    register = tmp_path / "denied.json"
    register.write_text('[{"sku": "A-1", "sku": "B-2"}]')
    with pytest.raises(InputError, match=r"\[0\]\.sku: duplicate key"):
        load_denied_entry(register)


def test_a_bad_batch_items_decision_names_the_lists_and_their_caveats_like_any_other() -> None:
    guard = Guard.default(clock=lambda: NOW)
    good, bad = list(guard.screen_suppliers([Supplier(name="Berlin Buttons GmbH"), 42]))  # type: ignore[list-item]
    assert bad.list_versions == good.list_versions != []
    assert bad.warnings == good.warnings
    assert "is of type int, not a Supplier" in bad.findings[0].detail


def test_a_denied_entry_register_that_is_not_utf8_is_an_input_error_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    register = tmp_path / "denied.csv"
    register.write_bytes("sku,lot\nZürich-1,L1\n".encode("latin-1"))
    record = tmp_path / "po.json"
    record.write_text('{"supplier": {"name": "A"}}', encoding="utf-8")
    code = main(["check-po", "--denied-entry", str(register), str(record)])
    _, err = capsys.readouterr()
    assert code == 2
    assert "not UTF-8" in err and "internal" not in err
