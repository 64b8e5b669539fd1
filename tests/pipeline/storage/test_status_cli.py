"""`vigil pipeline status` shows unscreened registrations and exits 1 on a dead letter."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from tests.intake.samples import sample
from tests.pipeline.storage.test_pipeline import _file
from tests.pipeline.storage.test_pipeline import world as world
from tests.world import World
from vigil.cli import app as cli_app
from vigil.core.settings import KEY_NAMES
from vigil.intake import outbox
from vigil.intake.models import OutboxEvent

pytestmark = pytest.mark.storage


def _status(world: World, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    from vigil.core.settings import get_settings

    s = world.runtime.settings
    monkeypatch.setenv("VIGIL_DATABASE_URL", s.database_url)
    for name in KEY_NAMES:
        monkeypatch.setenv(f"VIGIL_{name.upper()}", getattr(s, name).get_secret_value())
    get_settings.cache_clear()
    result = CliRunner().invoke(cli_app, ["pipeline", "status"])
    return result.exit_code, result.output


def test_status_counts_unscreened_and_alerts_on_dead_letters(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(2):
        assert _file(world, "hotel", sample("hotel", n), "hotel").status_code == 202
    code, out = _status(world, monkeypatch)
    assert code == 0 and "2 unscreened registrations: 2 pending" in out
    with world.runtime.engine.begin() as conn:
        conn.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == conn.execute(OutboxEvent.__table__.select()).first()[0])
            .values(status=outbox.FAILED, attempts=outbox.MAX_ATTEMPTS)
        )
    code, out = _status(world, monkeypatch)
    assert code == 1
    assert "1 dead-lettered" in out and "never screened" in out
