"""The OData V2 client against the fake SAP Gateway on 127.0.0.1: what SAP does on the wire."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forced_labour_guard.adapters.sap.errors import (
    SapAuthError,
    SapConcurrencyError,
    SapHttpError,
    SapNotFound,
    SapProtocolError,
    SapWriteOutcomeUnknown,
)
from forced_labour_guard.adapters.sap.odata import ODataClient
from forced_labour_guard.adapters.sap.values import Filter
from tests.adapters.sap.conftest import odata
from tests.adapters.sap.gateway import FakeGateway, sap_error_body


def test_reads_send_sap_client_and_ask_for_json(gateway: FakeGateway, bp: ODataClient) -> None:
    bp.get_entity("A_Supplier", {"Supplier": "17300001"}, select=["Supplier"])
    sent = gateway.requests[-1]
    assert sent.query["sap-client"] == "100"
    assert sent.headers["Accept"] == "application/json"
    assert sent.query["$select"] == "Supplier"


def test_collection_follows_every_next_link(gateway: FakeGateway, bp: ODataClient) -> None:
    numbers = [e.get("Supplier") for e in bp.get_collection("A_Supplier", select=["Supplier"])]
    assert numbers == [f"1730000{i}" for i in range(1, 7)]
    pages = [r for r in gateway.requests if r.path.endswith("/A_Supplier")]
    assert len(pages) == 3  # page size 2: the paging really happened
    assert all(p.query["$select"] == "Supplier" for p in pages)


def test_a_next_link_to_another_origin_is_refused(gateway: FakeGateway, bp: ODataClient) -> None:
    page = {"d": {"results": [], "__next": "https://attacker.example/steal?$skiptoken=2"}}
    gateway.inject("GET", "/A_Supplier", 200, page)
    with pytest.raises(SapProtocolError, match="another origin"):
        list(bp.get_collection("A_Supplier"))


def test_a_relative_next_link_stays_on_the_service(gateway: FakeGateway, bp: ODataClient) -> None:
    page = {"d": {"results": [{"Supplier": "X"}], "__next": "A_Supplier?$skiptoken=4"}}
    gateway.inject("GET", "/A_Supplier", 200, page)
    numbers = [e.get("Supplier") for e in bp.get_collection("A_Supplier", select=["Supplier"])]
    assert numbers == ["X", "17300005", "17300006"]


def test_a_next_link_that_repeats_is_a_loop_not_an_endless_read(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    loop = {
        "d": {
            "results": [],
            "__next": f"{gateway.url}/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_Supplier?$skiptoken=2",
        }
    }
    gateway.inject("GET", "/A_Supplier", 200, loop, times=3)
    with pytest.raises(SapProtocolError, match="same next link"):
        list(bp.get_collection("A_Supplier"))


def test_filter_values_are_quoted_for_the_caller(gateway: FakeGateway, bp: ODataClient) -> None:
    found = list(
        bp.get_collection("A_BusinessPartner", filter=Filter.eq("Supplier", "x' or '1' eq '1"))
    )
    assert found == []
    assert gateway.requests[-1].query["$filter"] == "Supplier eq 'x'' or ''1'' eq ''1'"


def test_a_name_with_query_syntax_is_refused_before_sending(bp: ODataClient) -> None:
    with pytest.raises(ValueError, match="not an OData identifier"):
        list(bp.get_collection("A_Supplier", select=["Supplier,to_X"]))


def test_expand_gives_the_navigation_rows(bp: ODataClient) -> None:
    supplier = bp.get_entity(
        "A_Supplier",
        {"Supplier": "17300001"},
        select=["Supplier", "to_SupplierPurchasingOrg"],
        expand=["to_SupplierPurchasingOrg"],
    )
    orgs = [o.get("PurchasingOrganization") for o in supplier.expanded("to_SupplierPurchasingOrg")]
    assert orgs == ["1010", "1710"]


def test_sap_error_body_becomes_a_typed_error_with_details(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    details = [
        {
            "code": "BUPA/001",
            "message": "Supplier is archived",
            "severity": "error",
            "target": "Supplier",
            "propertyref": "",
        }
    ]
    gateway.inject(
        "GET", "/A_Supplier", 400, sap_error_body("BUPA/001", "Supplier is archived", details)
    )
    with pytest.raises(SapHttpError) as caught:
        bp.get_entity("A_Supplier", {"Supplier": "17300001"})
    assert caught.value.status == 400
    assert caught.value.code == "BUPA/001"
    assert caught.value.message == "Supplier is archived"
    assert caught.value.details[0].target == "Supplier"
    assert caught.value.transaction_id


def test_unknown_entity_is_not_found(bp: ODataClient) -> None:
    with pytest.raises(SapNotFound):
        bp.get_entity("A_Supplier", {"Supplier": "99999999"})


def test_logon_failure_html_is_an_auth_error(gateway: FakeGateway) -> None:
    client = odata(gateway)
    client.session.auth = ("FLG_COMM", "wrong")
    with pytest.raises(SapAuthError, match="Logon failed"):
        client.get_entity("A_Supplier", {"Supplier": "17300001"})


def test_atom_instead_of_json_is_a_protocol_error(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.inject(
        "GET", "/A_Supplier", 200, None, headers={"Content-Type": "application/atom+xml"}
    )
    with pytest.raises(SapProtocolError, match="expected JSON"):
        bp.get_entity("A_Supplier", {"Supplier": "17300001"})


def test_reads_are_retried_on_503_and_429(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.inject("GET", "/A_Supplier", 503, sap_error_body("/IWFND/CM_BEC/026", "busy"), times=2)
    gateway.inject("GET", "/A_Supplier", 429, None, headers={"Retry-After": "1"})
    entity = bp.get_entity("A_Supplier", {"Supplier": "17300001"})
    assert entity.get("Supplier") == "17300001"


def test_reads_give_up_after_the_attempts_with_sap_s_error(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    gateway.inject("GET", "/A_Supplier", 503, sap_error_body("/IWFND/CM_BEC/026", "busy"), times=9)
    with pytest.raises(SapHttpError, match="busy"):
        bp.get_entity("A_Supplier", {"Supplier": "17300001"})


def test_sap_message_header_is_surfaced(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.read_message = {
        "code": "BUPA/088",
        "message": "Data is being migrated",
        "severity": "warning",
        "target": "",
        "details": [{"code": "BUPA/089", "message": "Read only", "severity": "info"}],
    }
    list(bp.get_collection("A_Supplier", top=1))
    drained = bp.drain_messages()
    assert [m.code for m in drained] == ["BUPA/088", "BUPA/089"]
    assert "Data is being migrated" in drained[0].sentence()
    assert bp.drain_messages() == []


# ------------------------------------------------------------------------------ writes


def _block(client: ODataClient, number: str = "17300001", etag: str | None = None):  # type: ignore[no-untyped-def]
    return client.update(
        "A_Supplier", {"Supplier": number}, {"PurchasingIsBlocked": True}, etag=etag
    )


def test_a_write_fetches_a_csrf_token_and_sends_it_with_the_session_cookie(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    result = _block(bp)
    assert result.status == 204
    fetch, write = gateway.requests[-2], gateway.requests[-1]
    assert fetch.method == "HEAD" and fetch.headers["X-CSRF-Token"] == "Fetch"
    assert fetch.path.endswith("/API_BUSINESS_PARTNER/")
    assert write.method == "PATCH" and write.body == {"PurchasingIsBlocked": True}
    assert write.headers["X-CSRF-Token"] in gateway.tokens
    assert "SAP_SESSIONID_FLG_100=" in write.headers["Cookie"]
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True


def test_an_expired_token_is_fetched_again_once(gateway: FakeGateway, bp: ODataClient) -> None:
    _block(bp)
    gateway.expire_tokens()
    result = bp.update(
        "A_Supplier", {"Supplier": "17300002"}, {"PurchasingIsBlocked": True}, etag=None
    )
    assert result.status == 204
    methods = [r.method for r in gateway.requests]
    assert methods[-3:] == ["PATCH", "HEAD", "PATCH"]  # refused, new token, accepted
    assert methods.count("HEAD") == 2


def test_a_token_refused_twice_is_an_error_not_a_loop(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    refused = sap_error_body("/IWFND/CM_CSRF/000", "CSRF token validation failed")
    gateway.inject(
        "PATCH", "/A_Supplier", 403, refused, headers={"x-csrf-token": "Required"}, times=2
    )
    with pytest.raises(SapHttpError, match="CSRF"):
        _block(bp)
    assert [r.method for r in gateway.writes()] == ["PATCH", "PATCH"]


def test_if_match_carries_the_etag_when_the_entity_has_one(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    gateway.etag_sets.add("A_Supplier")
    supplier = bp.get_entity("A_Supplier", {"Supplier": "17300001"})
    assert supplier.etag
    _block(bp, etag=supplier.etag)
    assert gateway.writes()[-1].headers["If-Match"] == supplier.etag


def test_a_stale_etag_is_re_read_and_retried_once(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.etag_sets.add("A_Supplier")
    stale = bp.get_entity("A_Supplier", {"Supplier": "17300001"}).etag
    gateway.bump("A_Supplier", "Supplier='17300001'")
    result = _block(bp, etag=stale)
    assert result.status == 204
    first, second = gateway.writes()
    assert first.headers["If-Match"] == stale
    assert second.headers["If-Match"] != stale
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True


def test_412_twice_is_a_concurrency_error(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.etag_sets.add("A_Supplier")
    conflict = sap_error_body("/IWBEP/CM_MGW_RT/022", "Precondition failed")
    gateway.inject("PATCH", "/A_Supplier", 412, conflict, times=2)
    with pytest.raises(SapConcurrencyError):
        _block(bp, etag='W/"old"')
    assert len(gateway.writes()) == 2


def test_no_etag_then_428_re_reads_and_sends_the_etag(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    gateway.etag_sets.add("A_Supplier")
    result = _block(bp, etag=None)
    assert result.status == 204
    first, second = gateway.writes()
    assert "If-Match" not in first.headers
    assert second.headers["If-Match"].startswith('W/"')


def test_a_re_read_that_shows_the_change_made_writes_nothing_more(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    gateway.etag_sets.add("A_Supplier")
    gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] = True
    result = _block(bp, etag='W/"old"')
    assert result.skipped
    assert len(gateway.writes()) == 1


def test_a_write_is_not_retried_on_503(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.inject(
        "PATCH", "/A_Supplier", 503, sap_error_body("/IWFND/CM_BEC/026", "backend timeout")
    )
    with pytest.raises(SapHttpError, match="backend timeout"):
        _block(bp)
    assert len(gateway.writes()) == 1


def test_a_write_is_retried_on_429(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.inject("PATCH", "/A_Supplier", 429, None, headers={"Retry-After": "0"})
    assert _block(bp).status == 204
    assert len(gateway.writes()) == 2


def test_a_write_whose_answer_is_lost_is_never_sent_again(
    gateway: FakeGateway, bp: ODataClient
) -> None:
    gateway.inject("PATCH", "/A_Supplier", 0, action="drop")
    with pytest.raises(SapWriteOutcomeUnknown, match="may have been applied"):
        _block(bp)
    assert len(gateway.writes()) == 1
    assert gateway.row("A_Supplier", Supplier="17300001")["PurchasingIsBlocked"] is True


def test_sap_message_on_a_write_is_in_the_result(gateway: FakeGateway, bp: ODataClient) -> None:
    gateway.write_message = {
        "code": "MM/123",
        "message": "Block noted",
        "severity": "success",
        "target": "",
    }
    result = _block(bp)
    assert [m.message for m in result.messages] == ["Block noted"]


def test_a_read_only_property_is_refused_by_sap(bp: ODataClient) -> None:
    with pytest.raises(SapHttpError):
        bp.update("A_Supplier", {"Supplier": "17300001"}, {"NoSuchField": True}, etag=None)


def test_metadata_served_is_the_shipped_edmx(gateway: FakeGateway, bp: ODataClient) -> None:
    response = bp.session.get(bp.service_url + "$metadata")
    assert response.status_code == 200
    assert b"A_SupplierType" in response.content


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_any_filter_value_finds_exactly_its_own_row(
    gateway: FakeGateway, bp: ODataClient, value: str
) -> None:
    """Quotes, 'and', parentheses, percent signs, Chinese: the value is a value, never syntax."""
    gateway.row("A_Supplier", Supplier="17300006")["SupplierName"] = value
    found = list(
        bp.get_collection(
            "A_Supplier", select=["Supplier"], filter=Filter.eq("SupplierName", value)
        )
    )
    assert [e.get("Supplier") for e in found] == ["17300006"]
