"""`goldendome fly`: one missile flown from a launch point to a target, its trajectory figures.

    >>> from goldendome.app import fly
    >>> fly.fly("icbm-solid", "sohae", "seattle")["miss_km"] < 1.0
    True
"""

from __future__ import annotations

from ..scenario.threats import fly_salvos, salvo
from ..study.numbers import rounded
from ..threats.summary import launch_rows
from ..threats.trajectory import Trajectories

# Decimals each figure is shown with (km to 0.1 km, times to 0.1 s, impact to 1e-4 deg, miss to 1 m).
DECIMALS = {"range_km": 1, "flight_time_s": 1, "apogee_km": 1, "burnout_time_s": 1, "burnout_speed_m_s": 1,
            "burnout_altitude_km": 1, "max_speed_m_s": 1, "impact_lat": 4, "impact_lon": 4, "miss_km": 3}


def summary(traj: Trajectories) -> list[dict]:
    """One row per launch, from its lead object (first RV, glider or cruise missile), rounded for JSON."""
    return [{k: rounded(v, DECIMALS[k]) if k in DECIMALS else v for k, v in row.items()} for row in launch_rows(traj)]


def fly(missile: str, launch, target, shape: str = "min-energy", apogee_km: float | None = None,
        seed: int = 0, crossrange_km: float = 0.0) -> dict:
    """Fly one missile and return its summary row (see `summary`)."""
    traj = fly_salvos([salvo(missile, launch, target, shape=shape, apogee_km=apogee_km,
                             crossrange_km=crossrange_km)], seed)
    return summary(traj)[0]
