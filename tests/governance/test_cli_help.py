"""`vigil org add` and `vigil apikey revoke` say what each argument and option is."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from vigil.cli import app

runner = CliRunner()


def _help(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (("org", "add"), "Register an organisation"),
        (("org", "add"), "the organisation's name, unique"),
        (("org", "add"), "agency or business"),
        (("org", "add"), "a business's sector"),
        (("apikey", "revoke"), "Revoke an API key"),
        (("apikey", "revoke"), "the key's prefix"),
        (("apikey", "create"), "what the key is for"),
    ],
)
def test_help_names_every_argument_and_option(command: tuple[str, ...], said: str) -> None:
    assert said in _help(*command)
