"""SAP Gateway's additions to OData V2, all in one place (the protocol core stays generic).

* ``sap-client``: the client (Mandant) number, sent as a query parameter with every request.
* CSRF: a write must carry a token fetched with ``X-CSRF-Token: Fetch`` (HEAD on the service root,
  with its trailing slash, as some on-premise systems need) and the session cookies set by that
  fetch; ``requests.Session`` keeps the cookies. A token that expired or belongs to another session
  is refused with 403 and ``x-csrf-token: Required``: the token is dropped, fetched again, and the
  write sent once more (the refusal means nothing was done).
* ``sap-message``: a JSON header on successful answers with SAP's own message (and ``details``);
  each becomes a :class:`SapMessage` that callers show as a warning.
* Error bodies: ``{"error": {"code", "message": {"value"}, "innererror": {"errordetails": [...],
  "transactionid"}}}``; a 401 logon failure is HTML, not JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import requests

from forced_labour_guard.adapters.sap.errors import (
    SapAuthError,
    SapHttpError,
    SapMessage,
    SapNotFound,
    SapProtocolError,
)

if TYPE_CHECKING:
    from forced_labour_guard.adapters.sap.odata import ODataClient

CSRF_HEADER = "X-CSRF-Token"


class SapGateway:
    """The :class:`~forced_labour_guard.adapters.sap.odata.Dialect` of SAP Gateway (S/4HANA)."""

    def __init__(self, sap_client: str | None = None) -> None:
        self.sap_client = sap_client
        self.token: str | None = None

    def default_params(self) -> dict[str, str]:
        return {"sap-client": self.sap_client} if self.sap_client else {}

    def before_write(self, client: ODataClient, headers: dict[str, str]) -> None:
        if self.token is None:
            self.token = self._fetch_token(client)
        headers[CSRF_HEADER] = self.token

    def _fetch_token(self, client: ODataClient) -> str:
        response = client.request("HEAD", client.service_url, headers={CSRF_HEADER: "Fetch"})
        token = response.headers.get(CSRF_HEADER, "")
        if not token or token.lower() == "required":
            # some systems answer HEAD without a token; a GET of the service document works
            response = client.request(
                "GET",
                client.service_url,
                headers={CSRF_HEADER: "Fetch", "Accept": "application/json"},
            )
            token = response.headers.get(CSRF_HEADER, "")
        if response.status_code >= 400:
            raise self.error(response)
        if not token or token.lower() == "required":
            raise SapProtocolError(
                f"{client.service_url}: SAP gave no CSRF token (X-CSRF-Token: Fetch was answered "
                "without one); writes cannot be made"
            )
        return token

    def rejected_token(self, response: requests.Response) -> bool:
        refused = (
            response.status_code == 403
            and response.headers.get(CSRF_HEADER, "").lower() == "required"
        )
        if refused:
            self.token = None
        return refused

    def messages(self, response: requests.Response) -> list[SapMessage]:
        header = response.headers.get("sap-message")
        if not header:
            return []
        try:
            raw = json.loads(header)
        except ValueError:
            return [SapMessage(code="", message=header, severity="warning")]
        if not isinstance(raw, dict):
            return [SapMessage(code="", message=str(raw), severity="warning")]
        found = [_message(raw)]
        found += [_message(item) for item in raw.get("details") or [] if isinstance(item, dict)]
        return found

    def error(self, response: requests.Response) -> SapHttpError:
        status = response.status_code
        code, message, details, transaction = "", "", [], ""
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            code = str(error.get("code") or "")
            text = error.get("message")
            message = str(text.get("value", "")) if isinstance(text, dict) else str(text or "")
            inner = error.get("innererror") or {}
            if isinstance(inner, dict):
                transaction = str(inner.get("transactionid") or "")
                details = [
                    _message(item)
                    for item in inner.get("errordetails") or []
                    if isinstance(item, dict)
                ]
        else:
            message = _plain_text(response.text) or response.reason or "no message"
        kind: type[SapHttpError] = SapHttpError
        if status == 401 or (status == 403 and not self.rejected_token(response)):
            kind = SapAuthError
        elif status == 404:
            kind = SapNotFound
        return kind(
            status=status,
            code=code,
            message=message,
            details=details,
            transaction_id=transaction,
            url=response.url,
        )


def _message(raw: dict[str, Any]) -> SapMessage:
    text = raw.get("message", "")
    if isinstance(text, dict):
        text = text.get("value", "")
    return SapMessage(
        code=str(raw.get("code") or ""),
        message=str(text),
        severity=str(raw.get("severity") or "info"),
        target=str(raw.get("target") or raw.get("propertyref") or ""),
    )


def _plain_text(text: str) -> str:
    """A short, readable line from an HTML or text error page."""
    import re

    stripped = re.sub(r"<[^>]+>", " ", text)
    return " ".join(stripped.split())[:300]
