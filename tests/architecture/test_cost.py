"""Lifecycle cost against hand computations: learning curves, O&S, replacement, launch, then-year."""

import math

import numpy as np
import pytest

from goldendome.architecture import cost as c

# T1 = $10M on a 90 % curve: units 1, 2, 4, 8 cost 10, 9, 8.1, 7.29 $M exactly; units 3, 5, 6, 7
# cost 10 * k**log2(0.9) = 8.46206, 7.82987, 7.61585, 7.43948 $M. Sum of 8 = 65.7373 $M.
T1, LR = 10e6, 0.9
HAND_UNITS = [10.0, 9.0, 8.46206, 8.1, 7.82987, 7.61585, 7.43948, 7.29]
HAND_TOTAL_8 = 65.7373e6


def el(qty=8, existing=0, line="", **kw):
    return c.Element(f"e{qty}{line}", "terminal", "battery", "x", qty, "round", c.CostParams(**kw), existing=existing,
                     line=line)


def test_wright_unit_costs_by_hand():
    got = c.wright_unit_cost(T1, np.arange(1, 9), LR) / 1e6
    assert got == pytest.approx(HAND_UNITS, abs=1e-5)
    assert c.wright_unit_cost(T1, [2, 4, 8], LR) == pytest.approx([9e6, 8.1e6, 7.29e6], rel=1e-12)


def test_cumulative_total_and_average_by_hand():
    assert c.wright_average_cost(T1, 8, LR) * 8 == pytest.approx(HAND_TOTAL_8, rel=1e-5)
    assert c.wright_average_cost(T1, 8, LR) == pytest.approx(8.21716e6, rel=1e-5)
    assert c.first_unit_from_average(8.217157e6, 8, LR) == pytest.approx(T1, rel=1e-6)
    assert c.first_unit_from_average(5e6, 8, 1.0) == 5e6


def test_procurement_walks_the_curve_across_years():
    e = el(first_unit_usd=T1, learning_rate=LR)
    arr = c.cost_array([e], [[3, 5] + [0] * 3], 2026)
    assert arr.shape == (5, 1, len(c.CATEGORIES))
    assert arr[0, 0, c.PROC] == pytest.approx(10e6 + 9e6 + 8.46206e6, rel=1e-6)
    assert arr[:, 0, c.PROC].sum() == pytest.approx(HAND_TOTAL_8, rel=1e-5)
    assert arr[:, :, [c.REPL, c.LAUNCH, c.CONS, c.OPS, c.RDTE]].sum() == 0


def test_one_production_line_shares_the_curve_and_prior_units_shift_it():
    a, b = el(4, line="L", first_unit_usd=T1, learning_rate=LR), el(4, line="L", first_unit_usd=T1, learning_rate=LR)
    arr = c.cost_array([a, b], [[4], [4]], 2026)
    assert arr[0, 0, c.PROC] == pytest.approx(10e6 + 9e6 + 8.46206e6 + 8.1e6, rel=1e-6)
    assert arr[0, :, c.PROC].sum() == pytest.approx(HAND_TOTAL_8, rel=1e-5)
    late = el(1, first_unit_usd=T1, learning_rate=LR, prior_units=7)
    assert c.cost_array([late], [[1]], 2026)[0, 0, c.PROC] == pytest.approx(7.29e6, rel=1e-9)


def test_replacement_timing_and_operations_by_hand():
    # 2 units in year 0 and 1 in year 2, 5-year life, $1M each, $0.1M O&S per unit-year, $0.5M per element-year
    e = el(3, first_unit_usd=1e6, life_years=5, os_usd_per_unit_year=1e5, os_usd_per_year=5e5)
    d = np.zeros((1, 20))
    d[0, 0], d[0, 2] = 2, 1
    arr = c.cost_array([e], d, 2026)
    repl = arr[:, 0, c.REPL] / 1e6
    want = np.zeros(20)
    want[[5, 10, 15]] = 2
    want[[7, 12, 17]] = 1
    assert repl == pytest.approx(want)
    assert arr[:, 0, c.PROC].sum() == pytest.approx(3e6)
    ops = arr[:, 0, c.OPS]
    assert ops[0] == pytest.approx(2 * 1e5 + 5e5) and ops[1] == pytest.approx(2 * 1e5 + 5e5)
    assert ops[2:] == pytest.approx(np.full(18, 3 * 1e5 + 5e5))


def test_fractional_life_and_existing_units():
    # existing units fielded in FY2020 with 8-year life: replaced in FY2028 and FY2036
    e = el(4, existing=4, first_unit_usd=1e6, life_years=8, existing_fielded_fy=2020, os_usd_per_unit_year=1e6)
    arr = c.cost_array([e], np.zeros((1, 20)), 2026)
    assert np.flatnonzero(arr[:, 0, c.REPL]).tolist() == [2, 10, 18]
    assert arr[:, 0, c.REPL].sum() == pytest.approx(3 * 4e6)
    assert arr[:, 0, c.OPS] == pytest.approx(np.full(20, 4e6))
    assert c.replacements([el(1, life_years=7.5)], [[1] + [0] * 19], 2026)[0].nonzero()[0].tolist() == [7, 15]


def test_launch_construction_and_rdte():
    e = el(10, first_unit_usd=0.0, mass_kg=1000.0, launch_usd_per_kg=500.0, life_years=10, construction_usd=7e6,
           rdte_usd=9e6, rdte_years=3)
    d = np.zeros((1, 20))
    d[0, 2], d[0, 3] = 4, 6
    arr = c.cost_array([e], d, 2026)
    assert arr[:, 0, c.LAUNCH].sum() == pytest.approx(20 * 1000 * 500.0)  # 10 units + 10 replacements
    assert arr[12, 0, c.LAUNCH] == pytest.approx(4 * 5e5) and arr[13, 0, c.LAUNCH] == pytest.approx(6 * 5e5)
    assert arr[:, 0, c.CONS].tolist() == [0, 0, 7e6] + [0] * 17
    assert arr[:, 0, c.RDTE][:4] == pytest.approx([3e6, 3e6, 3e6, 0])


def test_rdte_counted_once_per_line():
    a = el(1, line="L", rdte_usd=6e6, rdte_years=2)
    b = el(1, line="L", rdte_usd=6e6, rdte_years=2)
    assert c.cost_array([a, b], np.zeros((2, 5)), 2026)[:, :, c.RDTE].sum() == pytest.approx(6e6)


@pytest.mark.parametrize("count, life, lr", [(1600, 5, 0.85), (7800, 5, 1.0), (500, 7.5, 0.9)],
                         ids=["aps-1600", "cbo-7800", "fractional-life"])
def test_sbi_layer_matches_space_cost(count, life, lr):
    """The SBI constellation bought at once and replaced every life: same numbers as space/cost.py."""
    p = c.CostParams(first_unit_usd=22e6, learning_rate=lr, mass_kg=1250.0, launch_usd_per_kg=500.0,
                     os_usd_per_year=1e9, life_years=life)
    e = c.Element("sbi", "boost", "sbi", "sbi", count, "satellite", p)
    d = np.zeros((1, 20))
    d[0, 0] = count
    arr = c.cost_array([e], d, 2026)
    ref = _bought_at_once(count, 22e6, 1250.0, life, 500.0, 1e9, 20, lr)
    assert arr.sum(axis=(1, 2)) == pytest.approx(ref["by_year_usd"], rel=1e-12)
    assert arr[:, :, [c.PROC, c.REPL]].sum() == pytest.approx(ref["procurement_usd"], rel=1e-12)
    assert arr[:, :, c.LAUNCH].sum() == pytest.approx(ref["launch_usd"], rel=1e-12)


def _bought_at_once(count, t1, mass_kg, life, usd_per_kg, ops_per_year, years, lr) -> dict:
    """Independent closed form: the whole constellation bought in year 0 and again every floor(j*life),
    buy j paying units j*count+1 .. (j+1)*count of one Wright curve (T1 k^log2(lr))."""
    by_year, proc, launch = [float(ops_per_year)] * years, 0.0, 0.0
    j = 0
    while (y := int(math.floor(j * life + 1e-9))) < years:
        p = sum(t1 * k ** math.log2(lr) for k in range(j * count + 1, (j + 1) * count + 1))
        by_year[y] += p + count * mass_kg * usd_per_kg
        proc, launch, j = proc + p, launch + count * mass_kg * usd_per_kg, j + 1
    return {"by_year_usd": by_year, "procurement_usd": proc, "launch_usd": launch}


def test_cbo_7800_sbi_acquisition_near_cbo_estimate():
    # CBO (2026 $): 7,800 SBIs, $22M average, 5-year life, $500/kg: ~$723B acquisition over 20 years
    p = c.CostParams(first_unit_usd=22e6, mass_kg=1250.0, launch_usd_per_kg=500.0, life_years=5)
    d = np.zeros((1, 20))
    d[0, 0] = 7800
    acq = c.cost_array([c.Element("sbi", "boost", "sbi", "sbi", 7800, "satellite", p)], d, 2026).sum()
    assert acq == pytest.approx(4 * 7800 * (22e6 + 1250 * 500.0))
    assert acq == pytest.approx(723e9, rel=0.05)


def test_then_year_factors():
    f = c.then_year_factors(2026, 20, 0.021, 2026)
    assert f[0] == 1.0 and f[1] == pytest.approx(1.021) and f[19] == pytest.approx(1.021**19)
    assert np.all(np.diff(f) > 0)
    assert c.then_year_factors(2030, 1, 0.021, 2026)[0] == pytest.approx(1.021**4)


def test_bad_parameters_raise():
    with pytest.raises(ValueError):
        c.CostParams(learning_rate=1.2)
    with pytest.raises(ValueError):
        c.CostParams(life_years=0)
    with pytest.raises(ValueError):
        el(3, existing=4)
    assert math.isinf(c.CostParams().life_years)
