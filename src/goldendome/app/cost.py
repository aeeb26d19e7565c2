"""Python API of architecture cost and fielding: lifecycle cost by fiscal year, roadmap, fielded state.

    >>> from goldendome.app import cost
    >>> from goldendome.scenario.schema import Architecture
    >>> arch = Architecture(effectors=[{"kind": "site", "type": "ngi", "site": "fort-greely", "inventory": 20}])
    >>> out = cost.cost(arch)
    >>> sorted(out["cost_by_layer_usd"])
    ['midcourse']

Constant dollars are those of costs.yaml ``inflation.base_fy`` (FY2026); ``dollars="then-year"``
escalates each year at ``inflation.out_year_rate``. Rules and assumptions:
:mod:`goldendome.architecture.cost`, :mod:`goldendome.architecture.roadmap`,
:mod:`goldendome.scenario.costing`.
"""

from __future__ import annotations

import math

import numpy as np

from ..architecture import cost as ac
from ..architecture import roadmap as rm
from ..errors import InputError
from ..scenario import costing, presets
from ..scenario.schema import Architecture

DOLLARS = ("constant", "then-year")


def architecture_of(arch) -> Architecture:
    """An Architecture from an Architecture, a mapping, or a preset name (scenario.presets)."""
    if isinstance(arch, Architecture):
        return arch
    if isinstance(arch, dict):
        try:
            return Architecture.model_validate(arch)
        except ValueError as exc:
            raise InputError(f"architecture: {' '.join(str(exc).split())}") from None
    if isinstance(arch, str):
        return presets.architecture(arch)
    raise InputError(f"architecture must be a preset name or an Architecture, got {type(arch).__name__}")


MAX_YEARS = 100  # fiscal years in one horizon


def _check(start_fy, years, annual_budget_usd) -> None:
    if not (isinstance(years, (int, np.integer)) and 1 <= years <= MAX_YEARS):
        raise InputError(f"years must be a whole number from 1 to {MAX_YEARS}, got {years}")
    if not (isinstance(start_fy, (int, np.integer)) and 1990 <= start_fy <= 2100):
        raise InputError(f"start_fy must be a fiscal year (1990-2100), got {start_fy}")
    if annual_budget_usd is not None and not (annual_budget_usd > 0 and math.isfinite(annual_budget_usd)):
        raise InputError(f"annual_budget_usd must be a finite number > 0, got {annual_budget_usd}")


def _plan(arch, start_fy, years, annual_budget_usd):
    _check(start_fy, years, annual_budget_usd)
    els = costing.elements(architecture_of(arch))
    try:
        return els, rm.schedule(els, int(start_fy), int(years), annual_budget_usd)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def cost(arch, start_fy: int = 2026, years: int = 20, dollars: str = "constant",
         annual_budget_usd: float | None = None) -> dict:
    """Lifecycle cost of an architecture by fiscal year, layer and category.

    Parameters
    ----------
    arch : Architecture, mapping or str
        The architecture, or a preset name.
    start_fy, years : int
        First fiscal year and horizon (20 years as CBO's estimates).
    dollars : {'constant', 'then-year'}
        Constant base-year (FY2026) dollars, or then-year dollars.
    annual_budget_usd : float or None
        Cap on each fiscal year's constant-dollar spending (fielding slows to fit); None: none.

    Returns
    -------
    dict
        total_cost_usd; cost_by_fy_usd {fy: usd}; cost_by_layer_usd; cost_by_category_usd;
        by_fy_by_layer {layer: [usd per fiscal year]} with fiscal_years (a stacked chart);
        elements (rows: id, group, layer, kind, type, units, quantity, existing, first_unit_usd,
        learning_rate, full_fy, total_usd and one key per category); over_budget_fy; base_fy,
        inflation_rate, dollars, start_fy, years, annual_budget_usd.
    """
    if dollars not in DOLLARS:
        raise InputError(f"dollars must be one of {', '.join(DOLLARS)}, got {dollars!r}")
    els, sched = _plan(arch, start_fy, years, annual_budget_usd)
    infl = costing.inflation()
    arr = ac.cost_array(els, sched.deliveries, int(start_fy))
    if dollars == "then-year":
        arr = arr * ac.then_year_factors(int(start_fy), int(years), infl.rate, infl.base_fy)[:, None, None]
    return _summary(els, sched, arr) | dict(
        dollars=dollars, base_fy=infl.base_fy, inflation_rate=infl.rate, start_fy=int(start_fy), years=int(years),
        annual_budget_usd=annual_budget_usd, over_budget_fy=list(sched.over_budget_fy))


def _summary(els, sched, arr) -> dict:
    fys = [sched.start_fy + y for y in range(sched.years)]
    layers = list(dict.fromkeys(e.layer for e in els))
    by_layer = {la: arr[:, [i for i, e in enumerate(els) if e.layer == la]].sum(axis=(1, 2)) for la in layers}
    return dict(
        total_cost_usd=float(arr.sum()), fiscal_years=fys,
        cost_by_fy_usd={fy: float(v) for fy, v in zip(fys, arr.sum(axis=(1, 2)))},
        cost_by_layer_usd={la: float(v.sum()) for la, v in by_layer.items()},
        cost_by_category_usd={c: float(arr[:, :, k].sum()) for k, c in enumerate(ac.CATEGORIES)},
        by_fy_by_layer={la: [float(x) for x in v] for la, v in by_layer.items()},
        elements=[_element_row(e, arr[:, i], full) for i, (e, full) in enumerate(zip(els, sched.full_fy()))])


def _element_row(e: ac.Element, arr_e: np.ndarray, full_fy) -> dict:
    row = dict(id=e.id, group=e.group, layer=e.layer, kind=e.kind, type=e.type, units=e.units, quantity=e.quantity,
               existing=e.existing, first_unit_usd=e.params.first_unit_usd, learning_rate=e.params.learning_rate,
               mass_kg=e.params.mass_kg, full_fy=full_fy, total_usd=float(arr_e.sum()))
    row.update({c: float(arr_e[:, k].sum()) for k, c in enumerate(ac.CATEGORIES)})
    return row


def roadmap(arch, start_fy: int = 2026, years: int = 20, annual_budget_usd: float | None = None) -> dict:
    """When each element is fielded: units in service per fiscal year and the year it is complete.

    Returns
    -------
    dict
        fiscal_years; elements (rows: id, group, layer, kind, type, units, quantity, existing,
        fielded_by_fy {fy: units}, delivered_by_fy {fy: units}, replaced_by_fy {fy: units bought
        again at the end of their service life}, first_delivery_fy, full_fy);
        fully_fielded_fy (the whole architecture; None if not within the horizon);
        over_budget_fy; start_fy, years, annual_budget_usd.
    """
    els, sched = _plan(arch, start_fy, years, annual_budget_usd)
    fys = [sched.start_fy + y for y in range(sched.years)]
    full = sched.full_fy()
    again = ac.replacements(els, sched.deliveries, int(start_fy))
    rows = [dict(id=e.id, group=e.group, layer=e.layer, kind=e.kind, type=e.type, units=e.units, quantity=e.quantity,
                 existing=e.existing, fielded_by_fy={fy: int(n) for fy, n in zip(fys, sched.fielded[i])},
                 delivered_by_fy={fy: int(n) for fy, n in zip(fys, sched.deliveries[i])},
                 replaced_by_fy={fy: int(n) for fy, n in zip(fys, again[i])},
                 first_delivery_fy=_first(fys, sched.deliveries[i]), full_fy=full[i])
            for i, e in enumerate(els)]
    done = None if any(f is None for f in full) else max(full, default=sched.start_fy)
    return dict(fiscal_years=fys, elements=rows, fully_fielded_fy=done, over_budget_fy=list(sched.over_budget_fy),
                start_fy=int(start_fy), years=int(years), annual_budget_usd=annual_budget_usd)


def _first(fys, row):
    hit = np.flatnonzero(row > 0)
    return int(fys[hit[0]]) if hit.size else None


def fielded_architecture(arch, fy: int, start_fy: int = 2026, years: int = 20,
                         annual_budget_usd: float | None = None) -> Architecture:
    """The architecture as it stands at the end of fiscal year ``fy`` on its roadmap.

    Effectors keep what is fielded: a battery needs its launchers and radar in service and
    carries the rounds delivered so far; ships and silo sites carry their delivered rounds; an
    SBI layer has its delivered count; a laser appears once built. A radar appears once built;
    a space-ir constellation once complete (the engine models whole catalog constellations).
    Elements with nothing fielded are dropped. C2 is kept as is.
    """
    a = architecture_of(arch)
    els, sched = _plan(a, start_fy, max(int(years), int(fy) - int(start_fy) + 1), annual_budget_usd)
    frac = rm.as_fielded(els, sched, int(fy))
    have = {e.id: (e, f) for e, f in zip(els, frac)}
    groups: dict[str, list] = {}
    for e, f in have.values():
        groups.setdefault(e.group, []).append((e, f))
    sensors = [s for i, s in enumerate(a.sensors) if all(f >= 1.0 - 1e-9 for _, f in groups.get(f"sensors[{i}]", []))]
    effectors = [x for j, spec in enumerate(a.effectors)
                 if (x := _fielded_effector(dict(spec), groups.get(f"effectors[{j}]", []))) is not None]
    return Architecture(sensors=sensors, effectors=effectors, c2=a.c2)


def _fielded_effector(spec: dict, parts: list) -> dict | None:
    """The effector spec scaled to what is fielded, or None when it is not usable yet."""
    counts = {e.units: int(round(f * e.quantity)) for e, f in parts}
    if any(counts.get(u, 1) < 1 for u in ("battery", "radar", "laser")):
        return None
    if spec.get("kind") == "sbi":
        return {**spec, "count": counts["satellite"]} if counts.get("satellite", 0) >= 1 else None
    if "round" in counts:
        if counts["round"] < 1:
            return None
        return {**spec, "inventory": counts["round"]}
    return spec
