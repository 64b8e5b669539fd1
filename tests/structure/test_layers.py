"""The import contracts in pyproject.toml hold on the real tree, and each one catches the import
it forbids: a copy of the package gets one forbidden import, and `lint-imports` must refuse it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint(cwd: Path, src: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts `src` ahead of the installed (editable) vigil, so grimp reads that tree.
    env = {**os.environ, "PYTHONPATH": str(src)}
    only = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", "--config", str(cwd / "pyproject.toml"), *only],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_real_tree_keeps_every_contract() -> None:
    result = _lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("core/clock.py", "import vigil.api.app", "floors"),
        ("governance/access.py", "import vigil.http.deps", "floors"),
        ("registry/service.py", "import vigil.pipeline", "floors"),
        ("alerts/service.py", "import vigil.intel.tips.service", "domains-independent"),
        ("alerts/service.py", "import vigil.intake.models", "no-foreign-models-alerts"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, forbidden_import: str, contract: str
) -> None:
    shutil.copytree(ROOT / "src" / "vigil", tmp_path / "src" / "vigil")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "vigil" / module
    target.write_text(target.read_text() + f"\n{forbidden_import}  # noqa\n")

    assert _lint(tmp_path, tmp_path / "src").returncode != 0
    result = _lint(tmp_path, tmp_path / "src", contract)  # that contract alone catches it

    assert result.returncode != 0, result.stdout
    assert "1 broken" in result.stdout
    importer = "vigil." + module.removesuffix(".py").replace("/", ".")
    assert importer in result.stdout  # the report names the offending module
