"""Physical constants, SI units, each with its source.

Only WGS84 and IERS values are used so that frames, gravity and the atmosphere agree.
"""

WGS84_A = 6378137.0  # m, equatorial radius; NIMA TR8350.2 (WGS84), Table 3.1
WGS84_F = 1.0 / 298.257223563  # flattening; NIMA TR8350.2, Table 3.1
WGS84_B = WGS84_A * (1.0 - WGS84_F)  # m, polar radius (derived)
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)  # first eccentricity squared (derived)
MU_EARTH = 3.986004418e14  # m^3/s^2, GM incl. atmosphere; NIMA TR8350.2, Table 3.1
OMEGA_EARTH = 7.292115e-5  # rad/s, nominal mean angular velocity; NIMA TR8350.2, Table 3.1
J2 = 1.08262668e-3  # unnormalized C20 (=-J2); EGM96 / NIMA TR8350.2, Table 3.3 (dynamic)
R_MEAN = 6371008.8  # m, IUGG mean radius R1 = (2a+b)/3; Moritz, Geodetic Reference System 1980
G0 = 9.80665  # m/s^2, standard gravity; CGPM 1901 / US Standard Atmosphere 1976
