"""Fielding roadmap: production rate, first fielding year, shared lines, annual budget cap."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldendome.architecture import cost as c
from goldendome.architecture import roadmap as rm


def el(name, qty, line="", existing=0, **kw):
    return c.Element(name, "terminal", "battery", name, qty, "round", c.CostParams(**kw), existing=existing, line=line)


def test_production_rate_and_first_year():
    e = el("a", 10, production_per_year=3, first_fy=2027)
    s = rm.schedule([e], 2026, 6)
    assert s.deliveries[0].tolist() == [0, 3, 3, 3, 1, 0]
    assert s.fielded[0].tolist() == [0, 3, 6, 9, 10, 10]
    assert s.full_fy() == [2030]


def test_fractional_rate_and_existing_units():
    e = el("radar", 3, existing=1, production_per_year=0.5, first_fy=2026)
    s = rm.schedule([e], 2026, 6)
    assert s.deliveries[0].tolist() == [0, 1, 0, 1, 0, 0]
    assert s.full_fy() == [2029]
    assert rm.as_fielded([e], s, 2020)[0] == pytest.approx(1 / 3)
    assert rm.as_fielded([e], s, 2027)[0] == pytest.approx(2 / 3)
    assert rm.as_fielded([e], s, 2099)[0] == 1.0


def test_line_rate_is_shared_in_priority_order():
    a, b = el("a", 5, line="L", production_per_year=4), el("b", 5, line="L", production_per_year=4)
    s = rm.schedule([a, b], 2026, 4)
    assert s.deliveries.tolist() == [[4, 1, 0, 0], [0, 3, 2, 0]]


def test_unlimited_rate_fields_everything_at_once():
    s = rm.schedule([el("a", 1600)], 2026, 3)
    assert s.deliveries[0].tolist() == [1600, 0, 0] and s.full_fy() == [2026]


def test_not_fielded_within_horizon():
    s = rm.schedule([el("a", 10, production_per_year=1)], 2026, 5)
    assert s.full_fy() == [None] and s.fielded[0, -1] == 5


def test_budget_cap_by_hand():
    # $10M units, no learning, $25M a year: two a year; the second element waits for the first
    a = el("a", 5, first_unit_usd=10e6)
    b = el("b", 2, first_unit_usd=10e6)
    s = rm.schedule([a, b], 2026, 5, annual_budget_usd=25e6)
    assert s.deliveries.tolist() == [[2, 2, 1, 0, 0], [0, 0, 1, 1, 0]]
    arr = c.cost_array([a, b], s.deliveries, 2026)
    assert np.all(arr.sum(axis=(1, 2)) <= 25e6 + 1e-6)


def test_budget_leftover_goes_to_lower_priority():
    a = el("a", 5, first_unit_usd=20e6)
    b = el("b", 10, first_unit_usd=2e6)
    s = rm.schedule([a, b], 2026, 2, annual_budget_usd=25e6)
    assert s.deliveries[:, 0].tolist() == [1, 2]


def test_budget_pays_committed_costs_first():
    # $6M/yr O&S of 2 existing units and $12M RDT&E in year 0 leave $2M, then $14M for $5M units
    a = el("a", 6, existing=2, first_unit_usd=5e6, os_usd_per_unit_year=3e6, rdte_usd=12e6)
    s = rm.schedule([a], 2026, 3, annual_budget_usd=20e6)
    # year 0: 20 - 6 - 12 = 2 -> none; year 1: 20 - 6 = 14 -> 1 unit costs 5 + 3 = 8, 2 cost 16 -> 1
    assert s.deliveries[0].tolist() == [0, 1, 1]
    assert s.over_budget_fy == ()
    over = rm.schedule([a], 2026, 2, annual_budget_usd=10e6)
    assert over.over_budget_fy == (2026,) and over.deliveries[0, 0] == 0


def test_budget_respects_production_rate_and_construction():
    a = el("a", 10, first_unit_usd=1e6, production_per_year=3, construction_usd=50e6)
    s = rm.schedule([a], 2026, 4, annual_budget_usd=100e6)
    assert s.deliveries[0].tolist() == [3, 3, 3, 1]
    tight = rm.schedule([a], 2026, 2, annual_budget_usd=40e6)  # construction never affordable
    assert tight.deliveries.sum() == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.floats(1e6, 5e7), st.floats(0.8, 1.0), st.floats(0, 2e6),
                          st.sampled_from([1.0, 2.0, 5.0, float("inf")]), st.sampled_from(["L1", "L2", ""])),
                min_size=1, max_size=4),
       st.floats(1e7, 2e8))
def test_funded_years_never_exceed_the_budget(specs, budget):
    els = [el(f"e{i}", q, line=line, first_unit_usd=t1, learning_rate=lr, os_usd_per_unit_year=os_, life_years=life)
           for i, (q, t1, lr, os_, life, line) in enumerate(specs)]
    s = rm.schedule(els, 2026, 12, annual_budget_usd=budget)
    per_year = c.cost_array(els, s.deliveries, 2026).sum(axis=(1, 2))
    for y, v in enumerate(per_year):
        if 2026 + y not in s.over_budget_fy:
            assert v <= budget * (1 + 1e-9)
    free = rm.schedule(els, 2026, 12)
    assert np.all(s.fielded <= free.fielded + 1e-9)
