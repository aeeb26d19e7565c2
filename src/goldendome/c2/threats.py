"""Threat evaluation: which defended asset each object threatens, as battle management sees it."""

from __future__ import annotations

import numpy as np

from ..physics import earth
from ..threats.trajectory import Trajectories
from .opportunities import Threats

ASSET_RADIUS_M = 50e3  # an object threatens the nearest asset within this distance of its aim point


def evaluate(traj: Trajectories, p_rv: np.ndarray, asset_lat, asset_lon, values) -> Threats:
    """Threat objects: missile, truth class, RV confidence ``p_rv`` (N,), threatened asset and its value.

    ``asset_lat``, ``asset_lon`` (A,) rad and ``values`` (A,); an object whose aim point lies
    more than :data:`ASSET_RADIUS_M` from every asset threatens none (asset -1, value 0).
    """
    o = traj.objects
    d = earth.great_circle_distance(o["aim_lat"][:, None], o["aim_lon"][:, None], asset_lat[None], asset_lon[None])
    nearest = np.argmin(d, axis=1) if d.shape[1] else np.zeros(traj.n, int)
    asset = np.where(d[np.arange(traj.n), nearest] <= ASSET_RADIUS_M, nearest, -1) if d.shape[1] else -np.ones(traj.n, int)
    return Threats(missile=np.asarray(o["missile"]), is_rv=np.asarray(o["kind"]) != "decoy",
                   p_rv=p_rv, asset=asset, value=np.where(asset >= 0, values[asset], 0.0))
