"""The 1,000-object raid, 10,000 trials, end to end (issue 5 figure), run once and kept.

`goldendome run benchmarks/scenarios/raid-1000.yaml` in a child process (its wall time and
peak memory are the figures), stored in STORE; report_open.py and globe_fps.py reuse the run.
Target (issue 5): < 120 s on 2 cores, peak memory < 4 GB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIO = Path(__file__).parent / "scenarios" / "raid-1000.yaml"
STORE = str(Path(tempfile.gettempdir()) / "goldendome-bench-raid1000.duckdb")
FIGURES = Path(STORE + ".json")  # wall time, peak memory and summary of the run when it was made
_made: dict = {}


def stored_run() -> tuple[str, dict]:
    """The run id of the raid in STORE (made now, timed, if the store has none for this text)."""
    from goldendome.study.store import Store

    text = SCENARIO.read_text(encoding="utf-8")
    if Path(STORE).exists():
        for r in Store(STORE).list_runs():
            if r["name"] == "bench-raid-1000" and Store(STORE).get_run(r["run_id"])["scenario_text"] == text:
                return r["run_id"], _made or (json.loads(FIGURES.read_text()) if FIGURES.exists() else {})
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "from goldendome.cli import main; main()", "run", str(SCENARIO),
                          "--json", "--store", STORE], capture_output=True, text=True, check=True)
    _made.update(wall_s=time.perf_counter() - t, peak_gb=max(before, resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss) / 1e6, summary=json.loads(out.stdout))
    FIGURES.write_text(json.dumps(_made))
    return _made["summary"]["run_id"], _made


def rows() -> list[tuple[str, str, str]]:
    run_id, made = stored_run()
    if not made:
        return [("1,000-object raid, 10,000 trials, end to end", f"reused stored run {run_id}", "< 120 s")]
    s = made["summary"]
    return [(f"1,000-object raid ({s['objects']} objects: 200 ICBMs x (1 RV + 4 decoys)) vs the medium preset, "
             f"{s['trials']:,} trials, end to end (`goldendome run`)", f"{made['wall_s']:.0f} s", "< 120 s"),
            ("  peak resident memory of that run", f"{made['peak_gb']:.2f} GB", "< 4 GB"),
            ("  result", f"P(no leak) {s['p_no_leak']}, E[leakers] {s['expected_leakers']} of 200 RVs "
                         "(a saturating raid)", "")]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
