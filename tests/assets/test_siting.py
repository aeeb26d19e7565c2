"""Battery siting: the MILP equals brute force on small cases, respects the budget and the
per-site cap, and the footprint radius and coverage follow their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest

from goldendome.app import assets as app_assets
from goldendome.assets import siting as st
from goldendome.errors import InputError


def _case(seed: int, n_loc: int = 25, n_site: int = 6):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(30, 45, n_loc), rng.uniform(-110, -80, n_loc)
    slat, slon = rng.uniform(30, 45, n_site), rng.uniform(-110, -80, n_site)
    radius = np.array([500e3, 1100e3])  # a terminal and an underlayer type
    return rng.uniform(0.1, 1.0, n_loc), st.coverage(lat, lon, slat, slon, radius)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("layers", [("terminal", "underlayer"), ("terminal", "terminal")], ids=["two-layers", "one-layer"])
def test_milp_equals_brute_force_on_6_sites_x_2_types(seed, layers):
    values, cover = _case(seed)
    costs = np.array([1.0e9, 1.6e9])
    budget = 3.3e9  # three terminal batteries, or two of mixed types
    milp = st.site(values, cover, costs, layers, budget)
    ref = st.brute_force(values, cover, costs, layers, budget)
    assert milp.objective == pytest.approx(ref.objective, rel=1e-9, abs=1e-9)
    assert milp.cost_usd <= budget + 1e-6 and ref.cost_usd <= budget + 1e-6
    assert milp.chosen.sum(axis=1).max() <= 1 and milp.mip_gap <= 1e-6
    assert milp.objective > 0 and milp.covered_all <= milp.objective + 1e-12 <= milp.covered_any + 2e-12


def test_per_site_cap_and_layer_bonus():
    # one site covering everything: with two layers and max_per_site=2 both types go there
    values, cover = np.array([1.0, 2.0]), np.ones((2, 1, 2), bool)
    two = st.site(values, cover, [1.0, 1.0], ["terminal", "underlayer"], budget_usd=2.0, max_per_site=2)
    assert two.chosen.tolist() == [[True, True]] and two.objective == pytest.approx(3.0)
    one = st.site(values, cover, [1.0, 1.0], ["terminal", "underlayer"], budget_usd=2.0, max_per_site=1)
    assert one.chosen.sum() == 1 and one.objective == pytest.approx(1.5) and one.covered_any == pytest.approx(3.0)


def test_more_budget_never_covers_less():
    values, cover = _case(7)
    objs = [st.site(values, cover, [1.0, 1.6], ["terminal", "underlayer"], b).objective for b in (0.5, 1, 2, 3, 5, 20)]
    assert objs[0] == 0.0 and all(b >= a - 1e-9 for a, b in zip(objs, objs[1:]))
    assert objs[-1] <= values.sum() + 1e-9


def test_footprint_radius_closed_form():
    gamma = (math.pi - 10_000e3 / 6_371e3) / 4
    assert math.degrees(gamma) == pytest.approx(22.52, abs=0.01)
    assert st.footprint_radius_m(200e3, 40e3) == pytest.approx(200e3 - 40e3 / math.tan(gamma))
    assert st.footprint_radius_m(200e3, 40e3) == pytest.approx(103.5e3, abs=100)
    assert st.footprint_radius_m(30e3, 40e3) == 0.0


def test_coverage_uses_great_circle_distance():
    # 1 deg of latitude on the mean sphere = 111.19 km
    a = st.coverage([1.0, 0.0], [0.0, 0.0], [0.0], [0.0], [111.0e3, 111.4e3])
    assert a.shape == (2, 1, 2)
    assert a[:, 0, 0].tolist() == [False, True] and a[:, 0, 1].tolist() == [True, True]


def test_site_batteries_api_respects_budget_and_reports_coverage():
    out = app_assets.site_batteries(3e9, ["thaad", "pac3-mse"])
    types = {t["id"]: t for t in out["types"]}
    # THAAD: $0.4B ground + 6 x 8 x $13M; PAC-3 MSE: $0.4B + 6 x 12 x $4.2M (catalog numbers)
    assert types["thaad"]["cost_usd"] == pytest.approx(0.4e9 + 48 * 13e6)
    assert types["pac3-mse"]["cost_usd"] == pytest.approx(0.4e9 + 72 * 4.2e6)
    assert out["spent_usd"] <= 3e9 and len(out["batteries"]) >= 3
    assert 0 < out["covered_value"] <= 1
    assert out["covered_value"] == pytest.approx(out["covered_any_layer"])  # one layer: the same
    home = {a["id"]: a["value"] for a in app_assets.preset("us-homeland")}
    covered = {c for b in out["batteries"] for c in b["covers"]}
    assert out["covered_value"] == pytest.approx(sum(home[c] for c in covered), abs=1e-5)


@pytest.mark.parametrize("kwargs, word", [
    ({"budget_usd": -1.0}, "positive"), ({"budget_usd": 1e9, "types": ["railgun"]}, "unknown battery type"),
    ({"budget_usd": 1e9, "assets": "mars"}, "unknown asset preset"),
    ({"budget_usd": 1e9, "candidates": ["nowhere"]}, "candidate site"),
])
def test_site_batteries_bad_input(kwargs, word):
    with pytest.raises(InputError, match=word):
        app_assets.site_batteries(**kwargs)


def test_explicit_candidates():
    out = app_assets.site_batteries(2e9, ["thaad"], candidates=[{"id": "here", "lat": 38.87, "lon": -77.06}, "fe-warren"])
    assert out["candidates"] == 2 and [b["site"] for b in out["batteries"]] == ["here"]
