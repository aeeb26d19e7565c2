"""FlightBatch: the per-object arrays the integrator works on, built from Missile classes.

One batch holds N objects. Objects of one missile (its RVs, decoys or glider) share the
booster: each is flown from launch, so a batch needs no splitting at release.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..physics import earth, kepler
from ..physics.constants import OMEGA_EARTH
from .vehicles import Missile

KIND_RV, KIND_DECOY, KIND_GLIDER = 0, 1, 2
SHAPE_MIN_ENERGY, SHAPE_APOGEE = 0, 1  # boost aims at the min-energy conic, or at a wanted apogee
KIND_NAMES = ("rv", "decoy", "glider")

HGV_RELEASE_APOGEE_M = 80e3  # m, apogee of an HGV's boost arc before pull-up
# (Tracy & Wright, Sci. Global Security 28 (2020): boost to ~ 100 km or less, then glide).


@dataclass(frozen=True)
class FlightBatch:
    """Arrays (N, ...) describing N objects to fly. Angles rad, lengths m, masses kg."""

    launch_ecef: np.ndarray  # (N, 3)
    target_ecef: np.ndarray  # (N, 3) true aim point
    aim_ecef: np.ndarray  # (N, 3) aim of the boost guidance (pseudo-target)
    theta: np.ndarray  # (N,) ECI rotation angle at launch (era at launch time)
    t_launch: np.ndarray  # (N,) s from scenario start
    kind: np.ndarray  # (N,) KIND_*
    missile: np.ndarray  # (N,) index of the launch this object belongs to
    stage_end: np.ndarray  # (N, S) cumulative burn-out time of each stage, s (inf if absent)
    mdot: np.ndarray  # (N, S) kg/s
    thrust: np.ndarray  # (N, S) N
    stage_dry: np.ndarray  # (N, S) kg
    n_stages: np.ndarray  # (N,)
    mass0: np.ndarray  # (N,) lift-off mass
    area: np.ndarray  # (N,) booster reference area, m^2
    body_mass: np.ndarray  # (N,) mass after release
    beta: np.ndarray  # (N,) ballistic coefficient after release, kg/m^2
    glide: np.ndarray  # (N, 5) glider mass, area, cd0, k, cl_max (zeros if not a glider)
    deploy_delay: np.ndarray  # (N,) s after burnout
    deploy_dv: np.ndarray  # (N, 3) ECI velocity kick at release, m/s
    shape: np.ndarray  # (N,) SHAPE_MIN_ENERGY or SHAPE_APOGEE
    apogee_radius: np.ndarray  # (N,) wanted apogee radius for SHAPE_APOGEE, m
    kick: np.ndarray  # (N,) pitch from vertical at first-stage burn-out, rad
    t_vert: np.ndarray  # (N,) vertical rise, s
    waypoint_ecef: np.ndarray  # (N, 3) glide waypoint (NaN: none)

    @property
    def n(self) -> int:
        return len(self.kind)

    def with_(self, **changes) -> "FlightBatch":
        """A copy with some arrays replaced."""
        return replace(self, **changes)

    def take(self, idx) -> "FlightBatch":
        """The sub-batch of objects ``idx``."""
        return FlightBatch(**{k: np.asarray(getattr(self, k))[idx] for k in self.__dataclass_fields__})


def _stage_arrays(missile: Missile, n_max: int):
    ends = np.full(n_max, np.inf)
    mdot = np.zeros(n_max)
    thrust = np.zeros(n_max)
    dry = np.zeros(n_max)
    t = 0.0
    for i, st in enumerate(missile.stages):
        t += st.burn_s
        ends[i], mdot[i], thrust[i], dry[i] = t, st.mass_flow, st.thrust, st.dry_kg
    return ends, mdot, thrust, dry


def _objects_of(missile: Missile, decoys: int) -> list[int]:
    if missile.glider is not None:
        return [KIND_GLIDER]
    n_rv = missile.rv.count if missile.rv else 1
    return [KIND_RV] * n_rv + [KIND_DECOY] * decoys


def _body(missile: Missile, kind: int):
    if kind == KIND_GLIDER:
        g = missile.glider
        return g.mass_kg, 0.0, (g.mass_kg, g.ref_area_m2, g.cd0, g.k_induced, g.cl_max)
    body = missile.decoys if kind == KIND_DECOY else missile.rv
    return body.mass_kg, body.beta_kg_m2, (0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Launch:
    """One missile launch: class, places (lat, lon in rad), time and trajectory shape."""

    missile: Missile
    launch_lat: float
    launch_lon: float
    target_lat: float
    target_lon: float
    t_launch: float = 0.0
    shape: str = "min-energy"
    apogee_m: float | None = None
    decoys: int = 0
    crossrange_m: float = 0.0


def build_batch(launches: list[Launch], rng: np.random.Generator, theta0: float = 0.0,
                deploy_dv_sigma: float = 1.0) -> FlightBatch:
    """Flatten launches into a FlightBatch; extra RVs and decoys get a random release kick.

    ``deploy_dv_sigma`` (m/s) is the spread of release velocities of a bus dispensing its
    objects (order of 1 m/s: APS 2003, sec. 11.2 on decoy deployment).
    """
    n_max = max(max((len(x.missile.stages) for x in launches), default=1), 1)
    rows = []
    for i, launch in enumerate(launches):
        kinds = _objects_of(launch.missile, launch.decoys)
        for j, kind in enumerate(kinds):
            rows.append(_row(i, j, kind, launch, n_max, rng, theta0, deploy_dv_sigma))
    return FlightBatch(**{k: np.array([r[k] for r in rows]) for k in rows[0]})


def _row(i, j, kind, launch: Launch, n_max, rng, theta0, sigma):
    m = launch.missile
    ends, mdot, thrust, dry = _stage_arrays(m, n_max)
    body_mass, beta, glide = _body(m, kind)
    launch_ecef = earth.geodetic_to_ecef(launch.launch_lat, launch.launch_lon, 0.0)
    target_ecef = earth.geodetic_to_ecef(launch.target_lat, launch.target_lon, 0.0)
    kick_dir = rng.normal(size=3)
    dv = sigma * kick_dir / np.linalg.norm(kick_dir) if j > 0 else np.zeros(3)
    return dict(
        launch_ecef=launch_ecef, target_ecef=target_ecef, aim_ecef=target_ecef,
        theta=theta0 + OMEGA_EARTH * launch.t_launch, t_launch=launch.t_launch, kind=kind,
        missile=i, stage_end=ends, mdot=mdot, thrust=thrust, stage_dry=dry,
        n_stages=len(m.stages), mass0=m.launch_mass_kg, area=np.pi * m.diameter_m**2 / 4.0,
        body_mass=body_mass, beta=beta, glide=np.array(glide), deploy_delay=m.deploy_delay_s,
        deploy_dv=dv, **_shape_fields(launch, launch_ecef, target_ecef),
        kick=np.radians(40.0), t_vert=max(4.0, 0.05 * m.boost_s),
        waypoint_ecef=_waypoint(launch),
    )


def _shape_fields(launch: Launch, launch_ecef, target_ecef):
    """Guidance shape and wanted apogee radius (m) of a launch."""
    if launch.missile.glider is not None:
        r0 = np.linalg.norm(launch_ecef)
        return dict(shape=SHAPE_APOGEE, apogee_radius=r0 + HGV_RELEASE_APOGEE_M)
    if launch.shape == "min-energy" and launch.apogee_m is None:
        return dict(shape=SHAPE_MIN_ENERGY, apogee_radius=0.0)
    return dict(shape=SHAPE_APOGEE,
                apogee_radius=np.linalg.norm(launch_ecef) + _apogee_alt(launch, launch_ecef, target_ecef))


LOFT_FACTOR = 1.6  # lofted default: apogee 1.6x the minimum-energy one (assumption)
DEPRESS_FACTOR = 0.5  # depressed default: apogee half the minimum-energy one (assumption)


def _apogee_alt(launch: Launch, launch_ecef, target_ecef) -> float:
    """Wanted apogee altitude (m): given, or a multiple of the minimum-energy apogee."""
    if launch.apogee_m is not None:
        return float(launch.apogee_m)
    _, _, psi, _ = kepler.transfer_geometry(launch_ecef, target_ecef)
    r = np.linalg.norm(launch_ecef)
    _, _, apo, _ = kepler.min_energy(psi, r=r)
    return float(apo * (LOFT_FACTOR if launch.shape == "lofted" else DEPRESS_FACTOR))


WAYPOINT_FRACTION = 0.75  # along the path, inside the glide (the boost arc covers the first part)


def _waypoint(launch: Launch):
    """Glide waypoint at WAYPOINT_FRACTION of the path, offset sideways by crossrange_m (NaN: none)."""
    if launch.crossrange_m == 0.0 or launch.missile.glider is None:
        return np.full(3, np.nan)
    lat1, lon1, lat2, lon2 = launch.launch_lat, launch.launch_lon, launch.target_lat, launch.target_lon
    d = earth.great_circle_distance(lat1, lon1, lat2, lon2)
    az = earth.initial_azimuth(lat1, lon1, lat2, lon2)
    mlat, mlon = earth.destination(lat1, lon1, az, WAYPOINT_FRACTION * d)
    az_mid = earth.initial_azimuth(mlat, mlon, lat2, lon2)
    wlat, wlon = earth.destination(mlat, mlon, az_mid + np.pi / 2, launch.crossrange_m)
    return earth.geodetic_to_ecef(wlat, wlon, 0.0)
