"""The embedded demo raid: what `goldendome demo` flies.

A North Korean salvo at US cities, a Chinese regional glider at Guam's neighbourhood, a
Russian intercontinental glider and a cruise missile; later issues grow it into a full
engagement against the medium architecture.
"""

from __future__ import annotations

from . import api

TITLE = "goldendome demo: sample raid, one row per missile (lead object)"

DEMO_SALVOS = [
    dict(missile="icbm-liquid", launch="sohae", target="seattle"),
    dict(missile="icbm-solid", launch="kp-pyongyang", target="los-angeles"),
    dict(missile="icbm-solid", launch="kp-pyongyang", target="honolulu", shape="lofted"),
    dict(missile="slbm", launch="sinpo", target="anchorage", shape="depressed"),
    dict(missile="irbm", launch="kp-north", target="guam-andersen"),
    dict(missile="mrbm", launch="kp-south", target="34.146,132.236"),  # MCAS Iwakuni, Japan
    dict(missile="srbm", launch="kp-south", target="36.96,127.03"),  # Camp Humphreys, ROK
    dict(missile="hgv-regional", launch="cn-southeast", target="26.35,127.77"),
    dict(missile="hgv-intercontinental", launch="ru-dombarovsky", target="fort-greely"),
    dict(missile="cruise-subsonic", launch="48.0,-132.0", target="bangor"),  # from a submarine off the coast
]


def run(seed: int = 7) -> list[dict]:
    """Fly the demo raid and return its summary rows."""
    salvos = [api.salvo(**s) for s in DEMO_SALVOS]
    return api.summary(api.fly_salvos(salvos, seed=seed, dt_out=2.0))
