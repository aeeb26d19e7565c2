"""`goldendome sbi cost`: the architecture cost model of one SBI layer, checked by hand, against
CBO's 2026 estimate, and against `goldendome cost` for the same constellation."""

import math

import pytest

from goldendome.app import cost as app_cost
from goldendome.app.space import sbi_cost
from goldendome.errors import InputError
from goldendome.scenario import presets

AT_ONCE = dict(production_per_year=1e9, first_fy=2026, rdte_usd=0.0)  # bought whole in FY2026


def test_no_learning_hand_total():
    r = sbi_cost(100, 10e6, 1000.0, 5, 2000.0, ops_usd_per_year=1e8, learning_rate=1.0, **AT_ONCE)
    # 4 buys of 100 units at $10M (FY2026, 31, 36, 41), 4 x 100 t at $2,000/kg, 20 years of $100M
    assert r["units_bought"] == 400 and r["average_unit_cost_usd"] == pytest.approx(10e6)
    assert r["total_usd"] == pytest.approx(400 * 10e6 + 400 * 1000 * 2000 + 20 * 1e8)
    assert r["by_year_usd"][0] == pytest.approx(100 * 10e6 + 100e3 * 2000 + 1e8)
    assert r["by_year_usd"][1] == pytest.approx(1e8)
    assert [fy for fy, n in r["replaced_by_fy"].items() if n] == [2031, 2036, 2041]


def test_the_unit_cost_is_an_average_and_the_first_unit_cost_is_derived():
    # the average over exactly the units bought is the price paid per unit, whatever the curve
    r = sbi_cost(100, 10e6, 1500.0, 5, 0.0, ops_usd_per_year=0.0, learning_rate=0.8, average_over=400, **AT_ONCE)
    assert r["average_unit_cost_usd"] == pytest.approx(10e6, rel=1e-12)
    b = math.log2(0.8)
    t1 = 10e6 * 400 / sum(k ** b for k in range(1, 401))
    assert r["first_unit_usd"] == pytest.approx(t1, rel=1e-12) and r["first_unit_usd"] > 2.5 * 10e6
    # averaged over a bigger buy (the catalog's 31,200), a smaller constellation pays more per SBI
    big = sbi_cost(100, 10e6, 1500.0, 5, 0.0, ops_usd_per_year=0.0, learning_rate=0.8, **AT_ONCE)
    assert big["average_unit_cost_usd"] > 2 * 10e6


def test_cbo_2026_space_layer_reproduced():
    # CBO (May 2026, 2026 $): 7,800 SBIs at $22M average, 1.5 t, $500/kg, 5-year life, $1B/yr: ~$743B in 20 years
    r = sbi_cost(7800, 22e6, 1500.0, 5, 500.0, ops_usd_per_year=1e9, production_per_year=1e9, first_fy=2026)
    assert r["units_bought"] == 31200 and r["average_unit_cost_usd"] == pytest.approx(22e6, rel=1e-12)
    assert r["total_usd"] == pytest.approx(743e9, rel=0.02)
    assert r["total_usd"] == pytest.approx(31200 * (22e6 + 1500 * 500) + 20e9 + 5.6e9, rel=1e-12)


def test_sbi_cost_and_cost_agree_for_the_medium_constellation():
    arch = presets.architecture("medium")
    spec = next(e for e in arch.effectors if e["kind"] == "sbi")
    whole = app_cost.cost(arch)
    layer = [e for e in whole["elements"] if e["kind"] == "sbi"]
    assert len(layer) == 1
    alone = sbi_cost(spec["count"])
    assert alone["total_usd"] == pytest.approx(layer[0]["total_usd"], rel=1e-12)
    assert alone["first_unit_usd"] == pytest.approx(layer[0]["first_unit_usd"], rel=1e-12)
    assert alone["total_usd"] == pytest.approx(whole["cost_by_layer_usd"]["boost"], rel=1e-12)


@pytest.mark.parametrize("kw", [dict(count=-1), dict(life_years=0), dict(learning_rate=0.0),
                                dict(learning_rate=1.2), dict(mass_kg=-5.0), dict(average_over=0)])
def test_bad_input_is_one_input_error(kw):
    args = dict(count=10)
    args.update(kw)
    with pytest.raises(InputError) as exc:
        sbi_cost(**args)
    assert "\n" not in str(exc.value)
