"""Interacting Multiple Model (IMM) filter, batched over tracks.

Each track carries r model-matched estimates x (M, r, 6), P (M, r, 6, 6) and mode
probabilities mu (M, r). The models share the motion (J2-gravity ballistic or constant
velocity) and differ in white-noise acceleration density q_j: e.g. a quiet ballistic model
and a manoeuvre model for a gliding or jinking target. ``predict`` / ``update`` mirror the
single-model filter in ``kalman`` and work on any subset of tracks.

Notes
-----
H. A. P. Blom and Y. Bar-Shalom, The interacting multiple model algorithm for systems with
Markovian switching coefficients, IEEE Trans. Automatic Control 33(8), 780-783 (1988);
Bar-Shalom, Li & Kirubarajan, Estimation with Applications to Tracking and Navigation,
Wiley 2001, sec. 11.6.6 (one cycle: mixing, mode-matched filtering, mode probability
update, combination). Mode likelihoods are Gaussian in the innovation, computed in logs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kalman

__all__ = ["IMMModel", "IMMState", "combine", "init", "predict", "update"]


@dataclass(frozen=True)
class IMMModel:
    """r models sharing one motion.

    q : (r,) white-noise acceleration densities, m^2/s^3.
    transition : (r, r) Markov mode-switching matrix per step, rows sum to 1 (p_ij = P(j | i)).
    motion : 'ballistic' (J2 gravity, ECI) or 'cv', of every track unless ``predict`` is given
        per-track flags.
    mu0 : (r,) initial mode probabilities.
    """

    q: tuple = (0.1, 100.0)
    transition: tuple = ((0.95, 0.05), (0.05, 0.95))
    motion: str = "ballistic"
    mu0: tuple = (0.5, 0.5)


@dataclass(frozen=True)
class IMMState:
    """x (M, r, 6), P (M, r, 6, 6) model-matched estimates; mu (M, r) mode probabilities."""

    x: np.ndarray
    P: np.ndarray
    mu: np.ndarray


def init(x, P, model: IMMModel) -> IMMState:
    """Every model starts at the same estimate: x (M, 6), P (M, 6, 6) -> IMMState."""
    r = len(model.q)
    mu = np.broadcast_to(np.asarray(model.mu0, float), (len(x), r)).copy()
    return IMMState(np.repeat(x[:, None], r, axis=1), np.repeat(P[:, None], r, axis=1), mu)


def _mix(s: IMMState, Pi):
    """Mixed initial conditions (x0j, P0j) and predicted mode probabilities c (M, r)."""
    c = s.mu @ Pi  # (M, r): c_j = sum_i p_ij mu_i
    w = s.mu[:, :, None] * Pi[None] / np.maximum(c[:, None, :], 1e-300)  # (M, i, j): mu_{i|j}
    x0 = np.einsum("mij,min->mjn", w, s.x)
    d = s.x[:, :, None, :] - x0[:, None, :, :]  # (M, i, j, n)
    P0 = np.einsum("mij,mijab->mjab", w, s.P[:, :, None] + d[..., :, None] * d[..., None, :])
    return x0, P0, c


def predict(s: IMMState, dt: float, model: IMMModel, ballistic=None) -> IMMState:
    """Mixing and model-matched prediction by dt seconds.

    ballistic : (M,) bool, per-track motion (J2 gravity or constant velocity); None: every
        track moves as ``model.motion`` says.

    Returns
    -------
    IMMState with predicted x, P and the predicted mode probabilities c_j = sum_i p_ij mu_i.
    """
    Pi = np.asarray(model.transition, float)
    x0, P0, c = _mix(s, Pi)
    m, r = c.shape
    xf, Pf = x0.reshape(m * r, 6), P0.reshape(m * r, 6, 6)
    b = np.full(m, model.motion == "ballistic") if ballistic is None else np.asarray(ballistic, bool)
    b = np.repeat(b, r)  # one flag per (track, model) row
    xf, Pf = xf.copy(), Pf.copy()
    if b.any():
        xf[b], Pf[b] = kalman.ballistic_predict(xf[b], Pf[b], dt, 0.0)
    if not b.all():
        F, _ = kalman.white_noise_acceleration(dt, 0.0)
        xf[~b], Pf[~b] = kalman.predict(xf[~b], Pf[~b], F, 0.0)
    Q = np.stack([kalman.white_noise_acceleration(abs(dt), q)[1] for q in model.q])  # (r, 6, 6)
    return IMMState(xf.reshape(m, r, 6), Pf.reshape(m, r, 6, 6) + Q[None], c)


def update(s: IMMState, z, R, H=None):
    """Model-matched updates with z (M, 3), R (M, 3, 3) and the mode-probability update.

    Returns
    -------
    IMMState, and the combined innovation nu (M, 3) and covariance S (M, 3, 3) (moment-matched
    over models, for gating).
    """
    m, r = s.mu.shape
    H = np.hstack([np.eye(3), np.zeros((3, 3))]) if H is None else H
    zz = np.repeat(z[:, None], r, axis=1).reshape(m * r, -1)
    RR = np.repeat(R[:, None], r, axis=1).reshape(m * r, *R.shape[1:])
    x, P, nu, S = kalman.update(s.x.reshape(m * r, 6), s.P.reshape(m * r, 6, 6), zz, H, RR)
    k = nu.shape[-1]
    _, logdet = np.linalg.slogdet(S)
    loglik = -0.5 * (kalman.mahalanobis2(nu, S) + logdet + k * np.log(2 * np.pi))
    logpost = loglik.reshape(m, r) + np.log(np.maximum(s.mu, 1e-300))
    logpost -= logpost.max(axis=1, keepdims=True)
    mu = np.exp(logpost)
    mu /= mu.sum(axis=1, keepdims=True)
    nu, S = nu.reshape(m, r, k), S.reshape(m, r, k, k)
    nu_c = np.einsum("mr,mrk->mk", s.mu, nu)
    dn = nu - nu_c[:, None]
    S_c = np.einsum("mr,mrab->mab", s.mu, S + dn[..., :, None] * dn[..., None, :])
    return IMMState(x.reshape(m, r, 6), P.reshape(m, r, 6, 6), mu), nu_c, S_c


def combine(s: IMMState):
    """Combined estimate x (M, 6), P (M, 6, 6): the mode-probability-weighted mixture moments."""
    x = np.einsum("mr,mrn->mn", s.mu, s.x)
    d = s.x - x[:, None]
    P = np.einsum("mr,mrab->mab", s.mu, s.P + d[..., :, None] * d[..., None, :])
    return x, P
