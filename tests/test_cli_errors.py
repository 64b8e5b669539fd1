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
