"""Behaviour under trouble: a store that fails, a list that disappears, a Guard that hangs or
cannot be built, shutdown, and several workers sharing one SQLite store. Never an allow."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from forced_labour_guard import Guard, PurchaseOrder
from forced_labour_guard.model import Decision
from forced_labour_guard.service.app import create_app
from forced_labour_guard.service.config import ServiceSettings
from forced_labour_guard.service.sap_messages import SapCheckResponse
from tests.service.conftest import EXAMPLES
from tests.service.service_helpers import (
    TOKEN,
    ServiceProcess,
    ThreadedService,
    clean_environment,
    sha256,
    write_token_file,
)

PO_CHECK = "/v1/purchase-orders/check"
CLEAN_PO = (EXAMPLES / "po_clean.json").read_bytes()
COMPANY_LIST = "name,country,source,date\nNorthwind Listed Trading,CN,Company review,2026-10-01\n"


def start(tmp_path: Path, *args: str, **env: str) -> ServiceProcess:
    tokens = write_token_file(tmp_path)
    lists_dir = tmp_path / "lists"
    lists_dir.mkdir(exist_ok=True)
    return ServiceProcess(
        ["--token-file", str(tokens), *args],
        clean_environment(lists_dir, **env),
        tmp_path / "service.log",
    )


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[ServiceProcess, Path]]:
    store = tmp_path / "audit.db"
    process = start(tmp_path, "--store", str(store))
    yield process, store
    process.stop()


def break_store(store: Path) -> None:
    """What a failing store looks like from the service: its tables can no longer be read."""
    with sqlite3.connect(store) as conn:
        conn.execute("ALTER TABLE first_seen RENAME TO first_seen_moved_away")


def test_a_store_that_fails_mid_run_answers_block_never_allow(
    stored: tuple[ServiceProcess, Path],
) -> None:
    service, store = stored
    assert service.post(PO_CHECK, data=CLEAN_PO).json()["action"] == "allow"
    break_store(store)
    answer = service.post(PO_CHECK, data=CLEAN_PO)
    assert answer.status_code == 200
    body = answer.json()
    assert body["action"] == "block"
    assert "SCREENING_UNAVAILABLE" in [f["code"] for f in body["findings"]]
    assert str(store.parent) not in answer.text  # no internal path in the answer
    assert service.logged(str(store.parent))  # the operator still sees it


def test_readyz_reports_the_store_that_fails(stored: tuple[ServiceProcess, Path]) -> None:
    service, store = stored
    assert service.get("/readyz").status_code == 200
    break_store(store)
    ready = service.get("/readyz")
    assert ready.status_code == 503
    assert [c["name"] for c in ready.json()["checks"] if not c["ok"]] == ["store"]


def test_with_503_configured_an_unavailable_screening_answers_503_with_the_block(
    tmp_path: Path,
) -> None:
    store = tmp_path / "audit.db"
    service = start(tmp_path, "--store", str(store), "--unavailable-status", "503")
    try:
        assert service.post(PO_CHECK, data=CLEAN_PO).status_code == 200
        break_store(store)
        answer = service.post(PO_CHECK, data=CLEAN_PO)
        assert answer.status_code == 503
        assert Decision.model_validate(answer.json()).action == "block"
        sap = service.post("/v1/sap/purchase-orders/check", data=CLEAN_PO)
        assert sap.status_code == 503
        SapCheckResponse.model_validate(sap.json())  # the documented 503 body
        assert sap.json()["messages"][0]["type"] == "E"
        assert sap.json()["messages"][0]["number"] == "090"
    finally:
        service.stop()


def test_readyz_flips_when_a_configured_list_disappears(tmp_path: Path) -> None:
    company = tmp_path / "company.csv"
    company.write_text(COMPANY_LIST, encoding="utf-8")
    service = start(tmp_path, "--list", str(company))
    try:
        assert service.get("/readyz").status_code == 200
        company.unlink()
        ready = service.get("/readyz")
        assert ready.status_code == 503
        failed = [c for c in ready.json()["checks"] if not c["ok"]]
        assert [c["name"] for c in failed] == ["list company.csv"]
        assert str(tmp_path) not in ready.text
        company.write_text(COMPANY_LIST, encoding="utf-8")
        assert service.get("/readyz").status_code == 200
    finally:
        service.stop()


def test_a_reload_screens_with_the_list_as_it_is_now_and_a_broken_one_blocks(
    tmp_path: Path,
) -> None:
    company = tmp_path / "company.csv"
    company.write_text(COMPANY_LIST, encoding="utf-8")
    service = start(tmp_path, "--list", str(company))
    newcomer = {"supplier": {"name": "Eastgate Cotton Ginning", "country": "CN"}}
    try:
        assert service.post(PO_CHECK, json_body=newcomer).json()["action"] == "allow"
        company.write_text(
            COMPANY_LIST + "Eastgate Cotton Ginning,CN,Company review,2026-11-20\n",
            encoding="utf-8",
        )
        reloaded = service.post("/v1/lists/reload", data=b"")
        assert reloaded.status_code == 200
        assert reloaded.json()["problems"] == []
        hit = service.post(PO_CHECK, json_body=newcomer).json()
        assert hit["action"] == "block"
        assert [f["code"] for f in hit["findings"]] == ["ENTITY_LIST"]
        company.write_text("not a list at all\n", encoding="utf-8")
        broken = service.post("/v1/lists/reload", data=b"").json()
        assert broken["problems"] and str(tmp_path) not in json.dumps(broken)
        assert service.post(PO_CHECK, json_body=newcomer).json()["action"] == "block"
        assert service.get("/readyz").status_code == 503
    finally:
        service.stop()


def test_with_a_list_check_interval_a_changed_list_is_used_without_a_reload_call(
    tmp_path: Path,
) -> None:
    company = tmp_path / "company.csv"
    company.write_text(COMPANY_LIST, encoding="utf-8")
    service = start(tmp_path, "--list", str(company), FLG_LIST_CHECK_SECONDS="0.2")
    newcomer = {"supplier": {"name": "Eastgate Cotton Ginning", "country": "CN"}}
    try:
        assert service.post(PO_CHECK, json_body=newcomer).json()["action"] == "allow"
        company.write_text(
            COMPANY_LIST + "Eastgate Cotton Ginning,CN,Company review,2026-11-20\n",
            encoding="utf-8",
        )
        actions = []
        for _ in range(100):  # the check runs between decisions once the interval has passed
            actions.append(service.post(PO_CHECK, json_body=newcomer).json()["action"])
            if actions[-1] == "block":
                break
            time.sleep(0.1)
        assert actions[-1] == "block"
        assert set(actions[:-1]) <= {"allow"}
    finally:
        service.stop()


def test_a_bad_list_check_interval_stops_flg_serve_before_listening(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "forced_labour_guard.cli", "serve"],
        capture_output=True,
        text=True,
        env=clean_environment(
            tmp_path, FLG_SERVICE_TOKEN_HASHES=sha256(TOKEN), FLG_LIST_CHECK_SECONDS="soon"
        ),
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "FLG_LIST_CHECK_SECONDS" in result.stderr


def test_a_list_that_cannot_be_loaded_blocks_every_decision_and_is_not_ready(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("no name column\nat all\n", encoding="utf-8")
    service = start(tmp_path, "--list", str(broken))
    try:
        body = service.post(PO_CHECK, data=CLEAN_PO).json()
        assert body["action"] == "block"
        assert "SCREENING_UNAVAILABLE" in [f["code"] for f in body["findings"]]
        assert str(tmp_path) not in json.dumps(body)
        assert service.get("/readyz").status_code == 503
        assert service.get("/v1/lists").json()["problems"]
    finally:
        service.stop()


def test_several_workers_share_one_sqlite_store_and_keep_its_chain_intact(
    tmp_path: Path,
) -> None:
    store = tmp_path / "audit.db"
    service = start(tmp_path, "--store", str(store), "--workers", "2")
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(
                pool.map(lambda _: service.post(PO_CHECK, data=CLEAN_PO).status_code, range(40))
            )
        assert answers == [200] * 40
        metrics = service.get("/metrics").text
        assert (
            'flg_decisions_total{action="allow",endpoint="purchase-orders/check"} 40.0' in metrics
        )
    finally:
        assert service.stop() == 0
    verify = subprocess.run(
        [
            sys.executable,
            "-m",
            "forced_labour_guard.cli",
            "audit",
            "verify",
            "--store",
            str(store),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["entries"] == 40


def test_sigterm_finishes_the_request_in_flight_and_closes_the_store(tmp_path: Path) -> None:
    store = tmp_path / "audit.db"
    service = start(tmp_path, "--store", str(store))
    supplier = (EXAMPLES / "supplier_clean.json").read_text("utf-8").replace("\n", " ")
    batch = ("\n".join([supplier] * 400) + "\n").encode()
    answer = service.post("/v1/suppliers/screen-batch", data=batch, stream=True)
    lines = answer.iter_lines()
    first = next(lines)
    service.process.send_signal(15)
    rest = [line for line in lines if line]
    assert len([first, *rest]) == 400
    assert service.stop() == 0
    log = service.log()
    assert "store closed: SqliteStore" in log
    assert "Traceback" not in log


# ------------------------------------------------------------------------ a Guard that misbehaves


class SlowGuard(Guard):
    """Screens correctly, but only after ``delay`` seconds."""

    delay = 3.0

    def check_purchase_order(self, po: PurchaseOrder, **kwargs: object) -> Decision:  # type: ignore[override]
        time.sleep(self.delay)
        return super().check_purchase_order(po)


class BrokenGuard(Guard):
    def check_purchase_order(self, po: PurchaseOrder, **kwargs: object) -> Decision:  # type: ignore[override]
        raise RuntimeError("/opt/secret/module.py exploded")


def threaded(build: object, **settings: object) -> ThreadedService:
    config = ServiceSettings(token_hashes=(sha256(TOKEN),), **settings)  # type: ignore[arg-type]
    return ThreadedService(create_app(config, build))  # type: ignore[arg-type]


def test_a_decision_past_the_time_limit_is_answered_block_in_time() -> None:
    service = threaded(lambda: SlowGuard.default(), request_timeout=0.5)
    try:
        started = time.monotonic()
        body = service.post(PO_CHECK, data=CLEAN_PO).json()
        assert time.monotonic() - started < SlowGuard.delay
        assert body["action"] == "block"
        assert body["findings"][0]["code"] == "SCREENING_UNAVAILABLE"
        assert "time limit of 0.5 seconds" in body["findings"][0]["detail"]
    finally:
        service.stop()


def test_an_error_escaping_the_guard_is_a_block_without_its_message_or_trace() -> None:
    service = threaded(lambda: BrokenGuard.default())
    try:
        answer = service.post(PO_CHECK, data=CLEAN_PO)
        assert answer.status_code == 200
        assert answer.json()["action"] == "block"
        assert "exploded" not in answer.text and "/opt/secret" not in answer.text
        assert "RuntimeError" in answer.json()["findings"][0]["detail"]
    finally:
        service.stop()


def test_a_guard_that_cannot_be_built_blocks_everything_and_is_not_ready() -> None:
    def build() -> Guard:
        raise OSError("disk gone at /var/lib/flg")

    service = threaded(build, unavailable_status=503)
    try:
        answer = service.post(PO_CHECK, data=CLEAN_PO)
        assert answer.status_code == 503
        assert answer.json()["action"] == "block"
        assert "/var/lib" not in answer.text
        assert service.get("/readyz").status_code == 503
        batch = service.post(
            "/v1/suppliers/screen-batch", data=(EXAMPLES / "suppliers.jsonl").read_bytes()
        )
        assert {json.loads(line)["action"] for line in batch.text.splitlines()} == {"block"}
    finally:
        service.stop()


def test_the_guard_is_built_used_and_closed_in_one_thread() -> None:
    threads: set[str] = set()

    class Recording(Guard):
        def check_purchase_order(self, po: PurchaseOrder, **kwargs: object) -> Decision:  # type: ignore[override]
            threads.add(threading.current_thread().name)
            return super().check_purchase_order(po)

    def build() -> Guard:
        threads.add(threading.current_thread().name)
        return Recording.default()

    service = threaded(build)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda _: service.post(PO_CHECK, data=CLEAN_PO), range(8)))
    finally:
        service.stop()
    assert len(threads) == 1


def test_flg_serve_refuses_to_start_without_a_token(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "forced_labour_guard.cli", "serve", "--port", "1"],
        capture_output=True,
        text=True,
        env=clean_environment(tmp_path),
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no bearer token configured" in result.stderr
    assert "Traceback" not in result.stderr


def test_flg_serve_refuses_a_bad_policy_before_listening(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[rules.A1]\naction = "allow"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "forced_labour_guard.cli", "serve", "--policy", str(policy)],
        capture_output=True,
        text=True,
        env=clean_environment(tmp_path, FLG_SERVICE_TOKEN_HASHES=sha256(TOKEN)),
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("flg: error:")


def test_a_rotated_token_from_the_environment_is_accepted_beside_the_file(tmp_path: Path) -> None:
    service = start(tmp_path, FLG_SERVICE_TOKEN_HASHES=sha256("next-token"))
    try:
        assert service.post(PO_CHECK, data=CLEAN_PO).status_code == 200
        assert service.post(PO_CHECK, data=CLEAN_PO, token="next-token").status_code == 200
        assert service.post(PO_CHECK, data=CLEAN_PO, token="next-token!").status_code == 401
    finally:
        service.stop()
