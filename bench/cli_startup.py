"""CLI start-up: the wall time of `vigil --help` and of a group's `--help`, each a fresh
process, against the interpreter's own start-up (`python -c pass`) measured in the same run.

    python bench/cli_startup.py [--runs 5]

The target is a median `vigil --help` of at most 0.5 s on 2 cores. Each command runs `runs`
times after one untimed warm-up; the median is reported. The runs use a bytecode cache (in a
temporary PYTHONPYCACHEPREFIX, so nothing is written into the tree), as an installed package
has: with PYTHONDONTWRITEBYTECODE every start compiles each imported module again, which is
shown on one extra line for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 0.5


def vigil_command() -> list[str]:
    """The installed `vigil` script beside this interpreter, else `python -m vigil.cli`."""
    script = Path(sys.executable).with_name("vigil")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vigil.cli"]


def median_wall_s(command: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(command, check=True, capture_output=True, env=env)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    vigil = vigil_command()
    print(f"cores: {os.cpu_count()}; runs: {args.runs} (median); command: {' '.join(vigil)}")
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base_env["COLUMNS"] = "100"
    with tempfile.TemporaryDirectory(prefix="vigil-pycache-") as cache:
        env = {**base_env, "PYTHONPYCACHEPREFIX": cache}
        baseline = median_wall_s([sys.executable, "-c", "pass"], args.runs, env)
        print(f"python -c pass (baseline)          {baseline:6.3f} s")
        walls = {}
        for extra in ("--help", "audit --help", "analytics --help"):
            walls[extra] = median_wall_s([*vigil, *extra.split()], args.runs, env)
            label = f"vigil {extra}"
            print(f"{label:<35}{walls[extra]:6.3f} s  ({walls[extra] / baseline:5.1f}x baseline)")
    uncached = median_wall_s(
        [*vigil, "--help"], args.runs, {**base_env, "PYTHONDONTWRITEBYTECODE": "1"}
    )
    print(
        f"vigil --help, no bytecode cache    {uncached:6.3f} s"
        f"  ({uncached / baseline:5.1f}x baseline)"
    )
    verdict = "meets" if walls["--help"] <= TARGET_S else "misses"
    print(f"vigil --help {verdict} the {TARGET_S} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
