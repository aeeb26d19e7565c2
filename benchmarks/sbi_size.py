"""Benchmark: SBI constellation sizing against APS 2003 and CBO 2025/2026 anchors.

`python benchmarks/sbi_size.py` prints the rows; `sbi size` of a salvo of 10 must run < 10 s.
"""

from __future__ import annotations

import time

from goldendome.scenario import threats as scen_threats
from goldendome.space import sizing
from goldendome.app.space import sbi_cost


def _raid(missile, n):
    return scen_threats.fly_salvos([scen_threats.salvo(missile, "sohae", "seattle", count=n)], seed=0, dt_out=1.0)


def rows() -> list[tuple[str, str, str]]:
    """(figure, measured, target) rows."""
    out = []
    solid = sizing.size_constellation(_raid("icbm-solid", 1))
    out.append(("SBIs vs 1 solid ICBM from N. Korea (4 km/s, 5 g, 60 s delay, 300 km, calibrated)",
                f"{solid['interceptors']} ({solid['constellation_mass_t']:.0f} t)", "~1,600 (~2,000 t), APS 2003"))
    liquid = sizing.size_constellation(_raid("icbm-liquid", 1))
    out.append(("SBIs vs 1 liquid ICBM", f"{liquid['interceptors']}", "far fewer than solid, APS 2003"))
    t0 = time.perf_counter()
    ten = sizing.size_constellation(_raid("icbm-solid", 10))
    dt = time.perf_counter() - t0
    out.append(("SBIs vs salvo of 10 solid ICBMs", f"{ten['interceptors']} ({ten['interceptors'] / solid['interceptors']:.1f}x)",
                "~linear in salvo size, APS 2003"))
    out.append(("sbi size, salvo of 10: wall time", f"{dt:.1f} s", "< 10 s"))
    at_once = dict(production_per_year=1e9, first_fy=2026)  # CBO's all-at-once, 4 buys in 20 years
    c = sbi_cost(7800, 22e6, 1500.0, 5, 500.0, ops_usd_per_year=1e9, **at_once)
    out.append(("20-yr cost, 7,800 SBIs, $22M average, 1.5 t, 5-yr life, bought at once (sbi cost)",
                f"${c['total_usd'] / 1e9:.0f}B", "$743B (2026 $), CBO 2026"))
    c = sbi_cost(solid["interceptors"])
    out.append((f"20-yr cost of the APS-size constellation ({solid['interceptors']} SBIs, catalog schedule)",
                f"${c['total_usd'] / 1e9:.0f}B", "$161B-$542B for 1-2 ICBMs, CBO May 2025"))
    return out


if __name__ == "__main__":
    for figure, measured, target in rows():
        print(f"{figure:70s} | {measured:>20s} | {target}")
