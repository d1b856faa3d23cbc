"""The Odoo client against a local server answering with recorded Odoo 19 payloads (JSON-2), and
against ``responses`` for the failures a live server rarely shows on demand."""

from __future__ import annotations

import logging

import pytest
import requests
import responses
from conftest import settings_for
from recorded_odoo import API_KEY, DATABASE, RunningOdoo, exchange, response_of

from forced_labour_guard.adapters.odoo.client import (
    Json2Transport,
    OdooClient,
    OdooSettings,
    choose_protocol,
    connect,
)
from forced_labour_guard.adapters.odoo.errors import (
    OdooAccessError,
    OdooAuthError,
    OdooBadRequestError,
    OdooConnectionError,
    OdooMissingRecordError,
    OdooNotFoundError,
    OdooServerError,
    OdooUserError,
    OdooValidationError,
)
from forced_labour_guard.errors import FlgError, UsageError

URL = "http://odoo.test"


def _client(url: str = URL, **changes: object) -> OdooClient:
    return OdooClient(Json2Transport(settings_for(url, **changes), None))


# -- talking to the recorded server ---------------------------------------------------------------


def test_auto_protocol_reads_json_version_and_picks_json2(odoo_server: RunningOdoo) -> None:
    client = connect(settings_for(odoo_server.url, protocol="auto"))
    assert client.protocol == "json2"


def test_search_read_sends_bearer_key_and_database_and_returns_the_bare_records(
    odoo_server: RunningOdoo, odoo_client: OdooClient
) -> None:
    recorded = exchange("21_")["request"]["json"]
    rows = odoo_client.search_read("res.partner", recorded["domain"], recorded["fields"])
    assert rows == response_of("21_")
    headers = odoo_server.headers_seen[-1]
    assert headers["Authorization"] == f"bearer {API_KEY}"
    assert headers["X-Odoo-Database"] == DATABASE


def test_paging_stops_at_the_first_short_page(
    odoo_server: RunningOdoo, odoo_client: OdooClient
) -> None:
    client = OdooClient(odoo_client.transport, page_size=2)
    names = [
        row["name"]
        for row in client.search_read_all(
            "res.partner", [["supplier_rank", ">", 0]], ["name", "write_date"]
        )
    ]
    assert names == [row["name"] for row in response_of("71_") + response_of("72_")]
    bodies = [body for path, body in odoo_server.odoo.requests]
    assert bodies == [exchange("71_")["request"]["json"], exchange("72_")["request"]["json"]]


def test_search_count_returns_the_bare_integer(odoo_client: OdooClient) -> None:
    assert odoo_client.search_count("res.partner", [["supplier_rank", ">", 0]]) == 3


def test_reading_a_record_that_does_not_exist_is_an_empty_list(odoo_client: OdooClient) -> None:
    assert odoo_client.read("purchase.order", [999999], ["name"]) == []


def test_state_xml_id_lookup_finds_xinjiang(odoo_client: OdooClient) -> None:
    assert odoo_client.xml_ids("res.country.state", [887]) == {887: "base.state_cn_XJ"}


@pytest.mark.parametrize(
    ("prefix", "error", "odoo_text"),
    [
        ("52_", OdooNotFoundError, "the model 'x_no_such.model' does not exist"),
        ("53_", OdooNotFoundError, "does not exist"),
        ("54_", OdooAccessError, ""),
        ("55_", OdooServerError, "Invalid field 'x_no_such_field' on 'res.partner'"),
        ("58_", OdooServerError, "limt"),
        ("60_", OdooValidationError, ""),
        ("63_", OdooBadRequestError, ""),
        ("64_", OdooMissingRecordError, ""),
        ("35_", OdooUserError, "<message from a confirmation check>"),
    ],
)
def test_recorded_errors_raise_their_own_class_with_odoos_message(
    odoo_server: RunningOdoo,
    odoo_client: OdooClient,
    prefix: str,
    error: type[FlgError],
    odoo_text: str,
) -> None:
    recorded = exchange(prefix)
    _, _, model, method = recorded["request"]["path"].split("/", 4)[1:]
    kwargs = dict(recorded["request"]["json"])
    ids = kwargs.pop("ids", None)
    with pytest.raises(error) as raised:
        odoo_client.call(model, method, ids=ids, **kwargs)
    assert raised.value.odoo_message == recorded["response"]["json"]["message"].strip()  # type: ignore[attr-defined]
    assert odoo_text in str(raised.value)
    assert raised.value.status == recorded["response"]["status"]  # type: ignore[attr-defined]
    assert len(odoo_server.odoo.requests) == 1, "a deterministic error is not retried"


def test_a_wrong_api_key_is_an_auth_error_and_the_key_is_not_in_the_message(
    odoo_server: RunningOdoo,
) -> None:
    client = _client(odoo_server.url, api_key="sk-secret-1234")
    with pytest.raises(OdooAuthError) as raised:
        client.search_read("res.partner", [], ["name"], limit=1)
    assert "Invalid apikey" in str(raised.value)
    assert "sk-secret-1234" not in str(raised.value)


def test_the_api_key_never_reaches_a_log_or_a_repr(
    odoo_server: RunningOdoo, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sk-never-logged-5678"
    settings = settings_for(odoo_server.url, api_key=secret)
    assert secret not in repr(settings)
    with caplog.at_level(logging.DEBUG), pytest.raises(OdooAuthError):
        OdooClient(Json2Transport(settings, None)).read("res.partner", [34], ["name"])
    assert caplog.records, "the call was logged at debug level"
    assert all(secret not in record.getMessage() for record in caplog.records)


# -- error paths with responses -------------------------------------------------------------------


def _odoo_error(prefix: str) -> dict[str, object]:
    body: dict[str, object] = response_of(prefix)
    return body


@responses.activate
def test_401_is_an_auth_error() -> None:
    responses.post(f"{URL}/json/2/res.partner/search_read", json=_odoo_error("50_"), status=401)
    with pytest.raises(OdooAuthError, match="Invalid apikey"):
        _client().search_read("res.partner", [], ["name"])


@responses.activate
def test_404_unknown_model_says_the_module_may_be_missing() -> None:
    responses.post(f"{URL}/json/2/x_no_such.model/search_read", json=_odoo_error("52_"), status=404)
    with pytest.raises(OdooNotFoundError, match="is the module installed"):
        _client().search_read("x_no_such.model", [], ["name"])


@responses.activate
def test_422_user_error_keeps_odoos_text() -> None:
    body = dict(_odoo_error("35_"), message="Blocked: supplier in Urumqi")
    responses.post(f"{URL}/json/2/purchase.order/button_confirm", json=body, status=422)
    with pytest.raises(OdooUserError, match="Blocked: supplier in Urumqi"):
        _client().call("purchase.order", "button_confirm", ids=[22])


@responses.activate
def test_a_500_then_success_on_a_read_is_retried() -> None:
    url = f"{URL}/json/2/res.partner/read"
    responses.post(url, body="<html>Bad Gateway</html>", status=502)
    responses.post(url, json=response_of("22_"), status=200)
    rows = _client().read("res.partner", [35], ["name"])
    assert rows[0]["name"] == "王芳"
    assert len(responses.calls) == 2


@responses.activate
def test_a_server_crash_on_a_read_is_retried_but_a_wrong_field_name_is_not() -> None:
    url = f"{URL}/json/2/res.partner/search_read"
    crash = {"name": "psycopg2.errors.SerializationFailure", "message": "could not serialize"}
    responses.post(url, json=crash, status=500)
    responses.post(url, json=[], status=200)
    assert _client().search_read("res.partner", [], ["name"]) == []
    responses.post(url, json=_odoo_error("55_"), status=500)
    with pytest.raises(OdooServerError, match="Invalid field"):
        _client().search_read("res.partner", [], ["x_no_such_field"])
    assert len(responses.calls) == 3


@responses.activate
def test_a_500_on_a_write_is_not_sent_again() -> None:
    url = f"{URL}/json/2/purchase.order/message_post"
    responses.post(url, body="<html>Internal Server Error</html>", status=500)
    with pytest.raises(OdooServerError):
        _client().call("purchase.order", "message_post", ids=[22], body="x")
    assert len(responses.calls) == 1


@responses.activate
def test_a_read_that_keeps_timing_out_gives_up_with_a_connection_error() -> None:
    url = f"{URL}/json/2/res.partner/read"
    for _ in range(3):
        responses.post(url, body=requests.ReadTimeout("slow"))
    with pytest.raises(OdooConnectionError, match="no answer"):
        _client().read("res.partner", [34], ["name"])
    assert len(responses.calls) == 3


@responses.activate
def test_a_write_that_timed_out_is_not_sent_twice() -> None:
    url = f"{URL}/json/2/purchase.order/activity_schedule"
    responses.post(url, body=requests.ReadTimeout("slow"))
    with pytest.raises(OdooConnectionError):
        _client().call("purchase.order", "activity_schedule", ids=[22], summary="x")
    assert len(responses.calls) == 1


@responses.activate
def test_an_answer_that_is_not_json_is_a_connection_error_not_a_result() -> None:
    responses.post(f"{URL}/json/2/res.partner/read", body="<html>login page</html>", status=200)
    with pytest.raises(OdooConnectionError, match="not JSON"):
        _client().read("res.partner", [34], ["name"])


# -- configuration ---------------------------------------------------------------------------------


def test_settings_take_the_key_only_from_the_environment() -> None:
    env = {"ODOO_URL": "https://erp.example.com/", "ODOO_DB": "prod", "ODOO_API_KEY": "k"}
    settings = OdooSettings.from_env(env)
    assert (settings.url, settings.database, settings.api_key) == (
        "https://erp.example.com",
        "prod",
        "k",
    )
    with pytest.raises(UsageError, match="ODOO_API_KEY"):
        OdooSettings.from_env({"ODOO_URL": "https://x", "ODOO_DB": "prod"})
    with pytest.raises(UsageError, match="protocol"):
        OdooSettings.from_env(env, protocol="xmlrpc")


def test_protocol_choice_from_the_version() -> None:
    assert choose_protocol([19, 0, 0, "final", 0, ""]) == "json2"
    assert choose_protocol([17, 0, 0, "final", 0, ""]) == "jsonrpc"
    assert choose_protocol(["saas~18", 4, 0, "final", 0, ""]) == "jsonrpc"


def test_a_server_address_without_scheme_is_refused() -> None:
    env = {"ODOO_URL": "erp.example.com", "ODOO_DB": "prod", "ODOO_API_KEY": "k"}
    with pytest.raises(UsageError, match="not an http"):
        OdooSettings.from_env(env)
