"""How the adapter logs on to SAP: basic auth (a communication user) or OAuth2 client credentials.

S/4HANA Cloud communication arrangements issue a communication user (basic auth) or an OAuth2
client; on-premise systems behind SAP BTP or an API gateway usually use OAuth2. The OAuth2 token is
fetched with the client credentials grant and kept until shortly before it expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from forced_labour_guard.adapters.sap.errors import SapAuthError, SapUnavailable


def basic_auth(user: str, password: str) -> AuthBase:
    return HTTPBasicAuth(user, password)


class ClientCredentials(AuthBase):
    """OAuth2 client credentials: ``Authorization: Bearer <token>`` on every request."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        timeout: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.timeout = timeout
        self.clock = clock
        self.session = session or requests.Session()
        self._token: str | None = None
        self._expires_at = 0.0

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        return request

    def token(self) -> str:
        if self._token is None or self.clock() >= self._expires_at:
            self._token, lifetime = self._fetch()
            self._expires_at = self.clock() + max(lifetime - 30.0, 0.0)
        return self._token

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        try:
            response = self.session.post(
                self.token_url,
                data=form,
                auth=(self.client_id, self.client_secret),
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise SapUnavailable(f"{self.token_url}: token request failed ({error})") from None
        if response.status_code != 200:
            raise SapAuthError(
                status=response.status_code,
                code="",
                message="the OAuth2 token endpoint refused the client credentials",
                url=self.token_url,
            )
        try:
            body = response.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise SapAuthError(
                status=response.status_code,
                code="",
                message="the OAuth2 token endpoint answered without an access_token",
                url=self.token_url,
            ) from None
        return token, lifetime
