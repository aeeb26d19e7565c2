"""RV-versus-decoy discrimination confidence per track, from per-sensor-type performance curves.

Each sensor type has a probability of correctly labelling an object (RV or decoy) that
grows with the time it has observed it, P(t) = 0.5 + (p_max - 0.5)(1 - exp(-t / tau)).
Sensors observing one track are independent pieces of evidence, summed in log-odds onto a
prior, giving the defender's probability that the track is the RV.

What the object physically is (``is_rv``) enters as the sensor's signature input, in the
expected-evidence sense: each sensor's report points at the true class with the weight of
its own reliability (or, with ``rng``, is drawn correct with probability P(t)). The
association of tracks to objects is the scoring match (``quality.truth_match``); the
tracker itself never reads truth.

Notes
-----
Qualitative ranking (X-band > S-band > UHF; infrared some; early-warning none) from
National Research Council, Making Sense of Ballistic Missile Defense (2012), and the
countermeasure caveats of Sessler et al., Countermeasures (UCS/MIT 2000) and APS (2003);
the parameters in catalog/discrimination.yaml are derived judgements, not published values.
Log-odds fusion of independent evidence: naive-Bayes combination, e.g. Bar-Shalom, Li &
Kirubarajan (2001), sec. 1.4.
"""

from __future__ import annotations

import numpy as np

__all__ = ["confidence", "observation_time", "p_correct", "sensor_tables"]


def p_correct(t_obs, p_max, tau_s):
    """Probability of a correct RV/decoy label after t_obs (s) of observation (broadcasts)."""
    t_obs = np.maximum(np.asarray(t_obs, float), 0.0)
    return 0.5 + (np.asarray(p_max) - 0.5) * (1.0 - np.exp(-t_obs / np.asarray(tau_s)))


def sensor_tables(sensor_types, table: dict):
    """Per sensor index arrays p_max (S,), tau_s (S,) from its type.

    Parameters
    ----------
    sensor_types : sequence of str, the type of sensor index s (catalog key, e.g. 'tpy2').
    table : {type: {'p_max': float, 'tau_s': float}} (catalog/discrimination.yaml 'sensors').
        Unknown types get p_max 0.5 (no discrimination).
    """
    p = np.array([table.get(s, {}).get("p_max", 0.5) for s in sensor_types], float)
    tau = np.array([table.get(s, {}).get("tau_s", 1.0) for s in sensor_types], float)
    return p, tau


def observation_time(first_seen, last_seen, t):
    """Observation time (M, S) of each track by each sensor up to time t (s).

    first_seen, last_seen : (M, S) first/last update time per sensor (NaN: never), from
    ``TrackerState``; gaps between them count as observed (an upper bound).
    """
    obs = np.minimum(last_seen, t) - first_seen
    return np.where(np.isnan(obs), 0.0, np.maximum(obs, 0.0))


def confidence(obs_time, p_max, tau_s, is_rv, prior=0.5, rng=None):
    """Probability that each track is the RV, fusing every sensor that observed it.

    Parameters
    ----------
    obs_time : (..., M, S) seconds each sensor has observed each track.
    p_max, tau_s : (S,) per-sensor performance.
    is_rv : (M,) bool, physical class of the object the track follows (signature input).
    prior : float, prior probability of an RV (e.g. 1 / (1 + decoys per RV)).
    rng : optional np.random.Generator; each sensor's label is then drawn correct with
        probability P(t) instead of taking its expected direction.

    Returns
    -------
    (..., M) posterior probability of RV.
    """
    p = np.clip(p_correct(obs_time, p_max, tau_s), 0.5, 1 - 1e-12)
    llr = np.log(p / (1 - p))  # weight of one sensor's label
    sign = np.where(np.asarray(is_rv, bool), 1.0, -1.0)[..., :, None]
    if rng is not None:
        sign = sign * np.where(rng.random(p.shape) < p, 1.0, -1.0)
    logit = np.log(prior / (1 - prior)) + np.sum(sign * llr, axis=-1)
    return 1.0 / (1.0 + np.exp(-logit))
