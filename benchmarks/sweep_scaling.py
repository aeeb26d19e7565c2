"""Benchmark: a 100-cell sweep on a LocalCluster of 1 worker vs 2 workers (issue 6).

Target (issue 6): 2 workers >= 1.7x faster than 1 on the same 100 cells. The cells are the
example raid (scenarios/nk-salvo-vs-defence.yaml, 200 trials) over salvo size (5) x doctrine
(2) x C2 latency (10). Each sweep writes a fresh store and its wall time includes starting the
cluster. A one-cell sweep runs first so numba's on-disk cache is warm for both timings.

Run: ``python benchmarks/sweep_scaling.py`` (prints a markdown table).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from goldendome.app import sweep as app_sweep

BASE = Path(__file__).resolve().parents[1] / "scenarios" / "nk-salvo-vs-defence.yaml"
GRID = {"threats[0].count": [1, 2, 3, 4, 5], "architecture.c2.doctrine": ["shoot-shoot", "shoot-look-shoot"],
        "architecture.c2.latency_s": [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]}
TRIALS = 200


def _study(folder: Path, grid: dict) -> Path:
    doc = {"schema": "goldendome/study-v1", "name": "bench-sweep", "base": str(BASE), "trials": TRIALS,
           "seed": 7, "grid": grid}
    path = folder / f"study-{len(json.dumps(grid))}.yaml"
    path.write_text(json.dumps(doc))
    return path


def rows() -> list[tuple[str, str, str]]:
    """(figure, measured, target) rows."""
    with tempfile.TemporaryDirectory(prefix="goldendome-bench-") as tmp:
        tmp = Path(tmp)
        app_sweep.sweep(_study(tmp, {"threats[0].count": [1]}), workers=1, store_path=tmp / "warm.duckdb")
        study = _study(tmp, GRID)
        one = app_sweep.sweep(study, workers=1, store_path=tmp / "one.duckdb")
        two = app_sweep.sweep(study, workers=2, store_path=tmp / "two.duckdb")
    n = one["cells"]
    same = "identical" if one["rows"] == two["rows"] else "DIFFERENT"
    return [
        (f"{n}-cell sweep (example raid, {TRIALS} trials), LocalCluster 1 worker", f"{one['wall_s']:.1f} s "
         f"({one['wall_s'] / n:.2f} s per cell)", ""),
        (f"{n}-cell sweep, LocalCluster 2 workers", f"{two['wall_s']:.1f} s", ""),
        ("speed-up, 2 workers vs 1", f"{one['wall_s'] / two['wall_s']:.2f}x", ">= 1.7x"),
        ("cell results, 1 worker vs 2 workers", same, "identical"),
    ]


if __name__ == "__main__":
    print("| figure | measured | target |\n|---|---|---|")
    for figure, measured, target in rows():
        print(f"| {figure} | {measured} | {target} |", flush=True)
