"""Batteries, ships, laser sites and SBI constellations: the fixed effectors of an architecture.

:class:`Battery` (a battery, a ship on station, a silo field or a laser site) and
:class:`SbiLayer` (a Walker constellation of space-based interceptors) are built from the
scenario's inline elements and the catalog by :mod:`goldendome.scenario.effectors`.

Layers: :class:`goldendome.effectors.layers.Layer`. gbi/ngi/sm3-iia are midcourse,
``underlayer`` is the underlayer, thaad/pac3-mse/sm6 are terminal, SBIs are boost. Lasers are
filed under boost here, but a laser engages whatever phase its range and dwell reach:
:mod:`.opportunities` gives each laser opportunity the layer of the phase the target is in
when the dwell starts.

Notes
-----
Default inventory: ``rounds * launchers`` of the catalog entry (kinetic), the magazine
(``magazine_shots``) of a laser. Catalog sources: src/goldendome/catalog/interceptors.yaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..space import sbi as sbi_mod
from . import kinetic, laser
from .layers import Layer

# A power-limited ("deep") laser magazine has no round count; this stands for "more shots
# than any raid needs" in an integer inventory. derived: effectively unlimited.
DEEP_MAGAZINE = 1_000_000
# Single-shot Pk of a laser whose dwell completes. derived: the fluence model is
# deterministic; 0.9 allows for aimpoint wander and target-hardness uncertainty (assumed).
LASER_PK = 0.9
# Cost of one laser shot, USD. crs-r46925 | derived: "dollars per shot" (fuel/electricity
# of order $1-10); 10 assumed.
LASER_SHOT_COST_USD = 10.0
# Single-shot Pk of a space-based kill vehicle when the catalog entry has none.
# derived: assumed, as a hit-to-kill interceptor homing on a bright boosting plume (APS 2003
# discusses kill probability only qualitatively); not a test result.
SBI_PK = 0.8


@dataclass(frozen=True)
class Battery:
    """One fixed effector: a battery, a ship on station, a silo field or a laser site.

    Attributes
    ----------
    name, type, kind : str
        Display name, catalog id (``thaad``), element kind (battery, ship, site, laser).
    lat_rad, lon_rad : float
        Geodetic latitude and longitude of the launcher or laser, rad.
    inventory : int
        Rounds (kinetic) or shots (laser) available.
    interceptor : kinetic.Interceptor or laser.Laser
        The weapon, with inline overrides applied.
    layer : Layer
        Its defence layer (lasers: boost; see the module docstring).
    pk, shot_cost_usd : float
        Single-shot kill probability and cost of one shot, USD.
    """

    name: str
    type: str
    kind: str
    lat_rad: float
    lon_rad: float
    inventory: int
    interceptor: kinetic.Interceptor | laser.Laser
    layer: Layer
    pk: float
    shot_cost_usd: float

    @property
    def is_laser(self) -> bool:
        return isinstance(self.interceptor, laser.Laser)


@dataclass(frozen=True)
class SbiLayer:
    """A Walker-delta constellation of space-based interceptors (boost layer).

    Attributes
    ----------
    count : int
        Interceptors in orbit (the Walker shape may round it up, :func:`space.sbi.walker_shape`).
    altitude_m, inclination_rad : float
    planes, phasing : int or None
        Walker planes (default round(sqrt(count))) and phasing F (default 1).
    step_s : float
        Launch-time sampling step for the worst case, s.
    interceptor : space.sbi.Interceptor
    pk, shot_cost_usd : float
    name : str
    """

    count: int
    altitude_m: float = 300e3
    inclination_rad: float = math.radians(45.0)
    planes: int | None = None
    phasing: int | None = None
    step_s: float = 20.0
    interceptor: sbi_mod.Interceptor = field(default_factory=sbi_mod.Interceptor)
    pk: float = SBI_PK
    shot_cost_usd: float = 0.0
    name: str = "sbi"
    type: str = "sbi"
    kind: str = "sbi"
    layer: Layer = Layer.BOOST
