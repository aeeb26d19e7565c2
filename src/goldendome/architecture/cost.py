"""Lifecycle cost of an architecture by fiscal year: elements x years x cost categories.

An architecture is priced as a list of :class:`Element` (a battery's launchers, its rounds, its
radar; a constellation's satellites; ...), each with :class:`CostParams`, on a delivery schedule
(new units fielded per fiscal year, :mod:`.roadmap`). :func:`cost_array` returns constant-dollar
cost of shape ``(years, elements, categories)``; :func:`then_year_factors` converts to then-year.

Notes
-----
Rules (each hand-checkable):

- Procurement: Wright cumulative-unit learning curve, unit k costs ``T1 * k**log2(b)`` (T. P.
  Wright 1936; NASA Cost Estimating Handbook v4.0, 2015), the same formula as
  :func:`goldendome.space.cost.wright_units_cost`, which this module calls. Units of one
  production line (same ``Element.line_id``) share one curve; within a fiscal year the line's
  replacement units are built first, then new units in element order. The curve starts after
  ``prior_units`` units built before the horizon.
- Units are paid for in the fiscal year they are delivered (no procurement lead time).
- Replacement: a unit fielded in year ``d`` is bought again in ``d + floor(j * life_years)``,
  j = 1, 2, ... (a constellation bought at once is replaced whole every life);
  existing units fielded in ``existing_fielded_fy`` follow the same rule.
- Launch: ``mass_kg * launch_usd_per_kg`` for every unit bought (new and replacement).
- Construction (MILCON): once per element, in the fiscal year of its first delivery.
- Operations and support: ``os_usd_per_unit_year`` per unit in service (delivered up to and
  including the year, plus existing units) and ``os_usd_per_year`` per element while any is.
- RDT&E: once per production line (on its first element), spread evenly over ``rdte_years``
  from the first fiscal year of the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..space.cost import wright_units_cost

CATEGORIES = ("rdte", "procurement", "replacement", "launch", "construction", "operations")
RDTE, PROC, REPL, LAUNCH, CONS, OPS = range(len(CATEGORIES))


@dataclass(frozen=True)
class CostParams:
    """Cost and production parameters of one element, constant base-year USD.

    Attributes
    ----------
    first_unit_usd : float
        T1, cost of the first unit on the learning curve (the average unit cost when
        ``learning_rate`` is 1).
    learning_rate : float
        Wright learning rate in (0, 1]; 0.9 means each doubling of quantity costs 90 %.
    prior_units : int
        Units of this production line built before the horizon (where the curve starts).
    rdte_usd : float
        Remaining research, development, test and evaluation of the programme, USD.
    rdte_years : int
        Years over which RDT&E is spent, from the first fiscal year (0: all in the first).
    mass_kg, launch_usd_per_kg : float
        Launch mass per unit and launch price (space items), kg and USD/kg.
    construction_usd : float
        Military construction for the element (site), USD, in its first delivery year.
    os_usd_per_unit_year, os_usd_per_year : float
        Operations and support per unit in service per year, and per element per year.
    life_years : float
        Service life, years (``inf``: not replaced within the horizon).
    production_per_year : float
        Deliveries per year of the production line (``inf``: unlimited).
    first_fy : int
        Earliest fiscal year of a delivery.
    existing_fielded_fy : int or None
        Fiscal year the element's existing units were fielded (their replacement clock);
        None: existing units are not replaced within the horizon.
    """

    first_unit_usd: float = 0.0
    learning_rate: float = 1.0
    prior_units: int = 0
    rdte_usd: float = 0.0
    rdte_years: int = 0
    mass_kg: float = 0.0
    launch_usd_per_kg: float = 0.0
    construction_usd: float = 0.0
    os_usd_per_unit_year: float = 0.0
    os_usd_per_year: float = 0.0
    life_years: float = math.inf
    production_per_year: float = math.inf
    first_fy: int = 0
    existing_fielded_fy: int | None = None

    def __post_init__(self):
        money = (self.first_unit_usd, self.rdte_usd, self.mass_kg, self.launch_usd_per_kg, self.construction_usd,
                 self.os_usd_per_unit_year, self.os_usd_per_year, self.prior_units, self.rdte_years)
        if min(money) < 0:
            raise ValueError("costs, masses, prior_units and rdte_years must be >= 0")
        if not 0.0 < self.learning_rate <= 1.0:
            raise ValueError(f"learning_rate must be in (0, 1], got {self.learning_rate}")
        if not self.life_years > 0 or not self.production_per_year > 0:
            raise ValueError("life_years and production_per_year must be > 0")


@dataclass(frozen=True)
class Element:
    """One costed item of an architecture.

    Attributes
    ----------
    id : str
        Unique name, e.g. ``'thaad@seattle/rounds'``.
    layer : str
        Layer it is reported under (boost, midcourse, underlayer, terminal, directed-energy,
        space-sensors, ground-sensors).
    kind, type : str
        Architecture kind (battery, ship, site, laser, sbi, radar, space-ir) and catalog id.
    quantity : int
        Units in the finished architecture (existing ones included).
    units : str
        What one unit is (round, battery, radar, satellite, laser, site).
    params : CostParams
    group : str
        The architecture entry it belongs to (``'effectors[0]'``, ``'sensors[2]'``).
    existing : int
        Units already fielded at the start of the horizon (sunk: operations only).
    line : str
        Production line shared for learning and rate (default ``'<type>:<units>'``).
    """

    id: str
    layer: str
    kind: str
    type: str
    quantity: int
    units: str
    params: CostParams
    group: str = ""
    existing: int = 0
    line: str = ""

    def __post_init__(self):
        if self.quantity < 0 or not 0 <= self.existing <= self.quantity:
            raise ValueError(f"{self.id}: need quantity >= 0 and 0 <= existing <= quantity")

    @property
    def line_id(self) -> str:
        return self.line or f"{self.type}:{self.units}"


def wright_unit_cost(first_unit_usd: float, k, learning_rate: float) -> np.ndarray:
    """Cost of the k-th unit, ``T1 * k**log2(learning_rate)``; k broadcasts (k >= 1), USD."""
    return first_unit_usd * np.asarray(k, dtype=float) ** math.log2(learning_rate)


def wright_average_cost(first_unit_usd: float, n: int, learning_rate: float) -> float:
    """Cumulative average unit cost of units 1..n, USD."""
    return wright_units_cost(first_unit_usd, 0, n, learning_rate) / n if n > 0 else 0.0


def first_unit_from_average(average_usd: float, n: int, learning_rate: float) -> float:
    """T1 whose cumulative average over units 1..n equals ``average_usd``."""
    return average_usd / wright_average_cost(1.0, n, learning_rate) if n > 0 else average_usd


def lot_cost(params: CostParams, start: int, n: int) -> float:
    """Procurement of units start+1..start+n of the line (start counts from after prior units)."""
    return wright_units_cost(params.first_unit_usd, params.prior_units + int(start), int(n), params.learning_rate)


def lines(elements: Sequence[Element]) -> dict[str, list[int]]:
    """Production line id -> element indexes, in element order."""
    out: dict[str, list[int]] = {}
    for i, e in enumerate(elements):
        out.setdefault(e.line_id, []).append(i)
    return out


def replacements(elements: Sequence[Element], deliveries: np.ndarray, start_fy: int) -> np.ndarray:
    """Replacement units bought per element and year, shape (E, Y), from deliveries (E, Y)."""
    d = np.asarray(deliveries, dtype=float)
    out = np.zeros_like(d)
    for i, e in enumerate(elements):
        life = e.params.life_years
        if not math.isfinite(life):
            continue
        buys = [(y, d[i, y]) for y in np.flatnonzero(d[i])]
        if e.existing and e.params.existing_fielded_fy is not None:
            buys.append((e.params.existing_fielded_fy - start_fy, float(e.existing)))
        for y0, n in buys:
            _add_chain(out[i], int(y0), life, n)
    return out


def _add_chain(row: np.ndarray, y0: int, life: float, n: float) -> None:
    j = 1
    while (y := y0 + int(math.floor(j * life + 1e-9))) < len(row):
        if y >= 0:
            row[y] += n
        j += 1


def in_service(elements: Sequence[Element], deliveries: np.ndarray) -> np.ndarray:
    """Units in service at the end of each year, shape (E, Y): existing + delivered so far."""
    existing = np.array([e.existing for e in elements], dtype=float)
    return existing[:, None] + np.cumsum(np.asarray(deliveries, dtype=float), axis=1)


def cost_array(elements: Sequence[Element], deliveries: np.ndarray, start_fy: int) -> np.ndarray:
    """Constant-dollar cost by year, element and category.

    Parameters
    ----------
    elements : sequence of Element, length E
    deliveries : array_like, shape (E, Y)
        New units fielded per element and fiscal year (``start_fy + y``), excluding replacements.
    start_fy : int
        Fiscal year of column 0.

    Returns
    -------
    numpy.ndarray, shape (Y, E, len(CATEGORIES))
        USD; categories in :data:`CATEGORIES` order.
    """
    d = np.asarray(deliveries, dtype=float).reshape(len(elements), -1)
    out = np.zeros((d.shape[1], len(elements), len(CATEGORIES)))
    if not elements:
        return out
    rep = replacements(elements, d, start_fy)
    out[:, :, PROC], out[:, :, REPL] = _procurement(elements, d, rep)
    per_unit_launch = np.array([e.params.mass_kg * e.params.launch_usd_per_kg for e in elements])
    out[:, :, LAUNCH] = ((d + rep) * per_unit_launch[:, None]).T
    out[:, :, OPS] = _operations(elements, in_service(elements, d)).T
    out[:, :, CONS] = _construction(elements, d).T
    out[:, :, RDTE] = _rdte(elements, d.shape[1]).T
    return out


def _procurement(elements, d, rep) -> tuple[np.ndarray, np.ndarray]:
    """(new, replacement) procurement, each (Y, E), walking each line's learning curve in time."""
    new, repl = np.zeros(d.shape[::-1]), np.zeros(d.shape[::-1])
    for idx in lines(elements).values():
        pos = 0
        for y in range(d.shape[1]):
            for target, counts in ((repl, rep), (new, d)):
                for i in idx:
                    n = int(round(counts[i, y]))
                    target[y, i] = lot_cost(elements[i].params, pos, n)
                    pos += n
    return new, repl


def _operations(elements, service) -> np.ndarray:
    unit = np.array([e.params.os_usd_per_unit_year for e in elements])
    fixed = np.array([e.params.os_usd_per_year for e in elements])
    return service * unit[:, None] + (service > 0) * fixed[:, None]


def _construction(elements, d) -> np.ndarray:
    out = np.zeros_like(d)
    for i, e in enumerate(elements):
        hit = np.flatnonzero(d[i] > 0)
        if e.params.construction_usd and hit.size and e.existing == 0:
            out[i, hit[0]] = e.params.construction_usd
    return out


def _rdte(elements, years: int) -> np.ndarray:
    out = np.zeros((len(elements), years))
    for idx in lines(elements).values():
        p = elements[idx[0]].params
        n = max(int(p.rdte_years), 1)
        out[idx[0], :min(n, years)] = p.rdte_usd / n
    return out


def then_year_factors(start_fy: int, years: int, rate_per_year: float, base_fy: int) -> np.ndarray:
    """Multipliers from constant ``base_fy`` dollars to then-year dollars, shape (years,).

    ``(1 + rate) ** (fy - base_fy)`` for fy = start_fy .. start_fy + years - 1: a constant
    escalation rate, the simplest form of the OSD/OMB out-year deflators (see costs.yaml).
    """
    fy = np.arange(start_fy, start_fy + years)
    return (1.0 + rate_per_year) ** (fy - base_fy)
