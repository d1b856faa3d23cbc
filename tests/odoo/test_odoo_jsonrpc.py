"""JSON-RPC (``/jsonrpc`` ``execute_kw``, Odoo 16-18) with the payloads recorded from Odoo 19."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from conftest import settings_for
from recorded_odoo import exchange, response_of

from forced_labour_guard.adapters.odoo.client import (
    JsonRpcTransport,
    OdooClient,
    connect,
)
from forced_labour_guard.adapters.odoo.errors import (
    OdooAuthError,
    OdooConnectionError,
    OdooServerError,
    OdooUserError,
)
from forced_labour_guard.errors import UsageError

URL = "http://odoo16.test"
RPC = f"{URL}/jsonrpc"


def _params(prefix: str) -> dict[str, Any]:
    params: dict[str, Any] = exchange(prefix)["request"]["json"]["params"]
    return params


def _answer(prefix: str) -> Any:
    """A responses callback giving the recorded answer, with the id of the request it answers."""

    def reply(request: Any) -> tuple[int, dict[str, str], str]:
        body = json.loads(request.body)
        answer = dict(response_of(prefix), id=body["id"])
        return 200, {"Content-Type": "application/json"}, json.dumps(answer)

    return reply


def _sent(call_index: int) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(responses.calls[call_index].request.body)
    return body


def _client(**changes: object) -> OdooClient:
    return OdooClient(JsonRpcTransport(settings_for(URL, protocol="jsonrpc", **changes)))


@responses.activate
def test_execute_kw_authenticates_once_then_sends_the_recorded_call() -> None:
    responses.add_callback(responses.POST, RPC, callback=_answer("81_"))
    responses.add_callback(responses.POST, RPC, callback=_answer("83_"))
    responses.add_callback(responses.POST, RPC, callback=_answer("87_"))
    client = _client()
    recorded = _params("83_")["args"]
    rows = client.search_read(
        "res.partner", recorded[5][0], recorded[6]["fields"], limit=5, order="id"
    )
    assert [row["id"] for row in rows] == [34, 36, 37]
    assert _sent(0)["params"] == _params("81_")
    sent = _sent(1)["params"]
    assert sent["service"] == "object" and sent["method"] == "execute_kw"
    assert sent["args"][:6] == recorded[:6], "db, uid, key, model, method and the domain"
    assert sent["args"][6]["fields"] == recorded[6]["fields"]
    assert client.call("purchase.order", "search", domain=[["state", "=", "draft"]], limit=5) == [
        22
    ]
    assert len(responses.calls) == 3, "the uid is asked for once"


@responses.activate
def test_a_refused_login_is_an_auth_error() -> None:
    responses.add_callback(responses.POST, RPC, callback=_answer("82_"))
    with pytest.raises(OdooAuthError, match="login refused"):
        _client(api_key="wrong-key").search_count("res.partner", [])


@responses.activate
@pytest.mark.parametrize(
    ("prefix", "error", "text"),
    [
        ("85_", OdooServerError, "Invalid field 'no_such_field' on 'res.partner'"),
        ("86_", OdooAuthError, "Access Denied"),
        ("88_", OdooUserError, "<message from a confirmation check>"),
    ],
)
def test_errors_inside_a_200_answer_raise_the_same_classes_as_json2(
    prefix: str, error: type[Exception], text: str
) -> None:
    responses.add_callback(responses.POST, RPC, callback=_answer("81_"))
    responses.add_callback(responses.POST, RPC, callback=_answer(prefix))
    with pytest.raises(error, match=text):
        _client().call("purchase.order", "button_confirm", ids=[22])
    assert len(responses.calls) == 2, "an Odoo error is not retried"


@responses.activate
def test_a_server_without_json_version_is_asked_over_jsonrpc_and_gets_jsonrpc() -> None:
    responses.get(f"{URL}/json/version", status=404, body="Not Found")
    old = response_of("80_")
    old["result"]["server_version_info"] = [17, 0, 0, "final", 0, ""]
    responses.post(RPC, json=old)
    client = connect(settings_for(URL, protocol="auto"))
    assert client.protocol == "jsonrpc"


def test_jsonrpc_without_a_login_says_what_is_missing() -> None:
    client = _client(login=None)
    with pytest.raises(UsageError, match="ODOO_LOGIN"):
        client.search_count("res.partner", [])


@responses.activate
def test_create_sends_its_values_positionally_as_execute_kw_needs() -> None:
    """Found on a live Odoo 19: execute_kw 'create' with vals_list as a keyword fails (500
    IndexError in call_kw), so the values go first in args."""
    responses.add_callback(responses.POST, RPC, callback=_answer("81_"))
    responses.post(RPC, json={"jsonrpc": "2.0", "id": 2, "result": [41]})
    values = [{"name": "Müller Verpackungen GmbH", "is_company": True}]
    assert _client().call("res.partner", "create", vals_list=values) == [41]
    args = _sent(1)["params"]["args"]
    assert args[3:6] == ["res.partner", "create", [values]]
    assert args[6] == {}


@responses.activate
def test_a_login_page_instead_of_json_rpc_is_a_connection_error() -> None:
    responses.post(RPC, body="<html>Sign in</html>", status=200)
    with pytest.raises(OdooConnectionError, match="not JSON-RPC"):
        _client().search_count("res.partner", [])
