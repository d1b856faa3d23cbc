from __future__ import annotations

from collections.abc import Iterator

import pytest

from forced_labour_guard.adapters.sap.gateway import SapGateway
from forced_labour_guard.adapters.sap.odata import ODataClient
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
