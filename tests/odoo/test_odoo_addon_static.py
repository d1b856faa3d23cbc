"""The Odoo module checked without Odoo: its Python parses and imports only Odoo, the standard
library and forced_labour_guard at module level (and what it imports from the library exists);
its XML parses with unique record ids; its manifest lists files that exist and declares the
modules its references need; its views name fields and buttons its models define."""

from __future__ import annotations

import ast
import csv
import importlib
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ADDON = Path(__file__).resolve().parents[2] / "adapters" / "odoo" / "purchase_forced_labour_guard"
MODULE = ADDON.name
PYTHON_FILES = sorted(ADDON.rglob("*.py"))
XML_FILES = sorted(ADDON.rglob("*.xml"))
ALLOWED_ROOTS = {"odoo", "forced_labour_guard"}


def _is_submodule(module: object, name: str) -> bool:
    try:
        importlib.import_module(f"{getattr(module, '__name__', '')}.{name}")
    except ImportError:
        return False
    return True


def _manifest() -> dict[str, object]:
    manifest: dict[str, object] = ast.literal_eval((ADDON / "__manifest__.py").read_text())
    return manifest


def _python_sources() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in PYTHON_FILES)


def test_the_addon_has_the_parts_of_an_odoo_module() -> None:
    for part in ("__init__.py", "__manifest__.py", "README.md", "security/ir.model.access.csv"):
        assert (ADDON / part).is_file(), part
    assert PYTHON_FILES and XML_FILES


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(ADDON)))
def test_python_parses_and_imports_only_odoo_the_stdlib_and_the_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: a module of the addon itself
                continue
            roots = [(node.module or "").split(".")[0]]
            if roots[0] == "forced_labour_guard":
                module = importlib.import_module(node.module or "")
                for alias in node.names:
                    assert hasattr(module, alias.name) or _is_submodule(module, alias.name), (
                        f"{node.module} has no {alias.name}"
                    )
        else:
            continue
        for root in roots:
            assert root in ALLOWED_ROOTS or root in sys.stdlib_module_names, (
                f"{path.name} imports {root} at module level"
            )


def test_library_attributes_the_addon_uses_exist() -> None:
    """``addon.something`` in the addon must be a name of forced_labour_guard.adapters.odoo.addon."""
    addon = importlib.import_module("forced_labour_guard.adapters.odoo.addon")
    used = set(re.findall(r"\baddon\.([A-Za-z_][A-Za-z0-9_]*)", _python_sources()))
    assert used, "the addon calls the library"
    assert sorted(name for name in used if not hasattr(addon, name)) == []


def test_manifest_depends_on_purchase_and_declares_the_library() -> None:
    manifest = _manifest()
    assert "purchase" in manifest["depends"]  # type: ignore[operator]
    assert manifest["external_dependencies"] == {"python": ["forced_labour_guard"]}
    assert manifest["license"] and manifest["version"].startswith("19.0.")  # type: ignore[union-attr]


def test_manifest_data_files_exist_and_every_data_file_is_listed() -> None:
    listed = list(_manifest()["data"])  # type: ignore[call-overload]
    assert len(listed) == len(set(listed))
    for name in listed:
        assert (ADDON / name).is_file(), name
    on_disk = {str(path.relative_to(ADDON)) for path in [*XML_FILES, *ADDON.rglob("*.csv")]}
    assert on_disk == set(listed), "a data file that is not in the manifest is never loaded"


def _records() -> list[tuple[Path, ET.Element]]:
    found = []
    for path in XML_FILES:
        root = ET.parse(path).getroot()
        assert root.tag == "odoo", path
        found += [
            (path, element)
            for element in root.iter()
            if element.tag in ("record", "template", "menuitem")
        ]
    return found


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: str(p.relative_to(ADDON)))
def test_xml_parses(path: Path) -> None:
    ET.parse(path)


def test_record_ids_are_unique() -> None:
    ids = [element.get("id") for _, element in _records()]
    assert all(ids)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def _references() -> set[str]:
    refs: set[str] = set()
    for path in XML_FILES:
        text = path.read_text(encoding="utf-8")
        refs |= set(re.findall(r'(?:ref|inherit_id)="([^"]+)"', text))
        refs |= set(re.findall(r"ref\('([^']+)'\)", text))
        refs |= set(re.findall(r'groups="([^"]+)"', text))
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            refs |= {row["model_id:id"], row["group_id:id"]}
    return {part.strip() for ref in refs for part in ref.split(",") if part.strip()}


def test_references_to_other_modules_are_declared_dependencies() -> None:
    depends = set(_manifest()["depends"]) | {"base", MODULE}  # type: ignore[call-overload]
    foreign = {ref.split(".")[0] for ref in _references() if "." in ref}
    assert foreign <= depends, foreign - depends


def _models() -> dict[str, str]:
    """Model name -> class kind, for the models this addon defines (``_name`` without being in
    ``_inherit``)."""
    models: dict[str, str] = {}
    for path in PYTHON_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            values = {
                target.id: stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                for target in stmt.targets
                if isinstance(target, ast.Name)
            }
            name = values.get("_name")
            if isinstance(name, ast.Constant):
                inherit = values.get("_inherit")
                inherited = ast.literal_eval(inherit) if inherit is not None else []
                if name.value not in (inherited if isinstance(inherited, list) else [inherited]):
                    kind = ast.unparse(node.bases[0]) if node.bases else ""
                    models[str(name.value)] = kind
    return models


def test_local_refs_and_access_rules_point_at_what_the_addon_defines() -> None:
    models = _models()
    model_ids = {"model_" + name.replace(".", "_") for name in models}
    record_ids = {element.get("id") for _, element in _records()}
    local = {ref for ref in _references() if "." not in ref or ref.startswith(f"{MODULE}.")}
    for ref in local:
        name = ref.removeprefix(f"{MODULE}.")
        assert name in model_ids or name in record_ids, f"{ref} is defined nowhere in the addon"
    with (ADDON / "security" / "ir.model.access.csv").open(encoding="utf-8") as handle:
        covered = {row["model_id:id"] for row in csv.DictReader(handle)}
    stored = {
        "model_" + name.replace(".", "_")
        for name, kind in models.items()
        if kind in ("models.Model", "models.TransientModel")
    }
    assert stored <= covered, f"no access rule for {stored - covered}"


def test_views_use_fields_and_buttons_the_models_define() -> None:
    source = _python_sources()
    defined_fields = set(re.findall(r"^\s+(flg_\w+) = fields\.", source, flags=re.M))
    defined_methods = set(re.findall(r"^\s+def (\w+)\(", source, flags=re.M))
    for path in sorted((ADDON / "views").glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        for field in set(re.findall(r'<field name="(flg_\w+)"', text)):
            assert field in defined_fields, f"{path.name}: {field} is not a field of the addon"
        for button in set(re.findall(r'<button name="(\w+)" type="object"', text)):
            assert button in defined_methods, f"{path.name}: no method {button}"
