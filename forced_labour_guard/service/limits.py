"""Reading a request body within limits: its size, its encoding and how deeply it nests.

Endpoints read their body through these functions instead of letting the framework parse it, so
(a) nothing is read before the bearer token has been checked, (b) a body larger than the limit is
refused from its Content-Length, or as soon as the bytes received pass the limit, without holding
more than the limit in memory, and (c) parsing and validation go through the same functions as the
CLI (``forced_labour_guard.records``), so a mistake reads the same over HTTP as on the command
line: ``supplier.country: 'Germany' is not an ISO 3166-1 alpha-2 country code (...)``.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel

from forced_labour_guard.errors import InputError
from forced_labour_guard.records import parse_json, validate

ModelT = TypeVar("ModelT", bound=BaseModel)


class BodyTooLarge(Exception):
    """The request body is larger than the endpoint accepts (answered 413)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit} bytes")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or :class:`BodyTooLarge` once it is known to pass ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_body(body: bytes) -> str:
    """UTF-8 text (a byte-order mark is tolerated), or an InputError naming the bad byte."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})") from None


def parse_model(model: type[ModelT], body: bytes) -> ModelT:
    """One JSON object as ``model``; nesting deeper than the CLI accepts is refused the same way."""
    return validate(model, parse_json(decode_body(body), source=""), source="")


async def read_model(request: Request, model: type[ModelT], limit: int) -> ModelT:
    return parse_model(model, await read_body(request, limit))
