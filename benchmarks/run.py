"""`make bench`: time threat flight and write BENCHMARKS.md (figures from this machine, one run)."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np

from goldendome import api
from goldendome.physics import kepler
from goldendome.threats import batch as B
from goldendome.threats import flight


def bench_raid(n: int) -> float:
    """Seconds to target and fly n solid ICBMs (1 RV + 2 decoys each) from a launch area."""
    s = [api.salvo("icbm-solid", "kp-pyongyang", "seattle", count=n, spacing_s=10.0, decoys=2)]
    t = time.perf_counter()
    api.fly_salvos(s, seed=1, dt_out=5.0)
    return time.perf_counter() - t


def bench_coast_steps(n: int = 1000) -> float:
    """Microseconds per object-step of the vacuum integrator (min-energy coasts)."""
    R = 6371e3
    speed, gamma, _, _ = kepler.min_energy(np.full(n, 8000e3 / R), r=R)
    y0 = np.column_stack([np.full(n, R), np.zeros(n), np.zeros(n), speed * np.sin(gamma),
                          speed * np.cos(gamma), np.zeros(n), np.full(n, 500.0)])
    from goldendome.scenario import catalog
    b = B.build_batch([B.Launch(catalog.missile("icbm-solid"), 0, 0, 0, 0.1)] * n, np.random.default_rng(0))
    model = flight.FlightModel(j2=True, drag=False, sphere_radius=R)
    t = time.perf_counter()
    rec = flight.fly(b, model=model, y0=y0, phase0=np.full(n, flight.BALLISTIC))
    dt = time.perf_counter() - t
    return 1e6 * dt / (n * (len(rec.tau) - 1))


def main() -> None:
    rows = [("fly 1 solid ICBM (targeting + flight)", bench_raid(1), "s"),
            ("fly 10 solid ICBMs + 20 decoys", bench_raid(10), "s"),
            ("fly 100 solid ICBMs + 200 decoys", bench_raid(100), "s"),
            ("vacuum J2 coast, 1,000 objects", bench_coast_steps(), "us per object-step")]
    lines = ["# Benchmarks", "", "Produced by `make bench` (benchmarks/run.py), one run on "
             f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.", "",
             "| figure | value | unit |", "|---|---|---|"]
    lines += [f"| {name} | {value:.3g} | {unit} |" for name, value, unit in rows]
    Path("BENCHMARKS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
