"""Exact OData V2 values, OAuth2 client credentials against the fake Gateway, and the HTTP edge
cases (timeouts) that are easier to stage with ``responses``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import requests
import responses

from forced_labour_guard.adapters.sap.errors import (
    SapAuthError,
    SapProtocolError,
    SapUnavailable,
    SapWriteOutcomeUnknown,
)
from forced_labour_guard.adapters.sap.gateway import SapGateway
from forced_labour_guard.adapters.sap.odata import ODataClient
from forced_labour_guard.adapters.sap.s4 import S4Client
from forced_labour_guard.adapters.sap.values import (
    Filter,
    parse_date,
    parse_datetime,
    parse_decimal,
)
from forced_labour_guard.errors import InputError
from tests.adapters.sap.conftest import settings_for
from tests.adapters.sap.gateway import FakeGateway


def test_date_without_offset_is_utc() -> None:
    assert parse_datetime("/Date(1492041600000)/") == dt.datetime(2017, 4, 13, tzinfo=dt.UTC)


def test_date_with_zero_offset_is_the_same_instant() -> None:
    assert parse_datetime("/Date(1492041600000+0000)/") == dt.datetime(2017, 4, 13, tzinfo=dt.UTC)


def test_date_offset_is_in_minutes_and_keeps_the_instant() -> None:
    moment = parse_datetime("/Date(1492041600000+0120)/")
    assert moment == dt.datetime(2017, 4, 13, tzinfo=dt.UTC)
    assert moment is not None and moment.utcoffset() == dt.timedelta(hours=2)


def test_dates_before_1970_and_milliseconds_are_exact() -> None:
    assert parse_datetime("/Date(-86400001)/") == dt.datetime(
        1969, 12, 30, 23, 59, 59, 999000, tzinfo=dt.UTC
    )
    assert parse_date("/Date(1796083200000)/") == dt.date(2026, 12, 1)


@pytest.mark.parametrize("blank", [None, ""])
def test_blank_dates_and_decimals_are_none(blank: object) -> None:
    assert parse_datetime(blank) is None
    assert parse_decimal(blank) is None


@pytest.mark.parametrize("bad", ["2017-04-13", "/Date(abc)/", "Date(1)", "/Date(1+1)/"])
def test_malformed_dates_are_protocol_errors(bad: str) -> None:
    with pytest.raises(SapProtocolError):
        parse_datetime(bad)


def test_decimals_are_exact_strings() -> None:
    assert parse_decimal("12000.000") == Decimal("12000.000")
    assert parse_decimal("0.1") + parse_decimal("0.2") == Decimal("0.3")  # type: ignore[operator]


@pytest.mark.parametrize("bad", ["1,5", "NaN", "Infinity", "ten", 0.1])
def test_bad_decimals_are_refused(bad: object) -> None:
    with pytest.raises(SapProtocolError):
        parse_decimal(bad)


def test_filter_literals() -> None:
    since = dt.date(2026, 11, 1)
    text = str(Filter.eq("Supplier", "O'Brien") & Filter.ge_datetime("CreationDate", since))
    assert text == "(Supplier eq 'O''Brien') and (CreationDate ge datetime'2026-11-01T00:00:00')"
    aware = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert str(Filter.ge_datetimeoffset("LastChangeDateTime", aware)) == (
        "LastChangeDateTime ge datetimeoffset'2026-11-01T00:00:00Z'"
    )


# ------------------------------------------------------------------ OAuth2 client credentials


@pytest.fixture
def oauth_gateway(gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    gateway.users = {}
    gateway.client_credentials = {"flg-client": "oauth-secret"}
    monkeypatch.setenv("FLG_TEST_CLIENT_SECRET", "oauth-secret")
    return gateway


def _oauth(gateway: FakeGateway) -> S4Client:
    auth = {
        "kind": "oauth2",
        "token_url": f"{gateway.url}/oauth/token",
        "client_id": "flg-client",
        "client_secret_env": "FLG_TEST_CLIENT_SECRET",
    }
    return S4Client.from_settings(settings_for(gateway, auth=auth), sleep=lambda s: None)


def test_oauth2_token_is_fetched_once_and_sent_as_bearer(oauth_gateway: FakeGateway) -> None:
    s4 = _oauth(oauth_gateway)
    s4.supplier("17300003")
    s4.purchase_order("4500000001")
    token_calls = [r for r in oauth_gateway.requests if r.path == "/oauth/token"]
    assert len(token_calls) == 1
    reads = [r for r in oauth_gateway.requests if r.path != "/oauth/token"]
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in reads)


def test_oauth2_wrong_secret_is_an_auth_error(
    oauth_gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLG_TEST_CLIENT_SECRET", "wrong")
    with pytest.raises(SapAuthError, match="refused the client credentials"):
        _oauth(oauth_gateway).supplier("17300003")


def test_a_missing_secret_names_the_variable(
    gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FLG_TEST_SAP_PASSWORD")
    with pytest.raises(InputError, match="FLG_TEST_SAP_PASSWORD"):
        S4Client.from_settings(settings_for(gateway))


# ------------------------------------------------------------------ timeouts (responses)

SERVICE = "https://s4.example.com/sap/opu/odata/sap/API_BUSINESS_PARTNER"


def _client() -> ODataClient:
    return ODataClient(SERVICE, dialect=SapGateway("100"), sleep=lambda s: None, max_attempts=3)


@responses.activate
def test_a_read_timeout_is_retried_then_reported_unavailable() -> None:
    responses.get(f"{SERVICE}/A_Supplier", body=requests.ReadTimeout("slow"))
    with pytest.raises(SapUnavailable, match="after 3 attempts"):
        list(_client().get_collection("A_Supplier"))
    assert len(responses.calls) == 3


@responses.activate
def test_a_write_connect_timeout_is_retried_because_nothing_was_sent() -> None:
    responses.head(f"{SERVICE}/", headers={"X-CSRF-Token": "t1"})
    url = f"{SERVICE}/A_Supplier(Supplier='1')"
    responses.patch(url, body=requests.ConnectTimeout("no route"))
    responses.patch(url, status=204)
    result = _client().update(
        "A_Supplier", {"Supplier": "1"}, {"PurchasingIsBlocked": True}, etag=None
    )
    assert result.status == 204


@responses.activate
def test_a_write_read_timeout_is_not_retried() -> None:
    responses.head(f"{SERVICE}/", headers={"X-CSRF-Token": "t1"})
    url = f"{SERVICE}/A_Supplier(Supplier='1')"
    responses.patch(url, body=requests.ReadTimeout("slow"))
    with pytest.raises(SapWriteOutcomeUnknown):
        _client().update("A_Supplier", {"Supplier": "1"}, {"PurchasingIsBlocked": True}, etag=None)
    assert [c.request.method for c in responses.calls] == ["HEAD", "PATCH"]


@responses.activate
def test_no_csrf_token_from_head_falls_back_to_get() -> None:
    responses.head(f"{SERVICE}/", status=200)
    responses.get(f"{SERVICE}/", json={"d": {}}, headers={"X-CSRF-Token": "t2"})
    url = f"{SERVICE}/A_Supplier(Supplier='1')"
    responses.patch(url, status=204)
    _client().update("A_Supplier", {"Supplier": "1"}, {"PurchasingIsBlocked": True}, etag=None)
    assert responses.calls[-1].request.headers["X-CSRF-Token"] == "t2"
