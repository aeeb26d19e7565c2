"""Midcourse, underlayer and terminal kinetic interceptors: fly-out time, envelope, windows.

Conventions: SI units; trajectories in the ECI frame of :mod:`goldendome.physics.earth`
(``theta0`` the Earth rotation angle at t = 0); times in s from scenario start. Batteries
are fixed in ECEF at (lat, lon, 0).

Notes
-----
Fly-out ("flyout fan") model, the simple open kinematic model used in public BMD analyses
(e.g. NRC 2012, *Making Sense of Ballistic Missile Defense*, app. on interceptor
kinematics; D. Wilkening, *Science & Global Security* 8 (2000) on interceptor reach): the
interceptor flies a straight line from the launcher to the intercept point, accelerating
at the constant average rate ``accel_m_s2`` for ``burn_s`` (reaching ``burnout_speed``),
then coasting. Gravity and drag losses during the burn are folded into the catalog's
average acceleration and burnout speed; during the coast the interceptor loses speed only
by climbing in the point-mass potential (energy conservation,
v^2 = v_b^2 - 2 mu (1/r_b - 1/r)), and the coast time uses the mean of the burnout and
end speeds. Drag during the coast, turning losses and Earth rotation (Coriolis) during the
fly-out are neglected, which makes the envelope slightly optimistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..physics import earth
from ..physics.constants import MU_EARTH, R_MEAN
from . import reasons

# A cruise missile flying at a 50 m envelope floor comes back from ECEF as 49.99999 m about a third
# of the time: a bound is a catalog round number, not a knife edge, so 1 m either side counts.
ENVELOPE_ALT_TOL_M = 1.0


@dataclass(frozen=True)
class Interceptor:
    """A ground- or sea-based kinetic interceptor type (catalog interceptors.yaml).

    Attributes
    ----------
    id, name : str
    kind : str
        'ground', 'sea', 'space', ... (basing of the battery or ship).
    burnout_speed_m_s, burn_s, accel_m_s2 : float
        Burnout speed (m/s), booster burn time (s), average acceleration (m/s^2).
    min_alt_m, max_alt_m, max_range_m : float
        Intercept altitude band (m) and maximum ground range from the launcher (m).
    reaction_s : float
        Engagement order to launch at the battery, s.
    pk : float
        Single-shot probability of kill.
    unit_cost_usd : float
        USD of ``cost_year``.
    rounds, launchers : int
        Rounds per launcher (silo, cell, truck) and launchers per battery, site or ship.
    """

    id: str
    name: str = ""
    kind: str = "ground"
    burnout_speed_m_s: float = 3000.0
    burn_s: float = 20.0
    accel_m_s2: float = 150.0
    min_alt_m: float = 0.0
    max_alt_m: float = 100e3
    max_range_m: float = 200e3
    reaction_s: float = 10.0
    pk: float = 0.7
    unit_cost_usd: float = 0.0
    cost_year: int = 2025
    rounds: int = 1
    launchers: int = 1

    def __post_init__(self):
        if not (self.burnout_speed_m_s > 0 and self.accel_m_s2 > 0 and self.burn_s > 0):
            raise ValueError(f"{self.id}: burnout speed, burn time and acceleration must be > 0")
        if not (0 <= self.min_alt_m < self.max_alt_m and self.max_range_m > 0):
            raise ValueError(f"{self.id}: need 0 <= min_alt_m < max_alt_m and max_range_m > 0")
        if not (0.0 <= self.pk <= 1.0 and self.reaction_s >= 0):
            raise ValueError(f"{self.id}: pk must be in [0, 1] and reaction_s >= 0")

    @property
    def burnout_distance_m(self) -> float:
        """Distance flown at burnout, m: v_b^2 / (2 a) (constant acceleration from rest)."""
        return self.burnout_speed_m_s**2 / (2.0 * self.accel_m_s2)


_FIELDS = ("kind", "burnout_speed_m_s", "burn_s", "accel_m_s2", "min_alt_m", "max_alt_m", "max_range_m",
           "reaction_s", "pk", "unit_cost_usd", "cost_year", "rounds", "launchers")


def interceptor_from_entry(iid: str, entry: dict) -> Interceptor:
    """Build an :class:`Interceptor` from a raw catalog mapping (interceptors.yaml entry)."""
    kw = {k: entry[k] for k in _FIELDS if k in entry}
    for k in ("rounds", "launchers", "cost_year"):
        if k in kw:
            kw[k] = int(kw[k])
            if not 0 <= kw[k] <= 100_000:
                raise ValueError(f"{iid}: {k} must be from 0 to 100,000, got {kw[k]}")
    for k in set(kw) - {"kind", "rounds", "launchers", "cost_year"}:
        kw[k] = float(kw[k])
        if not math.isfinite(kw[k]):
            raise ValueError(f"{iid}: {k} must be a finite number, got {kw[k]}")
    return Interceptor(id=iid, name=entry.get("name", iid), **kw)


def slant_distance(ground_range_m, altitude_m, radius=R_MEAN):
    """Straight-line distance (m) from a launcher on the sphere to a point at ground range and altitude.

    Notes
    -----
    Law of cosines on the sphere of ``radius``: s^2 = R^2 + (R+h)^2 - 2 R (R+h) cos(d/R).
    Broadcasts over its arguments.
    """
    d = np.asarray(ground_range_m, float)
    r2 = radius + np.asarray(altitude_m, float)
    s2 = radius**2 + r2**2 - 2.0 * radius * r2 * np.cos(d / radius)
    return np.sqrt(np.maximum(s2, 0.0))


def fly_out_time(interceptor: Interceptor, ground_range_m, altitude_m):
    """Time (s) from launch to reach a point at ``ground_range_m`` and ``altitude_m``.

    Parameters
    ----------
    interceptor : Interceptor
    ground_range_m, altitude_m : array_like
        Ground range along the sphere from the launcher (m) and altitude of the point (m);
        broadcast together.

    Returns
    -------
    ndarray
        Fly-out time, s; ``inf`` where the coast cannot climb that high.

    Notes
    -----
    Burn: s <= s_b = v_b^2/(2a) gives t = sqrt(2 s / a). Coast: t = t_b + (s - s_b) / v_avg
    with v_avg = (v_b + v_end)/2 and v_end^2 = v_b^2 - 2 mu (1/r_b - 1/r), r_b the radius at
    burnout on the straight line (altitude scaled by s_b/s). See the module Notes (NRC 2012
    flyout-fan methodology; energy conservation).
    """
    i = interceptor
    h = np.asarray(altitude_m, float)
    s = slant_distance(ground_range_m, h)
    a, vb = i.accel_m_s2, i.burnout_speed_m_s
    tb, sb = vb / a, i.burnout_distance_m
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(s > 0, np.minimum(sb / np.where(s > 0, s, 1.0), 1.0), 1.0)
        r_b = R_MEAN + np.maximum(h, 0.0) * frac
        r_end = R_MEAN + np.maximum(h, 0.0)
        v_end2 = vb**2 - 2.0 * MU_EARTH * (1.0 / r_b - 1.0 / r_end)
        v_avg = 0.5 * (vb + np.sqrt(np.maximum(v_end2, 0.0)))
        t_coast = tb + (s - sb) / v_avg
    t_burn = np.sqrt(2.0 * s / a)
    t = np.where(s <= sb, t_burn, np.where(v_end2 > 0, t_coast, np.inf))
    return t


def in_envelope(interceptor: Interceptor, ground_range_m, altitude_m):
    """Boolean mask: altitude in [min_alt_m, max_alt_m] and ground range <= max_range_m (NaN -> False),
    altitudes within ``ENVELOPE_ALT_TOL_M`` of a bound counted inside."""
    d = np.asarray(ground_range_m, float)
    h = np.asarray(altitude_m, float)
    lo, hi = interceptor.min_alt_m - ENVELOPE_ALT_TOL_M, interceptor.max_alt_m + ENVELOPE_ALT_TOL_M
    with np.errstate(invalid="ignore"):
        return (h >= lo) & (h <= hi) & (d <= interceptor.max_range_m)


def raid_geodetic(traj, theta0=0.0):
    """Geodetic latitude, longitude (rad) and altitude (m) of every object at every step, (N, T) each.

    One conversion serves every battery of a raid (pass it to :func:`intercept_windows`).
    """
    r_eci = np.asarray(traj.state, float)[..., :3]
    t = np.broadcast_to(np.asarray(traj.t, float), r_eci.shape[:-1])
    return earth.ecef_to_geodetic(earth.eci_to_ecef(r_eci, t, theta0))


def site_geometry(site_lat, site_lon, traj, theta0=0.0, geodetic=None):
    """Ground range (m, on the mean sphere) and altitude (m) of every object at every step.

    Parameters
    ----------
    site_lat, site_lon : float
        Launcher geodetic latitude and longitude, rad.
    traj : Trajectories
        ``.t`` (T,), ``.state`` (N, T, 6) ECI, NaN outside flight.
    geodetic : tuple of ndarray, optional
        :func:`raid_geodetic` of ``traj`` already computed (else computed here).

    Returns
    -------
    ground_range_m, altitude_m : ndarray, shape (N, T)
        NaN where the object is not flying.
    """
    lat, lon, alt = raid_geodetic(traj, theta0) if geodetic is None else geodetic
    d = earth.great_circle_distance(site_lat, site_lon, lat, lon)
    return d, alt


@dataclass(frozen=True)
class Windows:
    """Per-object intercept windows of one battery against one raid.

    Attributes
    ----------
    t_first, t_last : ndarray (N,)
        Earliest and latest feasible intercept time, s (NaN when none).
    launch_first, launch_last : ndarray (N,)
        Launch times of those two intercepts, s (NaN when none).
    battlespace_s : ndarray (N,)
        t_last - t_first, s (0 when no window).
    feasible : ndarray of bool (N, T)
        Feasible intercept at each step of the trajectory grid.
    fly_out_s : ndarray (N, T)
        Fly-out time to each position, s (inf or NaN where unreachable).
    reason : ndarray of int8 (N,)
        Static :class:`~goldendome.effectors.reasons.Why` code per object (out of the
        envelope, no track, track too late; TRACK_TOO_LATE as the floor where a window exists).
    """

    t_first: np.ndarray
    t_last: np.ndarray
    launch_first: np.ndarray
    launch_last: np.ndarray
    battlespace_s: np.ndarray
    feasible: np.ndarray
    fly_out_s: np.ndarray
    reason: np.ndarray | None = None


def intercept_windows(interceptor: Interceptor, site_lat, site_lon, traj, t_ready, theta0=0.0,
                      geodetic=None) -> Windows:
    """Feasible launch/intercept pairs per object for a battery at (site_lat, site_lon).

    Parameters
    ----------
    interceptor : Interceptor
    site_lat, site_lon : float
        Battery geodetic latitude and longitude, rad.
    traj : Trajectories
        Raid, ``.t`` (T,), ``.state`` (N, T, 6) ECI m, m/s.
    t_ready : array_like, shape (N,) or scalar
        Earliest launch time per object, s (fire-control-quality track time + C2 latency +
        ``reaction_s``; the caller adds them). NaN means never ready.
    theta0 : float
        Earth rotation angle at t = 0, rad.
    geodetic : tuple of ndarray, optional
        :func:`raid_geodetic` of ``traj``, shared by the batteries of one raid.

    Returns
    -------
    Windows

    Notes
    -----
    Intercept at grid time t_i is feasible iff the object's position at t_i is inside the
    envelope (:func:`in_envelope`) and the launch time t_i - fly_out_time >= t_ready. The
    window may be non-contiguous; ``battlespace_s`` is its span.
    """
    t = np.asarray(traj.t, float)
    d, h = site_geometry(site_lat, site_lon, traj, theta0, geodetic)
    tf = fly_out_time(interceptor, d, h)
    launch = t[None, :] - tf
    ready = np.broadcast_to(np.asarray(t_ready, float), d.shape[:1])[:, None]
    with np.errstate(invalid="ignore"):
        reach = in_envelope(interceptor, d, h) & np.isfinite(tf)
        ok = reach & (launch >= ready)
    any_ok = ok.any(axis=1)
    reason = reasons.static_reason(reach.any(axis=1), np.isfinite(ready[:, 0]), any_ok)
    i_first = np.argmax(ok, axis=1)
    i_last = ok.shape[1] - 1 - np.argmax(ok[:, ::-1], axis=1)
    rows = np.arange(ok.shape[0])
    nan = np.full(ok.shape[0], np.nan)
    t_first = np.where(any_ok, t[i_first], nan)
    t_last = np.where(any_ok, t[i_last], nan)
    l_first = np.where(any_ok, launch[rows, i_first], nan)
    l_last = np.where(any_ok, launch[rows, i_last], nan)
    span = np.where(any_ok, t_last - t_first, 0.0)
    return Windows(t_first, t_last, l_first, l_last, span, ok, tf, reason)
