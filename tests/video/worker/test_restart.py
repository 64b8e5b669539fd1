"""Acceptance 4: a worker killed mid-clip (SIGKILL) and restarted loses no event and doubles
none, against an uninterrupted run of the same clip."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vigil.video.worker.analytics import RuleState
from vigil.video.worker.config import DetectorSpec
from vigil.video.worker.runner import CheckpointRefused, Worker, load_checkpoint
from vigil.video.worker.source import write_clip
from vigil.video.worker.synth import render


def _watch(clip: Path, config: Path, events: Path, checkpoint: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "vigil.video.worker.cli",
        "watch",
        str(clip),
        "--config",
        str(config),
        "--events",
        str(events),
        "--checkpoint",
        str(checkpoint),
    ]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_killed_worker_resumes_without_losing_or_doubling_events(tmp_path: Path) -> None:
    rendered = render("street", frames=400, seed=1)
    clip = tmp_path / "clip.mkv"
    write_clip(clip, rendered.frames, rendered.config.fps)
    config = tmp_path / "config.json"
    settings = rendered.config.model_copy(
        update={
            "checkpoint_every": 60,
            "motion_warmup": 30,
            "detector": DetectorSpec(kind="motion_blob"),
        }
    )
    config.write_text(settings.model_dump_json())

    whole = tmp_path / "whole.jsonl"
    subprocess.run(
        _watch(clip, config, whole, tmp_path / "whole.ckpt"), check=True, capture_output=True
    )
    expected = _lines(whole)
    assert len(expected) >= 8

    events, checkpoint = tmp_path / "events.jsonl", tmp_path / "run.ckpt"
    process = subprocess.Popen(
        _watch(clip, config, events, checkpoint),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if checkpoint.exists() and events.exists() and events.stat().st_size > 0:
            break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    with checkpoint.open("rb") as handle:
        killed_at = load_checkpoint(handle)["next_frame"]
    assert 0 < killed_at < 400  # it died mid-clip, after a checkpoint
    before = _lines(events)
    assert len(before) < len(expected)  # and before it had emitted everything

    resumed = subprocess.run(
        _watch(clip, config, events, checkpoint), check=True, capture_output=True, text=True
    )
    assert f"resumed at {killed_at}" in resumed.stdout
    after = _lines(events)
    ids = [event["source_event_id"] for event in after]
    assert len(ids) == len(set(ids))  # nothing doubled
    assert after == expected  # nothing lost, nothing changed, same order


class _Planted:
    """What an attacker would put in a checkpoint: unpickling it runs a command."""

    def __reduce__(self):
        return (os.system, ("touch planted",))


def test_a_checkpoint_that_would_run_code_is_refused(tmp_path: Path) -> None:
    rendered = render("street", frames=20, seed=1)
    checkpoint = tmp_path / "run.ckpt"
    checkpoint.write_bytes(pickle.dumps({"config": "x", "next_frame": _Planted()}))
    worker = Worker(rendered.config, None, checkpoint=checkpoint)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(CheckpointRefused, match=r"(posix|os|nt)\.system"):
            worker.run(lambda start: iter(()))
    finally:
        os.chdir(cwd)
    assert not (tmp_path / "planted").exists()
    checkpoint.write_bytes(b"not a pickle at all")
    with pytest.raises(CheckpointRefused):
        Worker(rendered.config, None, checkpoint=checkpoint).run(lambda start: iter(()))


def test_a_checkpoint_from_an_older_worker_restores_with_newer_fields_empty() -> None:
    old = RuleState()
    old.fired.add(7)
    del old.__dict__["reported_places"]  # a field the older worker did not have
    restored = pickle.loads(pickle.dumps(old))
    assert restored.fired == {7}
    assert restored.reported_places == []
