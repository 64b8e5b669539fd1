"""`vigil keys begin` and `finish` on the key file: the old identity keys become the previous
ones and stay valid for reading until the rotation finishes; the other keys do not change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigil.core.protect import IdentifierVault
from vigil.core.settings import Settings, begin_key_rotation, finish_key_rotation


def _settings(path: Path) -> Settings:
    return Settings(database_url="sqlite://", key_file=path).with_generated_keys()


def test_begin_then_finish(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    before = _settings(path)
    old_vault = IdentifierVault.from_settings(before)
    token = old_vault.encrypt("11010519491231002X")
    begin_key_rotation(path)
    with pytest.raises(ValueError, match="under way"):
        begin_key_rotation(path)
    during = _settings(path)
    vault = IdentifierVault.from_settings(during)
    assert vault.rotating and vault.reveal(token) == "11010519491231002X"
    assert not vault.opens(token) and vault.rekey(token) is not None
    assert vault.hash("x") != old_vault.hash("x")
    assert vault.hash_under_other_key(token) == vault.hash("11010519491231002X")
    assert during.audit_entry_key == before.audit_entry_key  # only identity keys rotate
    assert finish_key_rotation(path) and not finish_key_rotation(path)
    stored = json.loads(path.read_text())
    assert not any(k.endswith("_previous") for k in stored)
    after = IdentifierVault.from_settings(_settings(path))
    assert not after.rotating and not after.opens(token)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
