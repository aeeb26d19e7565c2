"""3-DOF flight of a batch of threat objects in the Earth-centred inertial frame.

Point masses under J2 gravity, US76 drag (Mach-dependent for boosters, ballistic
coefficient for released bodies, a drag polar with commanded lift for gliders) and staged
thrust, integrated with RK4 on each object's own adaptive grid by the compiled kernel
(threats/kernel.py). Events (burnout, release, apogee, re-entry at 100 km, impact) are
root-found inside steps.

Left out: winds, rotational dynamics (no angle of attack is modelled), thrust loss to
back-pressure at low altitude (catalog Isp values are vacuum values), precession and
nutation of the Earth's axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import earth
from . import kernel as K
from .batch import SHAPE_APOGEE, FlightBatch

BOOST, COAST, BALLISTIC, GLIDE, TERMINAL, DONE = K.BOOST, K.COAST, K.BALLISTIC, K.GLIDE, K.TERMINAL, K.DONE
NOT_LAUNCHED = K.NOT_LAUNCHED
END_IMPACT, END_FILTERED, END_TIMEOUT = K.END_IMPACT, K.END_FILTERED, K.END_TIMEOUT


@dataclass(frozen=True)
class FlightModel:
    """Which physics the integrator includes (all on by default).

    j2 : J2 gravity (else point mass); drag : the atmosphere; sphere_radius : measure
    altitude above a sphere of this radius (m) instead of the WGS84 ellipsoid. The
    analytic tests use FlightModel(j2=False, drag=False, sphere_radius=R).
    """

    j2: bool = True
    drag: bool = True
    sphere_radius: float | None = None

    def flags(self) -> np.ndarray:
        return np.array([float(self.j2), float(self.drag), self.sphere_radius or 0.0])


@dataclass
class Record:
    """What a flight produced.

    ev : dict of (N,) or (N, 3) arrays, flight times in s from each object's launch:
         t_burnout, r_burnout, v_burnout, t_deploy, t_apogee, apogee_alt, t_reentry, t_end,
         end_reason, r_end, v_end (ECI), max_speed, gamma_turn, gamma_turn_req, steps
    t : (T,) output times from scenario start (s); state (N, T, 6) ECI, NaN outside flight;
        phase (N, T) int8 (BOOST..DONE, NOT_LAUNCHED)
    """

    ev: dict
    t: np.ndarray
    state: np.ndarray
    phase: np.ndarray


def initial_state(b: FlightBatch) -> np.ndarray:
    """(N, 7) ECI position, velocity (co-rotating with the pad) and lift-off mass."""
    r = earth.ecef_to_eci(b.launch_ecef, 0.0, b.theta)
    v = np.cross(np.array([0.0, 0.0, earth.OMEGA_EARTH]), r)
    return np.column_stack([r, v, b.mass0])


def parameters(b: FlightBatch) -> np.ndarray:
    """The kernel's per-object parameter rows (N, NQ)."""
    q = np.zeros((b.n, K.NQ))
    q[:, K.Q_AREA], q[:, K.Q_BETA] = b.area, b.beta
    q[:, K.Q_GMASS], q[:, K.Q_GAREA], q[:, K.Q_CD0], q[:, K.Q_KIND_INDUCED], q[:, K.Q_CLMAX] = b.glide.T
    q[:, K.Q_THETA], q[:, K.Q_TVERT], q[:, K.Q_KICK], q[:, K.Q_TURN] = b.theta, b.t_vert, b.kick, b.stage_end[:, 0]
    q[:, K.Q_AIMX:K.Q_AIMX + 3] = b.aim_ecef
    q[:, K.Q_TGTX:K.Q_TGTX + 3] = b.target_ecef
    q[:, K.Q_WPX:K.Q_WPX + 3] = b.waypoint_ecef
    q[:, K.Q_LOFT], q[:, K.Q_APO] = b.shape == SHAPE_APOGEE, b.apogee_radius
    q[:, K.Q_BODY], q[:, K.Q_DELAY] = b.body_mass, b.deploy_delay
    q[:, K.Q_DVX:K.Q_DVX + 3] = b.deploy_dv
    q[:, K.Q_TLAUNCH], q[:, K.Q_NSTAGE], q[:, K.Q_KIND] = b.t_launch, b.n_stages, b.kind
    return q


def fly(batch: FlightBatch, t_max: float = 7200.0, until: str = "end", model: FlightModel = FlightModel(),
        y0=None, phase0=None, dt_out: float = 1.0, t_out_end: float | None = None) -> Record:
    """Fly every object of ``batch`` from launch until impact, filtering or ``t_max`` (s).

    ``until='turn'`` stops each object once its gravity turn ends (the guidance solver
    needs only that). ``y0`` (N, 7) and ``phase0`` (N,) start objects from given ECI
    states and phases instead of the pad. States are written every ``dt_out`` s of
    scenario time up to ``t_out_end`` (none when it is None).
    """
    y0 = initial_state(batch) if y0 is None else np.asarray(y0, dtype=float)
    phase0 = np.full(batch.n, BOOST, np.int8) if phase0 is None else np.asarray(phase0, np.int8)
    n_out = 0 if t_out_end is None else int(np.floor(t_out_end / dt_out)) + 1
    ev, state, phase = K.fly_all(y0, phase0, parameters(batch), batch.stage_end, batch.thrust, batch.mdot,
                                 batch.stage_dry, model.flags(), float(t_max), until == "turn", float(dt_out), n_out)
    return Record(_events(ev), np.arange(n_out) * dt_out, state, phase)


def _events(ev: np.ndarray) -> dict:
    out = {name: ev[:, col] for name, col in [
        ("t_burnout", K.E_TBO), ("t_deploy", K.E_TDEP), ("t_apogee", K.E_TAPO), ("apogee_alt", K.E_APO),
        ("t_reentry", K.E_TRE), ("t_end", K.E_TEND), ("max_speed", K.E_VMAX), ("gamma_turn", K.E_GTURN),
        ("gamma_turn_req", K.E_GREQ), ("steps", K.E_STEPS)]}
    out["end_reason"] = ev[:, K.E_REASON].astype(int)
    for name, col in [("r_burnout", K.E_RBO), ("v_burnout", K.E_VBO), ("r_end", K.E_REND), ("v_end", K.E_VEND)]:
        out[name] = ev[:, col:col + 3]
    return out
