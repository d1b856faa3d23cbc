"""Every setting of the SAP adapter in one typed place, read from one TOML (or JSON) file.

Secrets never sit in the file: it names the environment variables that hold them
(``password_env``, ``client_secret_env``). Example (``examples/sap/sap.toml`` is a full one)::

    base_url = "https://s4.example.com"
    sap_client = "100"

    [auth]
    kind = "basic"                 # or "oauth2" with token_url, client_id, client_secret_env
    user = "FLG_COMM_USER"
    password_env = "FLG_SAP_PASSWORD"

    [regions]
    scheme = "gbt2260"             # iso_letters | gbt2260 | sap_three_digit; omit to list your own
    codes = { "31" = "XJ" }        # your T005S keys (country CN) -> ISO 3166-2:CN letters

    [origin]
    kind = "material_table"        # material_table | custom_field | item_text | none
    [origin.materials]
    "COTTON-YARN-01" = { country = "CN", text = "Aksu, Xinjiang" }

    [enforcement]
    dry_run = true
    purchasing_orgs = ["1010"]     # also set PurchasingIsBlockedForSupplier there
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forced_labour_guard import settings as environment
from forced_labour_guard.errors import InputError, first_problem
from forced_labour_guard.model import Address


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BasicAuthSettings(_Settings):
    kind: Literal["basic"] = "basic"
    user: str
    password_env: str = Field(
        default=environment.SAP_PASSWORD.name, description="Env var with the password."
    )


class OAuth2Settings(_Settings):
    kind: Literal["oauth2"]
    token_url: str
    client_id: str
    client_secret_env: str = Field(default=environment.SAP_CLIENT_SECRET.name)
    scope: str | None = None


class RegionSettings(_Settings):
    """How SAP region keys of Chinese addresses are read (see ``regions.py``)."""

    scheme: Literal["iso_letters", "gbt2260", "sap_three_digit"] | None = None
    codes: dict[str, str] = Field(
        default_factory=dict, description="Your keys -> ISO 3166-2:CN letters; win over the scheme."
    )


class OriginSettings(_Settings):
    """Where the origin of a PO item's inputs comes from: the V2 PO item has no origin property."""

    kind: Literal["material_table", "custom_field", "item_text", "none"] = "none"
    materials: dict[str, Address] = Field(
        default_factory=dict, description="Material number -> where its input is produced."
    )
    field: str | None = Field(
        default=None, description="A custom (YY1_) item property holding an origin place or code."
    )


class EnforcementSettings(_Settings):
    dry_run: bool = True
    purchasing_orgs: list[str] = Field(
        default_factory=list,
        description="Purchasing organisations whose PurchasingIsBlockedForSupplier is set too.",
    )
    actor: str = Field(default="flg-sap", description="Who the audit trail names for SAP writes.")


class SapSettings(_Settings):
    base_url: str = Field(description="Scheme, host and port of the S/4HANA system.")
    sap_client: Annotated[str, Field(pattern=r"^\d{3}$")] | None = None
    business_partner_path: str = "/sap/opu/odata/sap/API_BUSINESS_PARTNER"
    purchase_order_path: str = "/sap/opu/odata/sap/API_PURCHASEORDER_PROCESS_SRV"
    auth: BasicAuthSettings | OAuth2Settings | None = Field(default=None, discriminator="kind")
    connect_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    read_timeout_seconds: float = Field(default=60.0, gt=0, le=600)
    max_attempts: int = Field(default=4, ge=1, le=10)
    verify_tls: bool | str = Field(default=True, description="False, True or a CA bundle path.")
    regions: RegionSettings = Field(default_factory=RegionSettings)
    origin: OriginSettings = Field(default_factory=OriginSettings)
    enforcement: EnforcementSettings = Field(default_factory=EnforcementSettings)
    webhook_origins: list[str] = Field(
        default_factory=list,
        description="Event Mesh origins the webhook handshake allows; empty allows any.",
    )

    def secret(self, variable: str) -> str:
        value = environment.secret(variable)
        if not value:
            raise InputError(f"environment variable {variable} is not set", path="auth")
        return value


def load_settings(path: str | Path) -> SapSettings:
    """Read the adapter's settings file; a bad key names its path (exit 2 in the CLI)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read SAP settings ({error.strerror})", source=str(file)) from None
    try:
        data = json.loads(text) if file.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"not valid TOML/JSON: {error}", source=str(file)) from None
    return settings_from_mapping(data, source=str(file))


def settings_from_mapping(data: object, *, source: str = "SAP settings") -> SapSettings:
    try:
        return SapSettings.model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error)
        raise InputError(message, path=where, source=source) from None
