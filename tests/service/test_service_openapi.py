"""Property-based tests against the service's own OpenAPI document (schemathesis): whatever is
sent, valid or not, the running server answers no 5xx, only documented status codes and content
types, and bodies that match the documented schemas. Bounded so CI stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.service.conftest import EXAMPLES
from tests.service.service_helpers import TOKEN, ServiceProcess, clean_environment, write_token_file

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: Any, value: Any) -> bytes:
    """The batch endpoint's body is text (JSON lines); schemathesis sends what it generates."""
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


@pytest.fixture(scope="module")
def api_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    folder: Path = tmp_path_factory.mktemp("openapi")
    (folder / "lists").mkdir()
    process = ServiceProcess(
        [
            "--token-file",
            str(write_token_file(folder)),
            "--denied-entry",
            str(EXAMPLES / "denied_entry.csv"),
            "--store",
            str(folder / "audit.db"),
        ],
        clean_environment(folder / "lists"),
        folder / "service.log",
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def api_schema(api_service: ServiceProcess) -> Any:
    return schemathesis.openapi.from_url(api_service.base + "/openapi.json")


OPERATIONS = [
    ("POST", "/v1/purchase-orders/check"),
    ("POST", "/v1/suppliers/screen"),
    ("POST", "/v1/suppliers/screen-batch"),
    ("POST", "/v1/sap/purchase-orders/check"),
    ("GET", "/v1/lists"),
    ("POST", "/v1/lists/reload"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
]
"""Listed here rather than collected by schemathesis's pytest plugin, which does not run on the
pytest this project uses; ``test_every_documented_operation_is_exercised`` keeps the list whole."""


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_service_keeps_to_its_own_openapi_document(
    api_schema: Any, api_service: ServiceProcess, method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def keeps_to_the_document(case: Any) -> None:
        case.call_and_validate(
            base_url=api_service.base,
            headers={"Authorization": f"Bearer {TOKEN}"},
            checks=CHECKS,
            timeout=30,
        )

    keeps_to_the_document()


def test_every_documented_operation_is_exercised(api_service: ServiceProcess) -> None:
    document = api_service.get("/openapi.json").json()
    documented = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert documented == set(OPERATIONS)


def test_the_document_declares_the_bearer_scheme_and_the_request_bodies(
    api_service: ServiceProcess,
) -> None:
    document = api_service.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    body = document["paths"]["/v1/purchase-orders/check"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["$ref"].endswith("/PurchaseOrder")
    assert set(document["paths"]["/v1/purchase-orders/check"]["post"]["responses"]) >= {
        "200",
        "401",
        "413",
        "422",
        "503",
    }
