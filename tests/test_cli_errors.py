"""A file the command line cannot write (a folder that does not exist) is named in one
line with a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_an_output_in_a_missing_folder_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "incident_id,type,time,lat,lon\n1,theft,2026-01-05T10:00:00+08:00,31.23,121.47\n",
        encoding="utf-8",
    )
    out = tmp_path / "missing" / "profile.json"
    args = ["analytics", "profile", "--incidents", str(incidents), "--out", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", "from vigil.cli import main; main()", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last == f"error: {out}: No such file or directory"


def test_a_long_error_stays_on_one_line_when_the_output_is_not_a_terminal(
    tmp_path: Path,
) -> None:
    """Rich wraps at 80 columns when it writes to a pipe or a log; an error is one line
    there too, so that it can be read whole and searched for."""
    from typer.testing import CliRunner

    from vigil.cli import app

    bundle = tmp_path / "bundle.json"
    bundle.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(app, ["intel", "import", str(bundle), "--as", "analyst"])
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith("error: --legal-basis is required") and len(line) > 80


def test_every_command_line_error_console_keeps_its_lines_whole() -> None:
    from rich.console import Console

    from vigil.analytics import cli as analytics
    from vigil.flows import infrastructure_cli, keys_cli, screening_feedback
    from vigil.governance import cli as governance
    from vigil.intake import cli as intake
    from vigil.intel.exchange import cli as intel
    from vigil.intel.exchange import taxii_cli
    from vigil.patrol import cli as patrol
    from vigil.registry import cli as registry
    from vigil.response import cli as response
    from vigil.screening import cli as screening
    from vigil.units import cli as units

    modules = [analytics, infrastructure_cli, keys_cli, screening_feedback, governance, intake]
    modules += [intel, taxii_cli, patrol, registry, response, screening, units]
    for module in modules:
        console = module.console
        assert isinstance(console, Console) and console.stderr, module.__name__
        assert console.soft_wrap, f"{module.__name__}'s errors wrap at the terminal's width"
