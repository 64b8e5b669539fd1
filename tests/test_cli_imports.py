"""`vigil --help` must answer fast: importing `vigil.cli` may not pull in the heavy libraries or
any domain's service or models; the commands import those when they run."""

from __future__ import annotations

import re
import subprocess
import sys

HEAVY_LIBRARIES = ("pandas", "numpy", "matplotlib", "alembic", "fastapi", "sqlalchemy", "uvicorn")
DOMAIN_INTERNALS = re.compile(r"^vigil\.(?:[a-z_]+\.)*(?:service|models)$")


def _imported_modules(statement: str) -> list[str]:
    """The modules `statement` imports in a fresh interpreter, read from `-X importtime`."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        check=True,
    )
    names = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":  # the header line
                names.append(name)
    return names


def _forbidden(names: list[str]) -> list[str]:
    """The heavy top-level packages and the domain service/models modules among `names`."""
    found = {name.split(".")[0] for name in names if name.split(".")[0] in HEAVY_LIBRARIES}
    found.update(name for name in names if DOMAIN_INTERNALS.match(name))
    return sorted(found)


def test_importing_the_cli_pulls_in_no_heavy_module() -> None:
    names = _imported_modules("import vigil.cli")
    assert "vigil.cli" in names  # the parse saw the import itself
    assert _forbidden(names) == []


def test_building_the_help_pulls_in_no_heavy_module() -> None:
    # `--help` builds every group's click command, which reads each command's annotations
    statement = "import typer.main, vigil.cli; typer.main.get_command(vigil.cli.app)"
    assert _forbidden(_imported_modules(statement)) == []


def test_the_check_sees_a_heavy_import() -> None:
    names = _imported_modules("import vigil.governance.service")
    assert "vigil.governance.service" in _forbidden(names)
    assert "sqlalchemy" in _forbidden(names)
