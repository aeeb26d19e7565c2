"""Squared Mahalanobis gate distances against exact rational arithmetic, well conditioned and
near-singular (angles-only pseudo-measurements: R with 1e12 m^2 along a line of sight)."""

from fractions import Fraction

import numpy as np
import pytest

from goldendome.tracking.association import gate_threshold, mahalanobis_costs, quadratic_form_inverse3

EXTENDED = np.finfo(np.longdouble).eps < 1e-18  # x86 80-bit long double (else it is plain float64)


def exact_d2(S_parts, v):
    """v^T (sum S_parts)^-1 v in exact rational arithmetic on the float64 inputs (..., 3, 3), (..., 3)."""
    S = sum(np.asarray(p, float) for p in S_parts)  # shape only; entries are summed exactly below
    out = np.empty(S.shape[:-2])
    for idx in np.ndindex(out.shape):
        A = [[sum(Fraction(float(p[idx][i, j])) for p in S_parts) for j in range(3)] + [Fraction(float(v[idx][i]))]
             for i in range(3)]
        for i in range(3):  # Gaussian elimination, exact
            for r in range(i + 1, 3):
                f = A[r][i] / A[i][i]
                A[r] = [arc - f * aic for arc, aic in zip(A[r], A[i])]
        y = [Fraction(0)] * 3
        for i in (2, 1, 0):
            y[i] = (A[i][3] - sum(A[i][c] * y[c] for c in range(i + 1, 3))) / A[i][i]
        out[idx] = float(sum(Fraction(float(v[idx][i])) * y[i] for i in range(3)))
    return out


def spd(rng, n, scale):
    """n exactly symmetric SPD (3, 3) matrices with eigenvalues ~ scale."""
    A = rng.normal(size=(n, 3, 3))
    P = A @ np.swapaxes(A, -1, -2) * (scale / 3) + 1e-2 * scale * np.eye(3)
    return 0.5 * (P + np.swapaxes(P, -1, -2))


def old_cofactor_d2(S, v):
    """The closed-form cofactor inverse adj(S) / det S this module used before (for the record)."""
    a, b, c, d, e, f = S[..., 0, 0], S[..., 0, 1], S[..., 0, 2], S[..., 1, 1], S[..., 1, 2], S[..., 2, 2]
    ca, cb, cc, cd, ce, cf = d * f - e * e, c * e - b * f, b * e - c * d, a * f - c * c, b * c - a * e, a * d - b * b
    x, y, w = v[..., 0], v[..., 1], v[..., 2]
    num = ca * x * x + cd * y * y + cf * w * w + 2 * (cb * x * y + cc * x * w + ce * y * w)
    return num / (a * ca + b * cb + c * cc)


@pytest.mark.parametrize("var_cross, min_cond", [(1e2, 1e9), (1.0, 1e11)])
def test_angles_only_costs_are_exact_and_non_negative(var_cross, min_cond):
    """R = 1e12 u u^T + var_cross I (random line of sight u), P_pos ~ var_cross, innovations up to 6e6 m
    along u: S = P_pos + R has condition 1e10 / 1e12. Exact rational reference on the same float64
    P and R; the gated path matches the ungated one wherever it computes."""
    rng = np.random.default_rng(11)
    m, k = 12, 25
    u = rng.normal(size=(k, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    R = 1e12 * (u[:, :, None] * u[:, None, :]) + var_cross * np.eye(3)  # exactly symmetric
    P = np.zeros((m, 6, 6))
    P[:, :3, :3] = spd(rng, m, var_cross)
    P[:, 3:, 3:] = np.eye(3)
    x = np.hstack([rng.normal(scale=2.0 * np.sqrt(var_cross), size=(m, 3)), np.zeros((m, 3))])
    z = 1e6 * u * rng.uniform(-6.0, 6.0, size=(k, 1)) + rng.normal(scale=np.sqrt(var_cross), size=(k, 3))
    S = P[:, None, :3, :3] + R[None]
    assert np.min(np.linalg.cond(S)) > min_cond
    nu = z[None] - x[:, None, :3]
    ref = exact_d2([np.broadcast_to(P[:, None, :3, :3], S.shape), np.broadcast_to(R[None], S.shape)], nu)
    d2 = mahalanobis_costs(x, P, z, R)
    err = np.max(np.abs(d2 / ref - 1))
    assert np.all(d2 >= 0) and err < (1e-6 if EXTENDED else 1e-3)
    old = old_cofactor_d2(S, nu)
    assert np.min(old) < 0 and np.max(np.abs(old / ref - 1)) > 1.0  # the flaw this replaces
    g = gate_threshold()
    gated = mahalanobis_costs(x, P, z, R, g)
    fin = np.isfinite(gated)
    assert 0 < (d2 <= g).sum() <= fin.sum() < fin.size  # some pairs inside, some skipped by the pre-test
    assert np.allclose(gated[fin], d2[fin], rtol=1e-12, atol=0) and np.all(d2[~fin] > g)


def test_well_conditioned_forms_stay_exact():
    rng = np.random.default_rng(12)
    S = spd(rng, 200, 1e4)
    v = rng.normal(scale=100.0, size=(200, 3))
    assert np.allclose(quadratic_form_inverse3(S, v), exact_d2([S], v), rtol=1e-13, atol=0)
    T = spd(rng, 200, 1e3)
    assert np.allclose(quadratic_form_inverse3(S, v, T), exact_d2([S, T], v), rtol=1e-13, atol=0)


def test_singular_forms_fall_back_to_the_eigen_decomposition():
    """S = 1e12 u u^T (rank one): along u the distance is (v.u)^2 / 1e12; across it is outside any
    gate (a null direction costs ~1 / eps); S = 0 costs 0 for v = 0."""
    u = np.array([2.0, -1.0, 0.5]) / np.sqrt(5.25)
    S = np.stack([1e12 * np.outer(u, u)] * 2 + [np.zeros((3, 3))])
    v = np.stack([3e6 * u, np.cross(u, [0.0, 0.0, 1.0]), np.zeros(3)])
    d2 = quadratic_form_inverse3(S, v)
    assert d2[0] == pytest.approx(9.0, rel=1e-9) and d2[1] > 1e3 and d2[2] == 0.0
