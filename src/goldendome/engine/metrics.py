"""Performance metrics of a Monte Carlo engagement: leakage, defended value, cost, timeline.

All functions take the `Outcomes` of `engine.montecarlo.simulate` and return plain floats,
dicts or arrays; none draws random numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from goldendome.c2.opportunities import Effectors, Threats
from goldendome.effectors.layers import LAYER_NAMES
from goldendome.effectors.reasons import WHY_LABELS, Why
from goldendome.engine.montecarlo import Outcomes

Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def p_no_leaker(out: Outcomes, z: float = Z95) -> dict:
    """P(no RV leaks) with a Wilson score interval.

    Returns
    -------
    dict
        {'p': estimate, 'lo': lower, 'hi': upper} (95 % by default).

    Notes
    -----
    Wilson (1927) score interval: keeps its coverage near p = 0 or 1, where a well-designed
    defence sits and the normal (Wald) interval collapses to zero width (Brown, Cai and
    DasGupta 2001).
    """
    n = out.trials
    p = float(np.mean(out.leakers == 0))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return {"p": p, "lo": float(centre - half), "hi": float(centre + half)}


def expected_leakers(out: Outcomes, level: float = 0.95) -> dict:
    """Mean number of leaking RVs per raid with a Student-t interval.

    Notes
    -----
    Per-trial leaker counts are bounded (0..N) so the CLT holds for the thousands of trials
    a study runs; the t-interval mean +- t_{(1+level)/2, T-1} s / sqrt(T) is deterministic,
    unlike a bootstrap, which would need its own random stream. The interval is clipped at 0
    (a count), and when every trial gave the same count the half-width is the "rule of three"
    -ln(1 - level)/T (Hanley & Lippman-Hand, JAMA 249 (1983) 1743), not a zero-width interval.
    """
    x = out.leakers.astype(float)
    m = float(x.mean())
    half = float(stats.t.ppf(0.5 + level / 2, max(out.trials - 1, 1)) * x.std(ddof=1) / np.sqrt(out.trials)) \
        if out.trials > 1 else float("inf")
    if out.trials > 1 and half == 0.0:
        half = -np.log1p(-level) / out.trials
    return {"mean": m, "lo": max(m - half, 0.0), "hi": m + half}


def leakers_per_asset(out: Outcomes) -> np.ndarray:
    """Expected leakers on each defended asset, (A,)."""
    return out.leakers_by_asset.mean(axis=0)


def defended_value_fraction(out: Outcomes, threats: Threats) -> float:
    """Expected fraction of the threatened asset value that no leaker reaches.

    Notes
    -----
    An asset is lost once, whatever the number of RVs that reach it (countervalue damage
    criterion, OTA 1979 'The Effects of Nuclear War'); value at risk is the value of the
    assets that at least one real RV aims at.
    """
    asset, value = np.asarray(threats.asset), np.asarray(threats.value, float)
    a_val = np.zeros(out.leakers_by_asset.shape[1])
    aimed = (asset >= 0) & np.asarray(threats.is_rv, bool)
    np.maximum.at(a_val, asset[aimed], value[aimed])
    at_risk = a_val.sum()
    if at_risk <= 0:
        return 1.0
    lost = (out.leakers_by_asset > 0) @ a_val
    return float(1.0 - lost.mean() / at_risk)


def interceptors_by_type(out: Outcomes, effectors: Effectors) -> dict[str, float]:
    """Mean interceptors expended per raid, summed by effector kind."""
    mean = out.shots_by_effector.mean(axis=0)
    res: dict[str, float] = {}
    for k, m in zip(effectors.kind, mean):
        res[k] = res.get(k, 0.0) + float(m)
    return res


def cost_used(out: Outcomes) -> float:
    """Mean interceptor cost expended per raid (USD)."""
    return float(out.cost_usd.mean())


def cost_exchange_ratio(out: Outcomes, threats: Threats, attacker_cost_per_missile_usd: float) -> float:
    """Defender cost / attacker cost for the raid.

    Notes
    -----
    Attacker cost = cost per missile x number of distinct missiles in the raid (decoys and
    MIRVs ride on them). A ratio above 1 means the defence pays more than the offence, the
    cost-exchange criterion of Nitze (1985).
    """
    missiles = np.unique(np.asarray(threats.missile)).size
    return cost_used(out) / (attacker_cost_per_missile_usd * max(missiles, 1))


def timeline(out: Outcomes, q=(0.05, 0.5, 0.95)) -> dict[str, np.ndarray]:
    """Engagement timeline per object.

    Returns
    -------
    dict of ndarray
        'p_engaged' (N,), 'first_shot_s' (N,) mean over engaged trials, 'p_killed' (N,),
        'kill_time_q' (N, len(q)) quantiles of the kill time over trials where it was killed
        (nan where never), 'quantiles' (len(q),).
    """
    engaged = ~np.isnan(out.first_shot_s)
    killed = ~np.isnan(out.kill_time_s)
    with warnings.catch_warnings():  # an object never engaged is a valid all-nan column
        warnings.simplefilter("ignore", RuntimeWarning)
        first = np.nanmean(out.first_shot_s, axis=0)
        kq = np.nanquantile(out.kill_time_s, q, axis=0).T
    return {"p_engaged": engaged.mean(axis=0), "first_shot_s": first, "p_killed": killed.mean(axis=0),
            "kill_time_q": kq, "quantiles": np.asarray(q)}


def why_leaked(out: Outcomes) -> dict:
    """Why the leakers leaked: per layer, how far each leaking RV got through it, counted over
    (trial, RV) pairs that leaked.

    Returns
    -------
    dict
        {'leaked': number of (trial, RV) leaks, 'layers': {layer: {why: count}}}, layers the
        architecture has, reasons with a non-zero count, in Why order. Counts of a layer sum
        to 'leaked'. Empty layers when ``out.why`` is None.

    Notes
    -----
    A leaker survived every layer, so its codes never say killed or killed-earlier: each says
    where that layer's kill chain stopped (envelope, track, doctrine, inventory, or a miss).
    """
    leaked = np.asarray(out.leaked, bool)
    res = {"leaked": int(leaked.sum()), "layers": {}}
    if out.why is None:
        return res
    codes = out.why[leaked]  # (K, L)
    for la, name in enumerate(LAYER_NAMES):
        if not np.any(out.why[..., la] != Why.NO_LAYER):
            continue
        c = np.bincount(codes[:, la].astype(np.int64), minlength=len(Why))
        res["layers"][name] = {WHY_LABELS[w]: int(c[w]) for w in range(len(Why)) if c[w] > 0}
    return res


def why_by_object(out: Outcomes) -> np.ndarray:
    """(N, L) int: per object and layer, the most frequent Why code over the trials the object
    leaked in (ties to the lower code); -1 where it never leaked or ``out.why`` is None."""
    n, n_layers = out.leaked.shape[1], len(LAYER_NAMES)
    res = np.full((n, n_layers), -1, np.int64)
    if out.why is None:
        return res
    for k in np.flatnonzero(out.leaked.any(axis=0)):
        codes = out.why[out.leaked[:, k], k, :].astype(np.int64)  # (trials leaked, L)
        for la in range(n_layers):
            res[k, la] = int(np.argmax(np.bincount(codes[:, la], minlength=len(Why))))
    return res


def summary(out: Outcomes, threats: Threats, effectors: Effectors,
            attacker_cost_per_missile_usd: float | None = None) -> dict:
    """All scalar metrics in one dict (for study/ and the report)."""
    res = {"p_no_leaker": p_no_leaker(out), "expected_leakers": expected_leakers(out),
           "leakers_per_asset": leakers_per_asset(out).tolist(),
           "defended_value_fraction": defended_value_fraction(out, threats),
           "interceptors_by_type": interceptors_by_type(out, effectors), "cost_usd": cost_used(out)}
    if attacker_cost_per_missile_usd:
        res["cost_exchange_ratio"] = cost_exchange_ratio(out, threats, attacker_cost_per_missile_usd)
    return res
