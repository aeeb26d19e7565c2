"""Tests for goldendome.space.cost.lifecycle_cost."""

import math

import pytest

from goldendome.space.cost import lifecycle_cost


def test_no_learning_hand_total():
    r = lifecycle_cost(100, 10e6, 1000.0, 5, 2000.0, ops_usd_per_year=1e8, years=20, learning_rate=1.0)
    # 4 buys of 100 units at $10M, 4 x 100 t at $2,000/kg, 20 years of $100M
    assert r["units_bought"] == 400 and r["buys"] == 4
    assert r["total_usd"] == pytest.approx(400 * 10e6 + 400 * 1000 * 2000 + 20 * 1e8)
    assert r["by_year_usd"][0] == pytest.approx(100 * 10e6 + 100e3 * 2000 + 1e8)
    assert r["by_year_usd"][1] == pytest.approx(1e8)
    assert r["buy_years"] == [2025, 2030, 2035, 2040]
    assert len(r["by_year_usd"]) == 20


def test_learning_curve_hand_values():
    r = lifecycle_cost(2, 100.0, 0.0, 20, 0.0, years=20, learning_rate=0.8)
    assert r["procurement_usd"] == pytest.approx(100.0 + 80.0)  # unit 2 costs 80 % of unit 1
    r = lifecycle_cost(2, 100.0, 0.0, 10, 0.0, years=20, learning_rate=0.8)
    assert r["procurement_usd"] == pytest.approx(100.0 * sum(k ** math.log2(0.8) for k in range(1, 5)))
    assert r["by_year_usd"][10] == pytest.approx(100.0 * (3 ** math.log2(0.8) + 0.8**2))


def test_non_integer_life_rounds_buys_up():
    r = lifecycle_cost(10, 1.0, 0.0, 7, 0.0, years=20, learning_rate=1.0)
    assert r["buys"] == 3 and r["units_bought"] == 30 and r["buy_years"] == [2025, 2032, 2039]


def test_cbo_2026_space_layer_reproduced():
    # 7,800 SBIs, $22M each, 5-year life, $1B/yr operations (CBO 2026): CBO $723B + $20B
    r = lifecycle_cost(7800, 22e6, 0.0, 5, 500.0, ops_usd_per_year=1e9, learning_rate=1.0, base_year=2026)
    assert 0.9 * 743e9 < r["total_usd"] < 1.0 * 743e9


@pytest.mark.parametrize("kw", [dict(count=-1), dict(life_years=0), dict(learning_rate=0.0),
                                dict(learning_rate=1.2), dict(mass_kg=-5.0)])
def test_bad_input_raises(kw):
    args = dict(count=10, unit_cost_usd=1.0, mass_kg=1.0, life_years=5, launch_usd_per_kg=1.0)
    args.update(kw)
    with pytest.raises(ValueError):
        lifecycle_cost(**args)
