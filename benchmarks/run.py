"""`make bench`: threat-flight figures side by side with scipy, written to BENCHMARKS.md.

`python benchmarks/run.py --only globe_fps` re-runs one section (its script's module name) in place.

Figures (issue 2): 1,000 ICBM trajectories, full flight with 1 s output, < 2 s on 2 cores;
against a loop of scipy.integrate.solve_ivp over the same dynamics >= 50x faster with
impacts within 100 m of each other.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

from goldendome.scenario import threats as scen_threats
from goldendome.physics import atmosphere, earth, gravity
from goldendome.physics.constants import OMEGA_EARTH
from goldendome.threats import batch as B
from goldendome.threats import flight, kernel, raid, solve

N = 1000


def _raid_batch(n: int):
    """n solid ICBMs from the Pyongyang launch area (points drawn in the region) at Seattle."""
    s = [scen_threats.salvo("icbm-solid", "kp-pyongyang", "seattle", count=n, spacing_s=1.0)]
    rng = np.random.default_rng(1)
    return B.build_batch(raid.launches(s, rng), rng)


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


OMEGA = np.array([0.0, 0.0, OMEGA_EARTH])


def python_rhs(t, y, beta):
    """The RV dynamics written with the vectorized physics/ functions, as a user would for scipy."""
    r, v = y[:3], y[3:6]
    va = v - np.cross(OMEGA, r)
    speed = np.linalg.norm(va)
    drag = 0.5 * atmosphere.density(earth.altitude(r)) * speed / beta * va
    return np.concatenate([v, gravity.accel_j2(r) - drag, [0.0]])


def scipy_loop(y0, q, model, compiled, t_max=3000.0):
    """Each body integrated by solve_ivp (RK45, rtol 1e-10), on the Python or the compiled derivative."""
    impacts = np.empty((len(y0), 3))

    def ground(t, y, qi):
        return earth.altitude(y[:3])

    ground.terminal, ground.direction = True, -1
    for i, (yi, qi) in enumerate(zip(y0, q)):
        if compiled:
            rhs = lambda t, y, qi: kernel.ballistic_derivative(y, t, qi, model)  # noqa: E731
        else:
            rhs = lambda t, y, qi: python_rhs(t, y, qi[kernel.Q_BETA])  # noqa: E731
        sol = solve_ivp(rhs, (0.0, t_max), yi, args=(qi,), rtol=1e-10, atol=1e-3, events=ground)
        impacts[i] = sol.y_events[0][0][:3]
    return impacts


def threat_rows() -> list[tuple[str, str, str]]:
    flight.fly(_raid_batch(2))  # compile (numba cache) outside the timings
    b = _raid_batch(N)
    t_solve, b = timed(solve.solve, b)
    t_fly, rec = timed(flight.fly, b, dt_out=1.0, t_out_end=N * 1.0 + 2500.0)
    # same dynamics, from the released RVs' states to impact: compiled kernel vs scipy loop
    y_rel = np.column_stack([rec.ev["r_burnout"], rec.ev["v_burnout"], b.body_mass])  # deploy ~ burnout state
    q = flight.parameters(b)
    q[:, kernel.Q_TLAUNCH] = 0.0
    model = flight.FlightModel().flags()
    m = 20  # scipy is slow: time a subset and compare per body
    kernel.ballistic_derivative(y_rel[0], 0.0, q[0], model)  # compile outside the timing
    t_k, ours = timed(kernel.fly_all, y_rel, np.full(N, flight.BALLISTIC, np.int8), q, b.stage_end, b.thrust,
                      b.mdot, b.stage_dry, model, 3000.0, False, 1.0, 0)
    t_py, py = timed(scipy_loop, y_rel[:m], q[:m], model, False)
    t_c, comp = timed(scipy_loop, y_rel[:m], q[:m], model, True)
    ref = ours[0][:m, kernel.E_REND:kernel.E_REND + 3]
    gap = max(np.linalg.norm(ref - py, axis=1).max(), np.linalg.norm(ref - comp, axis=1).max())
    per_k, per_py, per_c = t_k / N, t_py / m, t_c / m
    rows = [
        (f"{N} solid ICBMs: full flight, 1 s output (targeting solved)", f"{t_fly:.2f} s", "< 2 s"),
        (f"{N} solid ICBMs: targeting (pitch and aim iteration)", f"{t_solve:.2f} s", ""),
        (f"{N} RVs release-to-impact, compiled kernel (2 threads)", f"{1e3 * per_k:.3f} ms per RV", ""),
        (f"{m} RVs, loop of scipy solve_ivp (RK45) on the same dynamics in Python (physics/)",
         f"{1e3 * per_py:.1f} ms per RV", ""),
        ("speed-up, kernel vs that scipy loop", f"{per_py / per_k:.0f}x", ">= 50x"),
        (f"{m} RVs, loop of scipy solve_ivp (RK45) on the kernel's compiled derivative",
         f"{1e3 * per_c:.2f} ms per RV", ""),
        ("speed-up, kernel vs scipy with the compiled derivative", f"{per_c / per_k:.0f}x", ""),
        ("largest impact difference kernel vs either scipy loop (same bodies)", f"{gap:.3f} m", "<= 100 m"),
        ("flight steps per ICBM (median)", f"{np.median(rec.ev['steps']):.0f}", ""),
    ]
    return rows


SECTIONS = [
    ("Threat flight (issue 2)", "benchmarks/run.py: threat_rows", threat_rows),
    ("Constellation propagation (issue 3)", "benchmarks/space_propagation.py", "space_propagation"),
    ("SBI sizing and cost (issue 3)", "benchmarks/sbi_size.py", "sbi_size"),
    ("Tracking filters (issue 4)", "benchmarks/tracking_kalman.py", "tracking_kalman"),
    ("Monte Carlo engine (issue 5)", "benchmarks/engine_montecarlo.py", "engine_montecarlo"),
    ("End-to-end run (issue 5)", "benchmarks/run_pipeline.py", "run_pipeline"),
    ("1,000-object raid (issue 5)", "benchmarks/raid1000.py", "raid1000"),
    ("Implementation plan (issue 6)", "benchmarks/plan_timing.py", "plan_timing"),
    ("Sweeps on Dask (issue 6)", "benchmarks/sweep_scaling.py", "sweep_scaling"),
    ("Report open time (issue 7)", "benchmarks/report_open.py", "report_open"),
    ("Globe frame rate (issue 7)", "benchmarks/globe_fps.py", "globe_fps"),
]


def section(title: str, script: str, source) -> list[str]:
    """One section's Markdown lines: heading, script, its NOTE if any, and its table."""
    import importlib

    module = None if callable(source) else importlib.import_module(source)
    fn = source if module is None else module.rows
    note = getattr(module, "NOTE", "")  # a section's reading notes, from its script
    lines = [f"## {title}", "", f"`{script}`", ""] + ([note, ""] if note else [])
    lines += ["| figure | measured | target |", "|---|---|---|"]
    return lines + [f"| {a} | {b} | {c} |" for a, b, c in fn()] + [""]


def _key(section) -> str:
    """A section's name for --only: its script module, or its function's name."""
    return section[2] if isinstance(section[2], str) else section[2].__name__


def rerun(name: str, path: Path = Path("BENCHMARKS.md")) -> None:
    """Re-run the section whose script module is ``name`` and put it in place in BENCHMARKS.md."""
    found = [s for s in SECTIONS if _key(s) == name]
    if not found:
        names = ", ".join(_key(s) for s in SECTIONS)
        print(f"run.py --only: no section '{name}' (one of: {names})", file=sys.stderr)
        sys.exit(2)
    title, script, source = found[0]
    old, new = path.read_text().split("\n"), section(title, script, source)
    start = old.index(f"## {title}")
    end = next((i for i in range(start + 1, len(old)) if old[i].startswith("## ")), len(old))
    old[2] += f" Section \"{title}\" re-run on {time.strftime('%Y-%m-%d')} (`python benchmarks/run.py --only {name}`)."
    path.write_text("\n".join(old[:start] + new + old[end:]))
    print("\n".join(new), flush=True)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    if sys.argv[1:2] == ["--only"]:
        return rerun(sys.argv[2] if len(sys.argv) > 2 else "")
    lines = ["# Benchmarks", "",
             f"`make bench` (`python benchmarks/run.py`), one run on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. Each section's rows come from the "
             "script named; numba compile time is excluded (warm-up runs first).", ""]
    for title, script, source in SECTIONS:
        lines += section(title, script, source)
        print("\n".join(lines[-4:]), flush=True)
    Path("BENCHMARKS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
