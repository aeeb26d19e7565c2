"""Fielding roadmap: when each element is fielded, limited by production rate and annual budget.

Without a budget, each production line delivers ``production_per_year`` units a year from its
``first_fy`` (cumulatively: after k years of production at most ``floor(k * rate)`` units),
shared among the line's elements in element order (the architecture's priority order).

With an annual budget, fiscal years are funded one at a time, greedily: first the costs already
committed (RDT&E, operations of what is fielded, replacements), then new units, element by
element in priority order, as many as the production rate and the money left allow. A new unit
costs its place on the learning curve plus launch and its first year of operations; the first
unit of an element also brings its construction and fixed operations. Later years' operations
and replacements of what a year buys are not looked ahead to; a year whose committed costs
alone exceed the budget funds nothing new and is reported in ``Schedule.over_budget_fy``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import cost as c


@dataclass(frozen=True)
class Schedule:
    """A fielding schedule.

    Attributes
    ----------
    start_fy : int
        Fiscal year of column 0.
    deliveries : numpy.ndarray, shape (E, Y)
        New units fielded per element and year (replacements excluded).
    fielded : numpy.ndarray, shape (E, Y)
        Units in service at the end of each year (existing included).
    quantity : numpy.ndarray, shape (E,)
        Units in the finished architecture.
    over_budget_fy : tuple of int
        Years whose committed costs alone exceed the annual budget.
    """

    start_fy: int
    deliveries: np.ndarray
    fielded: np.ndarray
    quantity: np.ndarray
    over_budget_fy: tuple = ()

    @property
    def years(self) -> int:
        return self.deliveries.shape[1]

    def full_fy(self) -> list[int | None]:
        """First fiscal year each element is fully fielded (None: not within the horizon)."""
        done = self.fielded >= self.quantity[:, None]
        return [int(self.start_fy + np.argmax(row)) if row.any() else None for row in done]


def _make(elements, d, start_fy, over=()) -> Schedule:
    q = np.array([e.quantity for e in elements], dtype=float)
    return Schedule(int(start_fy), d, c.in_service(elements, d), q, tuple(over))


def schedule(elements: Sequence[c.Element], start_fy: int = 2026, years: int = 20,
             annual_budget_usd: float | None = None) -> Schedule:
    """Fielding schedule of ``elements`` over ``years`` fiscal years from ``start_fy``.

    Parameters
    ----------
    elements : sequence of Element
        In priority order.
    start_fy, years : int
    annual_budget_usd : float or None
        Cap on each fiscal year's total constant-dollar cost; None: production rate only.

    Returns
    -------
    Schedule
    """
    if years < 1:
        raise ValueError(f"years must be >= 1, got {years}")
    if annual_budget_usd is None:
        return _make(elements, _rate_limited(elements, start_fy, years), start_fy)
    if not annual_budget_usd >= 0:
        raise ValueError(f"annual_budget_usd must be >= 0, got {annual_budget_usd}")
    return _budgeted(elements, start_fy, years, float(annual_budget_usd))


def _capacity(p: c.CostParams, start_fy: int, fy: int, made: float) -> float:
    """Units the line may still deliver in ``fy`` having made ``made`` since its start."""
    k = fy - max(p.first_fy, start_fy) + 1
    if k < 1:
        return 0.0
    if math.isinf(p.production_per_year):
        return math.inf
    return max(math.floor(k * p.production_per_year + 1e-9) - made, 0.0)


def _rate_limited(elements, start_fy, years) -> np.ndarray:
    d = np.zeros((len(elements), years))
    left = np.array([e.quantity - e.existing for e in elements], dtype=float)
    for idx in c.lines(elements).values():
        p, made = elements[idx[0]].params, 0.0
        for y in range(years):
            cap = _capacity(p, start_fy, start_fy + y, made)
            for i in idx:
                n = min(left[i], cap) if start_fy + y >= elements[i].params.first_fy else 0.0
                d[i, y], left[i], cap, made = n, left[i] - n, cap - n, made + n
    return d


def _budgeted(elements, start_fy, years, budget) -> Schedule:
    d = np.zeros((len(elements), years))
    left = np.array([e.quantity - e.existing for e in elements], dtype=float)
    by_line = c.lines(elements)
    made = {line: 0.0 for line in by_line}
    over = []
    for y in range(years):
        money = budget - c.cost_array(elements, d, start_fy)[y].sum()
        if money < 0:
            over.append(start_fy + y)
            continue
        pos = _line_positions(elements, d, start_fy, y)
        for i, e in enumerate(elements):
            line = e.line_id
            cap = _capacity(elements[by_line[line][0]].params, start_fy, start_fy + y, made[line])
            nmax = min(left[i], cap) if start_fy + y >= e.params.first_fy else 0.0
            n, spent = _affordable(e, d[i, :y].any() or e.existing > 0, pos[line], nmax, money)
            d[i, y], left[i], money = n, left[i] - n, money - spent
            pos[line] += n
            made[line] += n
    return _make(elements, d, start_fy, over)


def _line_positions(elements, d, start_fy, y) -> dict[str, int]:
    """Units of each line built before year y's new units: earlier years plus year y's replacements."""
    rep = c.replacements(elements, d, start_fy)
    return {line: int(round(d[idx, :y].sum() + rep[idx, :y + 1].sum())) for line, idx in c.lines(elements).items()}


def _affordable(e: c.Element, started: bool, pos: int, nmax: float, money: float) -> tuple[int, float]:
    """Largest n <= nmax new units of ``e`` whose first-year cost fits in ``money``, and that cost."""
    if nmax <= 0 or money <= 0:
        return 0, 0.0
    p = e.params
    fixed = 0.0 if started else p.construction_usd + p.os_usd_per_year
    per_unit = p.mass_kg * p.launch_usd_per_kg + p.os_usd_per_unit_year
    k = np.arange(1, int(nmax) + 1, dtype=float)
    total = fixed + np.cumsum(c.wright_unit_cost(p.first_unit_usd, p.prior_units + pos + k, p.learning_rate) + per_unit)
    n = int(np.searchsorted(total, money * (1 + 1e-12), side="right"))
    return n, float(total[n - 1]) if n else 0.0


def as_fielded(elements: Sequence[c.Element], sched: Schedule, fy: int) -> np.ndarray:
    """Fraction of each element fielded at the end of fiscal year ``fy``, shape (E,).

    Before the schedule starts only existing units count; after it ends, the last year holds.
    Elements of zero quantity count as fully fielded.
    """
    y = fy - sched.start_fy
    if y < 0:
        have = np.array([e.existing for e in elements], dtype=float)
    else:
        have = sched.fielded[:, min(y, sched.years - 1)]
    q = sched.quantity
    return np.where(q > 0, have / np.where(q > 0, q, 1.0), 1.0)
