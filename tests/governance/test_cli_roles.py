"""`vigil user add` offers the roles a person may hold, and every one of them."""

from __future__ import annotations

from typer.testing import CliRunner

from vigil.cli import app
from vigil.governance.cli import PersonRole
from vigil.governance.roles import Role

runner = CliRunner()


def test_person_roles_are_every_role_but_a_video_sources() -> None:
    assert {r.value for r in PersonRole} == {r.value for r in Role} - {Role.VIDEO_SOURCE.value}


def test_user_add_refuses_the_video_source_role_before_asking_for_a_password() -> None:
    args = ["user", "add", "nvr", "--role", "video_source", "--org", "HQ", "--password", "x"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "video_source" in said and "officer" in said  # names the choices it has
