"""Value model of defended locations: category scores, weights, ranking with reasons.

A location i has three scores in [0, 1], one per value category:

- ``countervalue``: people, from the population P_i. Default ``log``:
  log10(P_i / P_0) / log10(P_max / P_0) with P_0 = 10,000 (diminishing marginal value: a
  city of 1 M scores 0.68 of New York's 8.8 M, one of 100 k 0.34); ``linear``: P_i / P_max,
  the people at risk. Linear is the fatality count, but under it one metropolis outweighs
  dozens of cities and any fixed infrastructure score outranks all but the largest few, so
  the default list would hold five cities; log spreads priority over the cities an analyst
  expects to see. The choice is a value judgement: pass ``scale='linear'`` to count people;
- ``second-strike``: the survivability of the retaliatory force and its command (ICBM
  fields, SSBN and bomber bases, national command nodes), from the location's roles;
- ``infrastructure``: capitals, large ports and airports, forward bases, from its roles.

Its score is the weighted sum S_i = sum_k w_k s_ik with weights normalised to sum to 1, so a
score is comparable across weightings (1 = top of every category the weights count).

Domain code: plain arrays and dataclasses in, no file read (scenario/places.py builds the
table from GeoNames, ``us``, airportsdata and catalog/assets.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORIES = ("countervalue", "second-strike", "infrastructure")
DEFAULT_WEIGHTS = {"countervalue": 1.0, "second-strike": 1.0, "infrastructure": 1.0}
SCALES = ("log", "linear")
DEFAULT_SCALE = "log"
P0_LOG = 1.0e4  # people: the log scale's zero (GeoNames cities15000 holds places >= 15,000)


@dataclass(frozen=True)
class Locations:
    """A table of N defended locations (columns are arrays of shape (N,)).

    Attributes
    ----------
    id, name, kind : np.ndarray of str
        Unique id, display name, and kind ('city', 'airport', 'port', 'strategic', 'forward').
    lat_deg, lon_deg : np.ndarray of float
        WGS84 geodetic latitude and longitude, degrees.
    population : np.ndarray of float
        People (0 where the location is not a populated place).
    second_strike, infrastructure : np.ndarray of float
        Role scores in [0, 1] (largest score among the location's roles per category).
    roles : np.ndarray of str
        Human-readable role labels, '; '-separated ('' for a plain city).
    second_strike_roles, infrastructure_roles : np.ndarray of str
        The labels of the roles that feed each category (for the reasons).
    """

    id: np.ndarray
    name: np.ndarray
    kind: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    population: np.ndarray
    second_strike: np.ndarray
    infrastructure: np.ndarray
    roles: np.ndarray
    second_strike_roles: np.ndarray
    infrastructure_roles: np.ndarray

    def __len__(self) -> int:
        return len(self.id)

    def take(self, idx) -> "Locations":
        """The sub-table at integer or boolean index ``idx``."""
        return Locations(**{f: getattr(self, f)[idx] for f in self.__dataclass_fields__})


@dataclass(frozen=True)
class Ranked:
    """One ranked location: its index in the table, score, weighted parts and reason."""

    rank: int
    index: int
    score: float
    parts: dict
    dominant: str
    reason: str


def normalise_weights(weights: dict | None) -> np.ndarray:
    """Weights (3,) summing to 1 in CATEGORIES order from a {category: weight} mapping.

    Category names may use '_' or '-'; missing ones weigh 0. None gives DEFAULT_WEIGHTS.

    Raises
    ------
    ValueError
        Unknown category, a weight that is negative or not finite, or all weights zero.
    """
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    out = np.zeros(len(CATEGORIES))
    for key, val in w.items():
        name = str(key).strip().lower().replace("_", "-")
        if name not in CATEGORIES:
            raise ValueError(f"unknown weight '{key}' (known: {', '.join(CATEGORIES)})")
        val = float(val)
        if not np.isfinite(val) or val < 0:
            raise ValueError(f"weight {name}={val:g} must be a finite number >= 0")
        out[CATEGORIES.index(name)] = val
    if out.sum() <= 0:
        raise ValueError("weights are all zero: give at least one positive weight "
                         f"({', '.join(CATEGORIES)})")
    return out / out.sum()


def countervalue(population, scale: str = DEFAULT_SCALE) -> np.ndarray:
    """Countervalue score in [0, 1] from population (N,), relative to its maximum.

    ``linear``: P / P_max. ``log``: log10(P / P0) / log10(P_max / P0), clipped to [0, 1].
    """
    p = np.asarray(population, float)
    pmax = p.max(initial=0.0)
    if pmax <= 0:
        return np.zeros_like(p)
    if scale == "linear":
        return p / pmax
    if scale == "log":
        if pmax <= P0_LOG:
            return (p > 0).astype(float)
        s = np.log10(np.maximum(p, P0_LOG) / P0_LOG) / np.log10(pmax / P0_LOG)
        return np.clip(s, 0.0, 1.0)
    raise ValueError(f"unknown countervalue scale '{scale}' (known: {', '.join(SCALES)})")


def category_scores(locs: Locations, scale: str = DEFAULT_SCALE) -> np.ndarray:
    """Unweighted scores (N, 3) in CATEGORIES order."""
    return np.stack([countervalue(locs.population, scale), np.asarray(locs.second_strike, float),
                     np.asarray(locs.infrastructure, float)], axis=-1)


def scores(locs: Locations, weights: dict | None = None, scale: str = DEFAULT_SCALE) -> tuple[np.ndarray, np.ndarray]:
    """Total score (N,) and its weighted parts (N, 3) for every location."""
    parts = category_scores(locs, scale) * normalise_weights(weights)
    return parts.sum(axis=-1), parts


def order(total, population, ids) -> np.ndarray:
    """Indices by descending score; ties by descending population, then id (deterministic)."""
    return np.lexsort((np.asarray(ids, str), -np.asarray(population, float), -np.asarray(total, float)))


def rank(locs: Locations, weights: dict | None = None, top: int | None = None,
         scale: str = DEFAULT_SCALE) -> list[Ranked]:
    """The ``top`` highest-scoring locations (all when None), best first, each with its reason."""
    w = normalise_weights(weights)
    unweighted = category_scores(locs, scale)
    parts = unweighted * w
    total = parts.sum(axis=-1)
    idx = order(total, locs.population, locs.id)[: None if top is None else max(int(top), 0)]
    return [_ranked(r + 1, int(i), locs, w, unweighted[i], parts[i]) for r, i in enumerate(idx)]


def _ranked(r: int, i: int, locs: Locations, w, unweighted, parts) -> Ranked:
    k = int(np.argmax(parts))
    named = {c: float(p) for c, p in zip(CATEGORIES, parts)}
    return Ranked(r, i, float(parts.sum()), named, CATEGORIES[k], reason(r, i, locs, w, unweighted, parts))


def _what(c: str, i: int, locs: Locations) -> str:
    if c == "countervalue":
        return f"{_people(locs.population[i])} people"
    return str((locs.second_strike_roles if c == "second-strike" else locs.infrastructure_roles)[i]) or c


def _people(p: float) -> str:
    return f"{p / 1e6:.2f} M" if p >= 1e6 else f"{p / 1e3:.0f} k"


def reason(r: int, i: int, locs: Locations, w, unweighted, parts) -> str:
    """One line: the rank, what the place is, and each non-zero term, the dominant first.

    e.g. "rank 3: New York City, NY - 8.80 M people: countervalue 0.40 x 1.00 = 0.400
    (100 % of 0.400)".
    """
    total = float(np.sum(parts))
    head = f"rank {r}: {locs.name[i]}"
    if total <= 0:
        return f"{head} - no value under these weights (score 0)"
    terms = []
    for k in np.argsort(-np.asarray(parts), kind="stable"):
        if parts[k] <= 0:
            continue
        c = CATEGORIES[k]
        terms.append(f"{_what(c, i, locs)}: {c} {w[k]:.2f} x {unweighted[k]:.2f} = {parts[k]:.3f}"
                     f" ({100 * parts[k] / total:.0f} % of {total:.3f})")
    return f"{head} - " + "; ".join(terms)
