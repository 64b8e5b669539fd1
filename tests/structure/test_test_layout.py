"""The tests mirror the source tree and keep database tests apart: a test module that takes a
database fixture lives in a `storage/` package of its domain (`tests/<domain>/storage/`,
`tests/<domain>/<subdomain>/storage/`) and carries the `storage` mark; a module outside
`storage/` needs no database."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
CORE_DATABASE_FIXTURES = {"runtime", "backend", "empty_database", "migrated_databases"}


def _test_modules() -> list[Path]:
    return sorted(p for p in TESTS.rglob("test_*.py") if "__pycache__" not in p.parts)


def _functions(path: Path) -> list[tuple[str, set[str], bool]]:
    """(name, parameter names, is a fixture) of each function in the module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
            fixture = any("fixture" in ast.unparse(d) for d in node.decorator_list)
            found.append((node.name, names, fixture))
    return found


def _database_fixtures() -> set[str]:
    """The core database fixtures and every fixture that takes one, however indirectly."""
    fixtures = [
        (name, params)
        for path in TESTS.rglob("*.py")
        for name, params, is_fixture in _functions(path)
        if is_fixture
    ]
    known = set(CORE_DATABASE_FIXTURES)
    while grown := {name for name, params in fixtures if params & known} - known:
        known |= grown
    return known


def _takes_a_database(path: Path, database_fixtures: set[str]) -> bool:
    return any(params & database_fixtures for _, params, _ in _functions(path))


def _in_storage(path: Path) -> bool:
    return "storage" in path.relative_to(TESTS).parts[:-1]


def test_database_tests_live_in_storage_packages_and_pure_tests_outside() -> None:
    modules, database_fixtures = _test_modules(), _database_fixtures()
    assert len(modules) > 50 and "world" in database_fixtures  # the scan sees the suite
    misplaced = [
        str(p.relative_to(TESTS))
        for p in modules
        if _takes_a_database(p, database_fixtures) != _in_storage(p)
    ]
    assert misplaced == [], "move these (database tests into storage/, pure ones out of it)"


def test_storage_modules_carry_the_storage_mark() -> None:
    unmarked = [
        str(p.relative_to(TESTS))
        for p in _test_modules()
        if _in_storage(p) and "pytest.mark.storage" not in p.read_text(encoding="utf-8")
    ]
    assert unmarked == []


def test_every_test_directory_is_a_package() -> None:
    """Same-named modules in two domains (`test_cli.py`) need packages to be told apart."""
    directories = {p.parent for p in _test_modules()}
    assert (
        sorted(str(d.relative_to(TESTS)) for d in directories if not (d / "__init__.py").exists())
        == []
    )


def test_the_domain_dash_db_layout_is_gone() -> None:
    assert sorted(p.name for p in TESTS.iterdir() if p.is_dir() and p.name.endswith("_db")) == []
