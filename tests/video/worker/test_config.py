"""The worker configuration: field-level errors for bad input, schedules, YAML and JSON."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from vigil.video.worker.config import Schedule, WorkerConfig, load_config

ZONE = {"name": "yard", "polygon": [[0, 0], [10, 0], [10, 10]]}


def test_a_rule_must_name_a_known_zone() -> None:
    with pytest.raises(ValidationError, match="names no known zone"):
        WorkerConfig.model_validate(
            {
                "camera": "c",
                "zones": [ZONE],
                "rules": [{"name": "r", "kind": "intrusion", "zone": "nowhere"}],
            }
        )


def test_density_rules_need_a_calibration() -> None:
    with pytest.raises(ValidationError, match="needs a calibration"):
        WorkerConfig.model_validate(
            {
                "camera": "c",
                "zones": [ZONE],
                "rules": [{"name": "r", "kind": "crowd_density", "zone": "yard"}],
            }
        )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("privacy_masks", [[[0, 0], [1, 1]]], "at least 3 points"),
        ("fps", 0, "greater than 0"),
        ("start_at", "2026-06-01T12:00:00", "UTC offset"),
        ("lines", [{"name": "l", "a": [1, 1], "b": [1, 1]}], "two distinct end points"),
    ],
)
def test_bad_fields_are_named(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        WorkerConfig.model_validate({"camera": "c", field: value})
    assert caught.value.errors()[0]["loc"][0] == field


def test_schedules_run_over_midnight_in_their_time_zone() -> None:
    night = Schedule(
        days=[4], start="22:00", end="06:00", timezone="Europe/Berlin"
    )  # Friday nights
    assert night.armed(datetime(2026, 6, 5, 21, 30, tzinfo=UTC))  # Fri 23:30 in Berlin
    assert night.armed(datetime(2026, 6, 6, 2, 0, tzinfo=UTC))  # Sat 04:00, still Friday's night
    assert not night.armed(datetime(2026, 6, 6, 21, 30, tzinfo=UTC))  # Sat 23:30
    assert not night.armed(datetime(2026, 6, 5, 12, 0, tzinfo=UTC))
    with pytest.raises(ValidationError, match="unknown time zone"):
        Schedule(timezone="Mars/Olympus")
    with pytest.raises(ValidationError, match="weekday numbers"):
        Schedule(days=[7])


def test_yaml_and_json_read_the_same(tmp_path: Path) -> None:
    data = {
        "camera": "gate-3",
        "zones": [ZONE],
        "rules": [{"name": "r", "kind": "loitering", "zone": "yard", "dwell_s": 45}],
    }
    import yaml

    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "c.json").write_text(json.dumps(data))
    assert load_config(tmp_path / "c.yaml") == load_config(tmp_path / "c.json")
    assert load_config(tmp_path / "c.yaml").rules[0].dwell_s == 45


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "camera",
                "fps",
                "zones",
                "rules",
                "lines",
                "privacy_masks",
                "calibration",
                "motion_scale",
                "start_at",
            ]
        ),
        st.recursive(
            st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=6), inner, max_size=4)
            ),
            max_leaves=12,
        ),
    )
)
def test_any_input_is_either_valid_or_a_validation_error(data: dict) -> None:
    with contextlib.suppress(ValidationError):
        WorkerConfig.model_validate(data)
