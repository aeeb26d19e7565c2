"""Lifecycle cost of a satellite constellation (space-based interceptors), constant dollars.

Notes
-----
Wright learning curve: the k-th unit built costs T1 * k^b, b = log2(learning_rate), so each
doubling of cumulative quantity multiplies unit cost by the learning rate (NASA Cost
Estimating Handbook v4.0, 2015, appendix on learning curves; T. P. Wright, J. Aeronaut. Sci.
3, 122 (1936)). The whole constellation is bought and launched in year 0 and replaced,
all at once, every ``life_years`` (``ceil(years / life_years)`` buys); launch cost is
mass times price per kg; operations cost the same every year. Everything is in constant
dollars of ``base_year`` (no inflation, no discounting), as CBO reports its estimates.
Sources: src/goldendome/catalog/references_sbi.yaml (cbo2025-letter, cbo2026-nmd,
nasa-ceh2015).
"""

from __future__ import annotations

import math

import numpy as np


def _check(count, unit_cost_usd, mass_kg, life_years, launch_usd_per_kg, ops_usd_per_year, years, learning_rate):
    if count < 0 or unit_cost_usd < 0 or mass_kg < 0 or launch_usd_per_kg < 0 or ops_usd_per_year < 0:
        raise ValueError("count, unit cost, mass, launch price and operations cost must be >= 0")
    if not life_years > 0:
        raise ValueError(f"life_years must be > 0, got {life_years}")
    if not (years >= 1 and int(years) == years):
        raise ValueError(f"years must be a whole number >= 1, got {years}")
    if not 0 < learning_rate <= 1:
        raise ValueError(f"learning_rate must be in (0, 1], got {learning_rate}")


def wright_units_cost(first_unit_usd: float, start: int, n: int, learning_rate: float) -> float:
    """Cost of units start+1 .. start+n on a Wright curve with first-unit cost T1, USD."""
    if n <= 0:
        return 0.0
    k = np.arange(start + 1, start + n + 1, dtype=float)
    return float(first_unit_usd * np.sum(k ** math.log2(learning_rate)))


def lifecycle_cost(count: int, unit_cost_usd: float, mass_kg: float, life_years: float,
                   launch_usd_per_kg: float, ops_usd_per_year: float = 0.0, years: int = 20,
                   learning_rate: float = 0.85, base_year: int = 2025) -> dict:
    """Lifecycle cost of keeping ``count`` satellites on orbit for ``years`` years.

    Parameters
    ----------
    count : int
        Satellites in the constellation.
    unit_cost_usd : float
        First-unit (T1) production cost, base-year USD (with learning_rate = 1: the
        average unit cost).
    mass_kg : float
        Launch mass per satellite, kg.
    life_years : float
        Service life, years; the constellation is replaced every life_years.
    launch_usd_per_kg : float
        Launch price, base-year USD per kg to the operating orbit.
    ops_usd_per_year : float
        Operations and support, base-year USD per year.
    years : int
        Horizon, years (20 as in CBO's estimates).
    learning_rate : float
        Wright learning rate in (0, 1]; 1 means no learning.
    base_year : int
        Year of the constant dollars.

    Returns
    -------
    dict
        total_usd, by_year_usd (list, length years), units_bought, buys, buy_years,
        procurement_usd, launch_usd, ops_usd, average_unit_cost_usd, launch_mass_kg,
        base_year, years.
    """
    _check(count, unit_cost_usd, mass_kg, life_years, launch_usd_per_kg, ops_usd_per_year, years, learning_rate)
    count, years = int(count), int(years)
    buys = math.ceil(years / life_years)
    buy_years = [int(math.floor(j * life_years + 1e-9)) for j in range(buys)]
    by_year = np.full(years, float(ops_usd_per_year))
    procurement = launch = 0.0
    for j, y in enumerate(buy_years):
        p = wright_units_cost(unit_cost_usd, j * count, count, learning_rate)
        lc = count * mass_kg * launch_usd_per_kg
        by_year[y] += p + lc
        procurement, launch = procurement + p, launch + lc
    units = count * buys
    return dict(total_usd=float(by_year.sum()), by_year_usd=by_year.tolist(), units_bought=units, buys=buys,
                buy_years=[base_year + y for y in buy_years], procurement_usd=procurement, launch_usd=launch,
                ops_usd=float(ops_usd_per_year) * years, average_unit_cost_usd=procurement / units if units else 0.0,
                launch_mass_kg=float(units * mass_kg), base_year=int(base_year), years=years)
