"""The intel domain's layout: subpackages import one way, pure modules stay pure, imports
register nothing, and every route describes its answer."""

from __future__ import annotations

import ast
from pathlib import Path

import vigil.intel

INTEL = Path(vigil.intel.__file__).parent
SUBDOMAINS = ("clues", "sharing", "cases", "tips", "exchange")
# Who may import whom inside intel (besides itself and the pure `marking`). Sharing stands on
# clues: the visibility rule and the grants it reads live with the clues, and sharing adds
# agreements, shares and requests on top.
ALLOWED = {
    "clues": set(),
    "sharing": {"clues"},
    "cases": {"clues"},
    "tips": {"clues", "sharing"},  # tips.api takes sharing's DecisionIn for reward approvals
    "exchange": {"clues", "cases"},
}
PURE = ("marking.py", "cases/graph.py", "exchange/stix.py")
IMPURE_PREFIXES = ("sqlalchemy", "fastapi", "vigil.core.db", "vigil.governance", "vigil.api")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_subpackages_import_one_way() -> None:
    wrong = []
    for sub in SUBDOMAINS:
        for path in (INTEL / sub).rglob("*.py"):
            for name in _imports(path):
                parts = name.split(".")
                if parts[:2] != ["vigil", "intel"] or len(parts) < 3:
                    continue
                target = parts[2]
                if target in (sub, "marking") or target in ALLOWED[sub]:
                    continue
                wrong.append(f"{path.relative_to(INTEL)} imports {name}")
    assert wrong == []


def test_pure_modules_do_no_io() -> None:
    for rel in PURE:
        names = _imports(INTEL / rel)
        impure = sorted(n for n in names if n.startswith(IMPURE_PREFIXES))
        intel = sorted(n for n in names if n.startswith("vigil.intel") and "marking" not in n)
        assert (rel, impure, intel) == (rel, [], [])


def test_importing_a_domain_registers_nothing_and_the_top_floor_collects_every_rule() -> None:
    import vigil.all_models  # noqa: F401  (every domain's tables, nothing else)
    from vigil import domains
    from vigil.governance import retention

    assert not hasattr(retention, "register_rule")
    kinds = {rule.record_type for rule in domains.retention_rules()}
    assert {"tip", "person", "alert", "incident", "hotel", "parcel"} <= kinds


def test_every_intel_route_describes_its_answer() -> None:
    from vigil.api.app import create_app
    from vigil.core.runtime import Runtime
    from vigil.core.settings import Settings

    spec = create_app(
        Runtime.create(Settings(database_url="sqlite://")), pipeline_in_process=False
    ).openapi()
    undescribed, routes = [], 0
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if "intel" not in op.get("tags", []):
                continue
            routes += 1
            for code, answer in op["responses"].items():
                if not code.startswith("2"):
                    continue
                content = answer.get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                named = schema.get("$ref") or schema.get("items", {}).get("$ref")
                if not named and "text/html" not in content:
                    undescribed.append(f"{method.upper()} {path}")
    assert routes == 43  # with the case approval, person links and /v1/taxii (4)
    assert undescribed == []
