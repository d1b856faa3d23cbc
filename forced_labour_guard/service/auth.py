"""Bearer-token authentication for every ``/v1`` route.

The service keeps only SHA-256 hashes of the tokens it accepts (a leaked configuration file gives
no usable token), and several at once, so a token is rotated by adding the new hash, moving the
ERPs over, then removing the old one. The presented token is hashed and compared with every
accepted hash in constant time, all of them every time, so neither the comparison nor the position
of a match leaks through timing. A refusal is a bare 401: it never says whether the header was
missing, malformed or wrong.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer


class Unauthorized(Exception):
    """The request carries no accepted bearer token (answered 401, without detail)."""


class TokenVerifier:
    """Checks presented tokens against the configured SHA-256 hashes."""

    def __init__(self, token_hashes: Iterable[str]) -> None:
        self._hashes = tuple(bytes.fromhex(h) for h in token_hashes)

    def accepts(self, token: str) -> bool:
        presented = hashlib.sha256(token.encode("utf-8")).digest()
        matches = [hmac.compare_digest(presented, accepted) for accepted in self._hashes]
        return any(matches)


bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A token whose SHA-256 hash is configured with --token-file or "
    "FLG_SERVICE_TOKEN_HASHES.",
)
"""Reads the Authorization header and puts the scheme in the OpenAPI document."""


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> None:
    """Raise :class:`Unauthorized` unless the request carries an accepted bearer token."""
    verifier: TokenVerifier = request.app.state.service.verifier
    if credentials is None or not verifier.accepts(credentials.credentials):
        raise Unauthorized
