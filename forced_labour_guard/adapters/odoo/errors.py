"""Errors from talking to Odoo, one class per kind of trouble, each keeping Odoo's own message.

Odoo answers an error with a JSON object naming the Python exception (``odoo.exceptions.UserError``,
``werkzeug.exceptions.NotFound``, ...) and a human message; JSON-2 adds an HTTP status, JSON-RPC
sends the same object inside an ``error`` member with status 200. Both are classified here by that
name first and the status second, so the two protocols raise the same errors for the same fault.

Every class derives from ``FlgError``: the CLI prints the message and exits 2, never a traceback.
Messages never contain the API key or the request headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forced_labour_guard.errors import FlgError


class OdooError(FlgError):
    """A call to Odoo failed; ``odoo_message`` is Odoo's own text, ``name`` its exception class."""

    def __init__(
        self,
        odoo_message: str,
        *,
        model: str | None = None,
        method: str | None = None,
        status: int | None = None,
        name: str | None = None,
    ) -> None:
        self.odoo_message = odoo_message
        self.model = model
        self.method = method
        self.status = status
        self.name = name
        where = f"{model}.{method}" if model and method else (model or method or "request")
        details = ", ".join(
            part for part in (name, f"HTTP {status}" if status is not None else None) if part
        )
        suffix = f" ({details})" if details else ""
        super().__init__(f"Odoo {where}: {self.hint}{odoo_message}{suffix}")

    hint = ""
    """A few words put before Odoo's message, saying what the user can do about it."""


class OdooAuthError(OdooError):
    """The API key (or login) was refused: 401 on JSON-2, AccessDenied or a failed login on JSON-RPC."""

    hint = "the API key was refused (check ODOO_API_KEY, the user and the database): "


class OdooAccessError(OdooError):
    """The key is valid but its user lacks the rights for this model or method (403)."""

    hint = "the API key's user lacks the access rights for this: "


class OdooNotFoundError(OdooError):
    """The model or method does not exist on this server (404 NotFound): a missing module?"""

    hint = "not found on this server (is the module installed?): "


class OdooMissingRecordError(OdooError):
    """A record named by id does not exist (or was deleted): 404 MissingError."""


class OdooUserError(OdooError):
    """A business refusal (422 UserError), e.g. a confirmation refused by a check."""


class OdooValidationError(OdooError):
    """A value Odoo refuses: a missing required field, a constraint (422 ValidationError)."""


class OdooBadRequestError(OdooError):
    """The request itself does not fit: bad JSON, arguments the method does not take (400, 422)."""


class OdooServerError(OdooError):
    """The server failed (5xx): an unknown field name, a crash, a proxy that gave up."""


class OdooConnectionError(OdooError):
    """No answer: the server is unreachable, timed out, or answered with something not JSON."""


_BY_NAME: Mapping[str, type[OdooError]] = {
    "werkzeug.exceptions.Unauthorized": OdooAuthError,
    "odoo.exceptions.AccessDenied": OdooAuthError,
    "odoo.exceptions.AccessError": OdooAccessError,
    "werkzeug.exceptions.Forbidden": OdooAccessError,
    "werkzeug.exceptions.NotFound": OdooNotFoundError,
    "odoo.exceptions.MissingError": OdooMissingRecordError,
    "odoo.exceptions.UserError": OdooUserError,
    "odoo.exceptions.RedirectWarning": OdooUserError,
    "odoo.exceptions.ValidationError": OdooValidationError,
    "werkzeug.exceptions.BadRequest": OdooBadRequestError,
    "werkzeug.exceptions.UnprocessableEntity": OdooBadRequestError,
}

_BY_STATUS: Mapping[int, type[OdooError]] = {
    400: OdooBadRequestError,
    401: OdooAuthError,
    403: OdooAccessError,
    404: OdooNotFoundError,
    422: OdooBadRequestError,
}

DETERMINISTIC_SERVER_ERRORS = frozenset(
    {"builtins.ValueError", "builtins.TypeError", "builtins.KeyError", "builtins.AttributeError"}
)
"""Server errors (500) that a retry cannot cure: Odoo raises them for a wrong field name in
``fields``, a domain or ``write`` values, or a wrong keyword argument."""


def error_from_body(
    body: Mapping[str, Any] | None,
    *,
    status: int | None,
    model: str | None,
    method: str | None,
    fallback: str,
) -> OdooError:
    """The error an Odoo error object (``{"name", "message", ...}``) or a bare status stands for."""
    name = _text(body.get("name")) if body else None
    message = (_text(body.get("message")) if body else None) or fallback
    cls = _BY_NAME.get(name or "")
    if cls is None and status is not None:
        cls = _BY_STATUS.get(status) or (OdooServerError if status >= 500 else None)
    if cls is None:
        cls = OdooServerError
    return cls(message, model=model, method=method, status=status, name=name)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
