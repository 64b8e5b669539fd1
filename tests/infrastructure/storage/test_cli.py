"""`vigil infrastructure ...` against the fixture's database."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from vigil.cli import app as cli_app
from vigil.core.runtime import Runtime
from vigil.governance import service as governance
from vigil.governance.access import system_context
from vigil.infrastructure.models import InfraAsset

pytestmark = pytest.mark.storage


def _cli(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, command: str) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in ("secret_key", "id_encryption_key", "id_hash_key"):
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, shlex.split(command))
    return result.exit_code, result.output


def _assets(runtime: Runtime) -> int:
    with runtime.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(InfraAsset)) or 0)


def test_import_grid_assets_and_cascade(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with runtime.unit_of_work() as session:
        governance.create_organisation(session, system_context(), "Harbour PSB", "agency")
    code, out = _cli(
        runtime,
        monkeypatch,
        "infrastructure import-grid --agency 'Harbour PSB' --operator 'Grid Co' "
        "--lat 31.2 --lon 121.5 --shipped case33bw --name Feeder",
    )
    assert code == 0, out
    grid = json.loads(out)
    assert grid["assets"] == 33 + 37 + 1 and grid["dependencies"] > 33

    assets = tmp_path / "assets.csv"
    assets.write_text(
        "external_id,name,kind,subtype,operator,latitude,longitude,population_served\n"
        "pump-a,Pump A,water,pumping_station,Water Co,31.2,121.5,0\n"
        "district-a,District A,water,district,Water Co,31.21,121.5,12000\n",
        encoding="utf-8",
    )
    links = tmp_path / "deps.csv"
    links.write_text(
        "supplier,dependant,kind\nFeeder:bus:17,pump-a,requires\npump-a,district-a,requires\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(assets.read_text(encoding="utf-8").replace("31.21", "north"), encoding="utf-8")
    code, out = _cli(
        runtime, monkeypatch, f"infrastructure import-assets --agency 'Harbour PSB' {bad}"
    )
    assert code != 0 and "rows.2.latitude" in out
    assert _assets(runtime) == 71

    code, out = _cli(
        runtime,
        monkeypatch,
        f"infrastructure import-assets --agency 'Harbour PSB' {assets} --dependencies {links}",
    )
    assert code == 0, out
    assert json.loads(out) == {"network_id": None, "assets": 2, "dependencies": 2}

    code, out = _cli(
        runtime, monkeypatch, "infrastructure cascade --agency 'Harbour PSB' --asset Feeder:line:0"
    )
    assert code == 0, out
    cascade = json.loads(out)
    failed = {f["external_id"] for f in cascade["failed"]}
    assert {"Feeder:bus:17", "pump-a", "district-a"} <= failed
    (power_run,) = cascade["simulations"]
    assert 17 in power_run["unsupplied_buses"]
    assert cascade["population_affected"] >= 12000

    code, out = _cli(runtime, monkeypatch, "infrastructure risk --agency 'Harbour PSB' --limit 3")
    assert code == 0, out
    ranked = json.loads(out)
    assert len(ranked) == 3 and all("source" in r["threat"] for r in ranked)
