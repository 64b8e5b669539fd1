"""`make bench`: run every benchmark in this folder, one after the other, and keep their output.

Each benchmark prints its own figures as ratios against a baseline measured in the same run.
Pass script names to run only some: `python bench/run_all.py hotspots screen`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "hotspots",
    "parcels",
    "resolve",
    "resolve_scale",
    "screen",
    "intake",
    "graph",
    "pipeline",
    "audit",
    "pipeline_rate",
    "cli_startup",
    "response",
    "infrastructure",
    "patrol",
    "patrol_games",
    "video",
    "video_accuracy",
    "key_rotation",
]


def main(selected: list[str]) -> int:
    names = selected or [n for n in ORDER if (HERE / f"{n}.py").exists()]
    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    failures = 0
    for name in names:
        script = HERE / f"{name}.py"
        print(f"\n=== bench/{name}.py ===", flush=True)
        started = time.perf_counter()
        with (out_dir / f"{name}.txt").open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                [sys.executable, str(script)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            assert process.stdout is not None
            for line in process.stdout:
                sys.stdout.write(line)
                log.write(line)
            code = process.wait()
        failures += code != 0
        print(f"=== {name}: exit {code} in {time.perf_counter() - started:.1f} s ===", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
