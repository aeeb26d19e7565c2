"""U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562, NASA-TM-X-74335), vectorized.

Input altitude is geometric height above mean sea level, m; output SI.

- Below 86 km: exact, from the seven geopotential layers of Part 1, Table 4, with
  geopotential altitude H = r0 Z / (r0 + Z), r0 = 6356766 m (Part 1, eq. 18). Layer 0
  is extended downward to -5 km, the bottom of the standard's Table I.
  Temperature is kinetic: the molecular-scale temperature times M/M0 (Part 1, Table 8,
  80-86 km); density and speed of sound use the molecular-scale temperature (eqs. 42, 50).
- 86-1000 km: density is piecewise exponential (log-linear) through the printed Table I
  densities (Part 4, pp. 68-73); pressure likewise through a sparser set of printed
  pressures (a few per cent between its nodes). Temperature is the standard's kinetic
  temperature-height profile (Part 1, Sec. 1.2.5, Table 5 segments). The standard gives
  no speed of sound above 86 km; it is held at its 86 km value.
- Above 1000 km density and pressure keep falling with the 975-1000 km scale height.

``us76`` is the reference; ``density`` and ``speed_of_sound`` are fast paths (one
``np.interp`` on a table built at import) for use inside integrators.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .constants import G0

R_STAR = 8314.32  # J/(kmol K), gas constant as defined by US76, Part 1, Table 2
M0 = 28.9644  # kg/kmol, sea-level mean molecular weight, US76 Part 1, p. 9
R0_US76 = 6356766.0  # m, effective Earth radius for geopotential altitude, US76 Part 1, p. 8
GAMMA = 1.40  # ratio of specific heats of air, US76 Part 1, eq. 50
T0 = 288.15  # K, sea-level temperature, US76 Part 1, Table 2
P0 = 101325.0  # Pa, sea-level pressure, US76 Part 1, Table 2
Z_86 = 86000.0  # m, geometric top of the layered (homosphere) model, US76 Part 1
Z_MIN_TABLE = -5000.0  # m, bottom of US76 Table I; bottom of the fast-path table

# US76 Part 1, Table 4: geopotential layer bases (m') and molecular-scale lapse rates (K/m').
_H_B = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0])
_L_B = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])
_HYDRO = G0 * M0 / R_STAR  # K/m', g0' M0 / R*, hydrostatic constant (US76 eqs. 33a, 33b)

# US76 Part 1, Table 8: mean molecular weight ratio M/M0 at geometric altitude, 80-86 km.
_Z_MRATIO = np.arange(80000.0, 86001.0, 500.0)  # m
_MRATIO = np.array([1.000000, 0.999996, 0.999989, 0.999971, 0.999941, 0.999909, 0.999870,
                    0.999829, 0.999786, 0.999741, 0.999694, 0.999641, 0.999579])

# US76 Part 4, Table I (geometric altitude), densities in kg/m^3, 86-1000 km, pp. 68-73, as
# reproduced node by node in public US76 implementations. The 86 km node is replaced below
# by the layer-7 value (6.9579e-6, equal to the printed 6.958e-6) so the profile is continuous.
_Z_RHO_KM = np.array([
    86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 102, 104, 106, 108, 110,
    112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132, 134, 136, 138, 140, 142, 144, 146,
    148, 150, 155, 160, 165, 170, 175, 180, 185, 190, 195, 200, 205, 210, 215, 220, 225, 230,
    235, 240, 245, 250, 255, 260, 265, 270, 275, 280, 285, 290, 295, 300, 310, 320, 340, 360,
    380, 400, 420, 440, 460, 480, 500, 525, 550, 575, 600, 625, 650, 675, 700, 725, 750, 775,
    800, 825, 850, 875, 900, 925, 950, 975, 1000], dtype=float)
_RHO_TABLE = np.array([
    6.958e-6, 5.824e-6, 4.875e-6, 4.081e-6, 3.416e-6, 2.860e-6, 2.393e-6, 2.000e-6, 1.670e-6,
    1.393e-6, 1.162e-6, 9.685e-7, 8.071e-7, 6.725e-7, 5.604e-7, 3.935e-7, 2.769e-7, 1.954e-7,
    1.381e-7, 9.708e-8, 6.838e-8, 4.975e-8, 3.720e-8, 2.847e-8, 2.222e-8, 1.767e-8, 1.428e-8,
    1.171e-8, 9.717e-9, 8.152e-9, 6.904e-9, 5.897e-9, 5.074e-9, 4.396e-9, 3.831e-9, 3.358e-9,
    2.958e-9, 2.618e-9, 2.326e-9, 2.076e-9, 1.585e-9, 1.233e-9, 9.750e-10, 7.815e-10,
    6.339e-10, 5.194e-10, 4.295e-10, 3.581e-10, 3.006e-10, 2.541e-10, 2.160e-10, 1.846e-10,
    1.585e-10, 1.367e-10, 1.184e-10, 1.029e-10, 8.979e-11, 7.858e-11, 6.898e-11, 6.073e-11,
    5.360e-11, 4.742e-11, 4.206e-11, 3.738e-11, 3.329e-11, 2.971e-11, 2.656e-11, 2.378e-11,
    2.133e-11, 1.916e-11, 1.552e-11, 1.264e-11, 8.503e-12, 5.805e-12, 4.013e-12, 2.803e-12,
    1.975e-12, 1.402e-12, 1.002e-12, 7.208e-13, 5.215e-13, 3.509e-13, 2.384e-13, 1.637e-13,
    1.137e-13, 7.998e-14, 5.712e-14, 4.148e-14, 3.070e-14, 2.318e-14, 1.788e-14, 1.410e-14,
    1.136e-14, 9.339e-15, 7.824e-15, 6.664e-15, 5.759e-15, 5.038e-15, 4.453e-15, 3.968e-15,
    3.561e-15])  # kg/m^3
# US76 Part 4, Table I pressures, Pa, at a sparser set of geometric altitudes (km).
_Z_P_KM = np.array([86, 90, 95, 100, 110, 115, 120, 130, 150, 175, 200, 250, 300, 400, 500,
                    600, 700, 800, 900, 1000], dtype=float)
_P_TABLE = np.array([3.7338e-1, 1.8359e-1, 7.5966e-2, 3.2011e-2, 7.1042e-3, 4.0096e-3,
                     2.5382e-3, 1.2505e-3, 4.5422e-4, 1.7936e-4, 8.4736e-5, 2.4767e-5,
                     8.7704e-6, 1.4518e-6, 3.0236e-7, 8.2130e-8, 3.1908e-8, 1.7036e-8,
                     1.0873e-8, 7.5138e-9])  # Pa

# US76 Part 1, Sec. 1.2.5 / Table 5: kinetic temperature segments above 86 km.
_T_ISO = 186.8673  # K, isothermal 86-91 km
# elliptical segment 91-110 km: base Z8 (m), Tc (K), A (K), a (m)
_Z8, _TC, _A_ELL, _A_Z = 91000.0, 263.1905, -76.3232, -19942.9
_Z9, _T9, _L9 = 110000.0, 240.0, 12.0e-3  # m, K, K/m: linear, 110-120 km
_Z10, _T10, _T_INF, _LAMBDA = 120000.0, 360.0, 1000.0, 0.01875e-3  # m, K, K, 1/m: exponential


class AtmosphereState(NamedTuple):
    """US76 state; every field has the shape of the input altitude."""

    temperature: np.ndarray  # K, kinetic
    pressure: np.ndarray  # Pa
    density: np.ndarray  # kg/m^3
    speed_of_sound: np.ndarray  # m/s


def geopotential_altitude(z):
    """Geopotential altitude H (m') from geometric altitude Z (m).

    Notes
    -----
    H = r0 Z / (r0 + Z), r0 = 6356766 m; US76 Part 1, eq. 18.
    """
    z = np.asarray(z, dtype=float)
    return R0_US76 * z / (R0_US76 + z)


def _layer_bases():
    """Base molecular-scale temperature (K) and pressure (Pa) of each Table 4 layer."""
    dh = np.diff(_H_B)
    t = T0 + np.concatenate([[0.0], np.cumsum(_L_B * dh)])
    safe_l = np.where(_L_B == 0.0, 1.0, _L_B)
    iso = np.exp(-_HYDRO * dh / t[:-1])
    ratio = np.where(_L_B == 0.0, iso, (t[:-1] / t[1:]) ** (_HYDRO / safe_l))
    return t[:-1], P0 * np.concatenate([[1.0], np.cumprod(ratio)])[:-1]


_T_B, _P_B = _layer_bases()


def _lower(z):
    """Kinetic T, p, rho, a below 86 km (US76 eqs. 23, 33a, 33b, 42, 50)."""
    h = geopotential_altitude(z)
    b = np.clip(np.searchsorted(_H_B, h, side="right") - 1, 0, len(_L_B) - 1)
    lb, tb, dh = _L_B[b], _T_B[b], h - _H_B[b]
    tm = tb + lb * dh
    safe_l = np.where(lb == 0.0, 1.0, lb)
    p = _P_B[b] * np.where(lb == 0.0, np.exp(-_HYDRO * dh / tb), (tb / tm) ** (_HYDRO / safe_l))
    t_kin = tm * np.interp(z, _Z_MRATIO, _MRATIO)
    return t_kin, p, p * M0 / (R_STAR * tm), np.sqrt(GAMMA * R_STAR * tm / M0)


def _upper_temperature(z):
    """Kinetic temperature (K) at geometric altitude z >= 86 km (US76 Table 5 segments)."""
    ell = np.clip((z - _Z8) / _A_Z, -1.0, 1.0)
    xi = (z - _Z10) * (R0_US76 + _Z10) / (R0_US76 + z)
    return np.select(
        [z < _Z8, z < _Z9, z < _Z10],
        [_T_ISO, _TC + _A_ELL * np.sqrt(1.0 - ell * ell), _T9 + _L9 * (z - _Z9)],
        _T_INF - (_T_INF - _T10) * np.exp(-_LAMBDA * xi),
    )


def _log_profile(z_nodes, values):
    """Nodes and log-values with the top extended at the last segment's scale height."""
    logv = np.log(values)
    slope = (logv[-1] - logv[-2]) / (z_nodes[-1] - z_nodes[-2])
    return z_nodes, logv, slope


_T86, _P86, _RHO86, _A86 = (float(v) for v in _lower(np.array(Z_86)))
_RHO_NODES = _log_profile(_Z_RHO_KM * 1e3, np.concatenate([[_RHO86], _RHO_TABLE[1:]]))
_P_NODES = _log_profile(_Z_P_KM * 1e3, np.concatenate([[_P86], _P_TABLE[1:]]))


def _log_interp(z, nodes):
    zn, logv, slope = nodes
    return np.exp(np.interp(z, zn, logv) + slope * np.maximum(z - zn[-1], 0.0))


def us76(alt):
    """US Standard Atmosphere 1976 at geometric altitude ``alt`` (m), any shape.

    Returns
    -------
    AtmosphereState
        temperature (K, kinetic), pressure (Pa), density (kg/m^3), speed_of_sound (m/s).

    Notes
    -----
    NOAA-S/T 76-1562 (1976): Part 1 eqs. 18, 23, 33a/b, 42, 50 and Tables 4, 5, 8 below
    86 km and for temperature above; Part 4 Table I densities and pressures above 86 km.
    See the module docstring for what is interpolated.
    """
    z = np.asarray(alt, dtype=float)
    lo = z < Z_86
    t_lo, p_lo, rho_lo, a_lo = _lower(np.minimum(z, Z_86))
    z_hi = np.maximum(z, Z_86)
    return AtmosphereState(
        temperature=np.where(lo, t_lo, _upper_temperature(z_hi)),
        pressure=np.where(lo, p_lo, _log_interp(z_hi, _P_NODES)),
        density=np.where(lo, rho_lo, _log_interp(z_hi, _RHO_NODES)),
        speed_of_sound=np.where(lo, a_lo, _A86),
    )


# Fast-path table: every 100 m from -5 km to 1000 km, plus every layer boundary and every
# Table I node (so the log-linear upper profile is reproduced exactly), plus one far point
# that carries the exponential tail above 1000 km.
_Z_FAR = 1.0e8  # m, far end of the fast table; density there ~1e-200 kg/m^3
_Z_FAST = np.unique(np.concatenate([
    np.arange(Z_MIN_TABLE, 1.0e6 + 1.0, 100.0),
    R0_US76 * _H_B / (R0_US76 - _H_B),
    _RHO_NODES[0], _P_NODES[0], [Z_86, _Z_FAR],
]))
_FAST = us76(_Z_FAST)
_LN_RHO_FAST = np.log(_FAST.density)
_A_FAST = _FAST.speed_of_sound


def density(alt):
    """US76 density (kg/m^3) at geometric altitude ``alt`` (m); fast table look-up.

    Agrees with :func:`us76` to better than 1e-4 relative from -5 km up; clamps below -5 km.

    Notes
    -----
    Linear interpolation of ln(rho) on a table of :func:`us76` values built at import.
    """
    return np.exp(np.interp(alt, _Z_FAST, _LN_RHO_FAST))


def speed_of_sound(alt):
    """US76 speed of sound (m/s) at geometric altitude ``alt`` (m); fast table look-up.

    Notes
    -----
    Linear interpolation on the table of :func:`density`; a = sqrt(gamma R* T_M / M0),
    US76 eq. 50; constant above 86 km and below -5 km.
    """
    return np.interp(alt, _Z_FAST, _A_FAST)


def fast_tables():
    """The look-up tables behind density() and speed_of_sound(): altitude (m), ln density, speed of sound (m/s).

    Compiled code (threats/kmath.py) interpolates the same tables, so it agrees exactly.
    """
    return _Z_FAST.copy(), _LN_RHO_FAST.copy(), _A_FAST.copy()
