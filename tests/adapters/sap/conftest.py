from __future__ import annotations

from collections.abc import Iterator

import pytest

from forced_labour_guard.adapters.sap.adapter import SapAdapter
from forced_labour_guard.adapters.sap.gateway import SapGateway
from forced_labour_guard.adapters.sap.odata import ODataClient
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.settings import SapSettings
from forced_labour_guard.guard import Clock, Guard
from forced_labour_guard.store.base import Store
from tests.adapters.sap.fixtures import dataset
from tests.adapters.sap.gateway import FakeGateway


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway(dataset(), users={"FLG_COMM": "s3cret"})
    with fake.running():
        yield fake


def odata(
    gateway: FakeGateway, service: str = "API_BUSINESS_PARTNER", **options: object
) -> ODataClient:
    client = ODataClient(
        f"{gateway.url}/sap/opu/odata/sap/{service}",
        dialect=SapGateway("100"),
        sleep=lambda seconds: None,
        timeout=(2.0, 5.0),
        **options,  # type: ignore[arg-type]
    )
    client.session.auth = ("FLG_COMM", "s3cret")
    return client


@pytest.fixture
def bp(gateway: FakeGateway) -> ODataClient:
    return odata(gateway)


def settings_for(gateway: FakeGateway, **overrides: object) -> SapSettings:
    data: dict[str, object] = {
        "base_url": gateway.url,
        "sap_client": "100",
        "auth": {"kind": "basic", "user": "FLG_COMM", "password_env": "FLG_TEST_SAP_PASSWORD"},
        "max_attempts": 3,
        "regions": {"scheme": "iso_letters"},
        "origin": {
            "kind": "material_table",
            "materials": {"COTTON-YARN-01": {"country": "CN", "text": "Aksu, Xinjiang"}},
        },
        "enforcement": {"dry_run": False, "purchasing_orgs": ["1010"]},
    }
    data.update(overrides)
    return SapSettings.model_validate(data)


@pytest.fixture(autouse=True)
def _sap_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLG_TEST_SAP_PASSWORD", "s3cret")


def adapter_for(
    gateway: FakeGateway,
    *,
    store: Store | None = None,
    dry_run: bool | None = None,
    clock: Clock | None = None,
    **overrides: object,
) -> SapAdapter:
    settings = settings_for(gateway, **overrides)
    s4 = S4Client.from_settings(settings, sleep=lambda seconds: None)
    guard = Guard.default(clock=clock) if clock else Guard.default()
    return SapAdapter(s4, guard, settings, store=store, dry_run=dry_run)
