"""Event location inside an integration step by cubic Hermite interpolation and bisection.

An event (impact, re-entry, apogee) is located on the Hermite cubic through the step's end
states (positions and velocities), which is fourth-order consistent with RK4, so the
event is root-found rather than read off the last grid point.
"""

from __future__ import annotations

import numpy as np


def hermite(y0, y1, dt, s):
    """Position and velocity (M, 3) at fraction s (M,) of a step of length dt (s).

    y0, y1 : (M, >=6) states [r, v, ...] at the step ends.

    Notes
    -----
    Cubic Hermite basis h00 = 2s^3 - 3s^2 + 1, h10 = s^3 - 2s^2 + s, h01 = -2s^3 + 3s^2,
    h11 = s^3 - s^2 (e.g. Hairer, Norsett & Wanner, Solving ODEs I, sec. II.6).
    """
    s = s[:, None]
    s2, s3 = s * s, s * s * s
    p0, v0, p1, v1 = y0[:, :3], y0[:, 3:6], y1[:, :3], y1[:, 3:6]
    pos = (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * dt * v0 + (-2 * s3 + 3 * s2) * p1 + (s3 - s2) * dt * v1
    dpos = (6 * s2 - 6 * s) * p0 + (3 * s2 - 4 * s + 1) * dt * v0 + (-6 * s2 + 6 * s) * p1 + (3 * s2 - 2 * s) * dt * v1
    return pos, dpos / dt


def bisect_step(y0, y1, dt, fn, iterations=40):
    """Fraction s (M,) of the step where fn(pos, vel) changes sign from > 0 to <= 0.

    fn maps positions and velocities (M, 3) to (M,); fn > 0 at s = 0 and <= 0 at s = 1.
    40 halvings locate the event to dt * 1e-12.
    """
    lo = np.zeros(len(y0))
    hi = np.ones(len(y0))
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        above = fn(*hermite(y0, y1, dt, mid)) > 0
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return hi
