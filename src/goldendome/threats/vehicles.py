"""Threat vehicle descriptions: plain frozen dataclasses built at the edge from the catalog.

Units are SI except where a field name says otherwise. The catalog (catalog/missiles.yaml)
carries the source of each number; these classes only carry the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..physics.constants import G0


@dataclass(frozen=True)
class Stage:
    """One rocket stage: propellant and dry mass (kg), vacuum Isp (s), burn time (s)."""

    propellant_kg: float
    dry_kg: float
    isp_s: float
    burn_s: float

    @property
    def mass_flow(self) -> float:
        """Propellant mass flow, kg/s (constant-thrust burn)."""
        return self.propellant_kg / self.burn_s

    @property
    def thrust(self) -> float:
        """Vacuum thrust, N: mdot * Isp * g0."""
        return self.mass_flow * self.isp_s * G0


@dataclass(frozen=True)
class Body:
    """A free-flying body after release: mass (kg) and hypersonic ballistic coefficient m/(Cd A)."""

    mass_kg: float
    beta_kg_m2: float
    count: int = 1


@dataclass(frozen=True)
class Glider:
    """Boost-glide vehicle aerodynamics.

    lift_to_drag is the maximum hypersonic L/D; cl_max the largest usable lift coefficient.
    A parabolic drag polar CD = CD0 + K CL^2 is fitted with its best L/D at CL* = cl_max / 2.
    """

    mass_kg: float
    ref_area_m2: float
    lift_to_drag: float
    cl_max: float

    @property
    def cl_star(self) -> float:
        """Lift coefficient of maximum L/D (assumed half of cl_max)."""
        return 0.5 * self.cl_max

    @property
    def cd0(self) -> float:
        """Zero-lift drag coefficient: CL*/(2 L/D) for a parabolic polar."""
        return self.cl_star / (2.0 * self.lift_to_drag)

    @property
    def k_induced(self) -> float:
        """Induced-drag factor K = CD0 / CL*^2."""
        return self.cd0 / self.cl_star**2


@dataclass(frozen=True)
class Cruise:
    """Cruise missile flight: speed (m/s), altitude above ground (m), launch mass (kg), booster time (s)."""

    speed_m_s: float
    altitude_m: float
    mass_kg: float
    booster_s: float


@dataclass(frozen=True)
class Missile:
    """A threat missile class from the catalog.

    kind is 'ballistic', 'hgv' or 'cruise'. Ballistic and HGV missiles have stages; an HGV
    carries a glider instead of RVs; a cruise missile has a `cruise` description only.
    """

    id: str
    kind: str
    name: str = ""
    stages: tuple[Stage, ...] = ()
    diameter_m: float = 1.0
    bus_kg: float = 0.0
    rv: Body | None = None
    decoys: Body | None = None
    glider: Glider | None = None
    cruise: Cruise | None = None
    deploy_delay_s: float = 0.0
    range_km: float = 0.0
    sources: dict = field(default_factory=dict)

    @property
    def payload_kg(self) -> float:
        """Mass carried to burnout above the last stage, kg (bus, RVs, decoys or glider)."""
        if self.glider is not None:
            return self.bus_kg + self.glider.mass_kg
        rv = self.rv.mass_kg * self.rv.count if self.rv else 0.0
        dec = self.decoys.mass_kg * self.decoys.count if self.decoys else 0.0
        return self.bus_kg + rv + dec

    @property
    def boost_s(self) -> float:
        """Total burn time of all stages, s."""
        return float(sum(s.burn_s for s in self.stages))

    @property
    def launch_mass_kg(self) -> float:
        """Gross lift-off mass, kg."""
        if self.cruise is not None:
            return self.cruise.mass_kg
        return self.payload_kg + sum(s.propellant_kg + s.dry_kg for s in self.stages)

    def ideal_delta_v(self) -> float:
        """Rocket-equation delta-v of the stack with its full payload, m/s (Tsiolkovsky)."""
        above = self.payload_kg
        dv = 0.0
        for st in reversed(self.stages):
            m1 = above + st.dry_kg
            dv += st.isp_s * G0 * np.log((m1 + st.propellant_kg) / m1)
            above = m1 + st.propellant_kg
        return dv
