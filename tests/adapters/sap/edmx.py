"""Reading the shipped EDMX files: entity sets, their properties (with type and updatability) and
navigations (with the entity set they lead to). Used by the fake Gateway and the name checks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SPECS = Path(__file__).parent / "specs"
EDM = "{http://schemas.microsoft.com/ado/2008/09/edm}"
SAP = "{http://www.sap.com/Protocols/SAPData}"


@dataclass
class EntitySetInfo:
    name: str
    type_name: str
    keys: list[str]
    properties: dict[str, str] = field(default_factory=dict)
    updatable: set[str] = field(default_factory=set)
    not_filterable: set[str] = field(default_factory=set)
    navigations: dict[str, str] = field(default_factory=dict)  # navigation -> target entity set
    etag_property: str | None = None


@cache
def service(name: str) -> dict[str, EntitySetInfo]:
    root = ET.parse(SPECS / f"{name}.edmx").getroot()
    schema = next(root.iter(f"{EDM}Schema"))
    namespace = schema.get("Namespace", "")
    types = {et.get("Name"): et for et in schema.iter(f"{EDM}EntityType")}
    ends = {
        (assoc.get("Name"), end.get("Role")): end.get("Type", "").split(".")[-1]
        for assoc in schema.iter(f"{EDM}Association")
        for end in assoc.iter(f"{EDM}End")
    }
    sets_by_type = {
        es.get("EntityType", "").split(".")[-1]: es.get("Name")
        for es in schema.iter(f"{EDM}EntitySet")
    }
    found: dict[str, EntitySetInfo] = {}
    for es in schema.iter(f"{EDM}EntitySet"):
        type_name = es.get("EntityType", "").removeprefix(namespace + ".")
        et = types[type_name]
        info = EntitySetInfo(
            name=str(es.get("Name")),
            type_name=f"{namespace}.{type_name}",
            keys=[ref.get("Name", "") for ref in et.iter(f"{EDM}PropertyRef")],
        )
        for prop in et.findall(f"{EDM}Property"):
            prop_name = prop.get("Name", "")
            info.properties[prop_name] = prop.get("Type", "")
            if prop.get(f"{SAP}updatable") != "false":
                info.updatable.add(prop_name)
            if prop.get(f"{SAP}filterable") == "false":
                info.not_filterable.add(prop_name)
            if prop.get("ConcurrencyMode") == "Fixed":
                info.etag_property = prop_name
        for nav in et.findall(f"{EDM}NavigationProperty"):
            assoc = nav.get("Relationship", "").split(".")[-1]
            target_type = ends[(assoc, nav.get("ToRole"))]
            info.navigations[nav.get("Name", "")] = str(sets_by_type.get(target_type, ""))
        found[info.name] = info
    return found


def metadata_xml(name: str) -> bytes:
    return (SPECS / f"{name}.edmx").read_bytes()
