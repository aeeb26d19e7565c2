"""Value model and priorities: weights reorder the list, reasons name the dominant term,
bad weights are refused; the location table and assets.yaml hold what they claim."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest
import yaml

from goldendome.app import assets as app_assets
from goldendome.assets import value as val
from goldendome.errors import InputError
from goldendome.scenario import catalog, places


def _table() -> val.Locations:
    """A city of 8 M, an ICBM field, a port and a small capital city (synthetic)."""
    col = lambda *x: np.array(x)  # noqa: E731
    return val.Locations(
        id=col("metro", "field", "port", "capital"), name=col("Metro", "Field", "Port", "Capital"),
        kind=col("city", "strategic", "port", "city"), lat_deg=col(40.0, 41.0, 29.0, 39.0),
        lon_deg=col(-74.0, -104.0, -95.0, -77.0), population=col(8e6, 0.0, 0.0, 1e5),
        second_strike=col(0.0, 1.0, 0.0, 0.0), infrastructure=col(0.0, 0.0, 0.6, 0.1),
        roles=col("", "ICBM field", "top-10 port by tonnage", "state capital"),
        second_strike_roles=col("", "ICBM field", "", ""),
        infrastructure_roles=col("", "", "top-10 port by tonnage", "state capital"))


@pytest.mark.parametrize("weights, first", [
    ({"countervalue": 1}, "metro"), ({"second-strike": 1}, "field"), ({"infrastructure": 1}, "port"),
    ({"countervalue": 1, "second_strike": 3}, "field"), ({"countervalue": 3, "second-strike": 1}, "metro"),
], ids=["cv", "ss", "infra", "ss-heavy", "cv-heavy"])
def test_weights_decide_the_first_rank_and_its_reason(weights, first):
    ranked = val.rank(_table(), weights)
    top = ranked[0]
    assert _table().id[top.index] == first
    assert top.reason.startswith(f"rank 1: {_table().name[top.index]} - ")
    cat = {"metro": "countervalue", "field": "second-strike", "port": "infrastructure"}[first]
    assert top.dominant == cat and f"{cat} " in top.reason.split(";")[0]


def test_reason_lists_terms_dominant_first_with_shares_summing_to_100():
    # capital city: countervalue (log) 0.5 x ~0.36 = 0.18 beats infrastructure 0.5 x 0.1 = 0.05
    locs = _table()
    r = next(x for x in val.rank(locs, {"countervalue": 1, "infrastructure": 1}) if locs.id[x.index] == "capital")
    first, second = r.reason.split(" - ", 1)[1].split("; ")
    assert first.startswith("100 k people: countervalue 0.50 x ") and second.startswith("state capital: infrastructure")
    shares = [float(t.split("(")[1].split(" %")[0]) for t in (first, second)]
    assert sum(shares) == pytest.approx(100, abs=1)
    assert r.parts["countervalue"] > r.parts["infrastructure"] > 0
    assert r.score == pytest.approx(sum(r.parts.values()))


def test_weights_are_normalised_and_bad_weights_refused():
    assert val.normalise_weights({"countervalue": 2, "second_strike": 2}) == pytest.approx([0.5, 0.5, 0.0])
    assert val.normalise_weights(None) == pytest.approx([1 / 3] * 3)
    for bad, word in (({"countervalue": -1}, ">= 0"), ({"countervalue": 0, "infrastructure": 0}, "all zero"),
                      ({"people": 1}, "unknown weight"), ({"countervalue": math.nan}, "finite")):
        with pytest.raises(ValueError, match=word):
            val.normalise_weights(bad)


def test_countervalue_scales_closed_form():
    p = np.array([8.8e6, 1e6, 1e5, 0.0])
    assert val.countervalue(p, "linear") == pytest.approx(p / 8.8e6)
    expect = np.log10(np.array([880.0, 100.0, 10.0, 1.0])) / math.log10(880.0)
    assert val.countervalue(p, "log") == pytest.approx(expect)
    with pytest.raises(ValueError, match="scale"):
        val.countervalue(p, "sqrt")


# --- the API on the packaged data -----------------------------------------------------------------

def test_priorities_reorder_when_weights_change():
    cv = app_assets.priorities({"countervalue": 1}, top=5)
    ss = app_assets.priorities({"second-strike": 1}, top=5)
    infra = app_assets.priorities({"infrastructure": 1}, top=3)
    assert cv[0]["id"] == "new-york-city-ny" and cv[1]["id"] == "los-angeles-ca"
    assert "8.80 M people: countervalue 1.00 x 1.00" in cv[0]["reason"]
    assert all(r["kind"] == "strategic" and r["category"] == "second-strike" for r in ss)
    assert "second-strike 1.00 x 1.00" in ss[0]["reason"]
    assert infra[0]["category"] == "infrastructure" and infra[0]["kind"] == "forward"
    assert [r["rank"] for r in cv] == [1, 2, 3, 4, 5]
    assert [r["value"] for r in cv] == sorted([r["value"] for r in cv], reverse=True)


def test_linear_scale_lowers_mid_sized_cities():
    log = {r["id"]: r["value"] for r in app_assets.priorities({"countervalue": 1}, top=30)}
    lin = {r["id"]: r["value"] for r in app_assets.priorities({"countervalue": 1}, top=30, scale="linear")}
    assert lin["los-angeles-ca"] == pytest.approx(3820914 / 8804190, rel=1e-6)
    assert lin["los-angeles-ca"] < log["los-angeles-ca"]


@pytest.mark.parametrize("weights, word", [
    ({"countervalue": -1}, ">= 0"), ({"countervalue": 0.0, "second-strike": 0}, "all zero"),
    ({"beauty": 1}, "unknown weight 'beauty'"),
])
def test_priorities_bad_weights_one_line_input_error(weights, word):
    with pytest.raises(InputError, match=word) as exc:
        app_assets.priorities(weights)
    assert "\n" not in str(exc.value)


def test_parse_weights():
    assert app_assets.parse_weights("countervalue=1, second-strike=2") == {"countervalue": 1.0, "second-strike": 2.0}
    assert app_assets.parse_weights("") is None
    with pytest.raises(InputError, match="NAME=NUMBER"):
        app_assets.parse_weights("countervalue")


def test_presets():
    assert app_assets.preset_names() == ["us-homeland", "us-cities", "us-second-strike", "allied-forward"]
    with pytest.raises(InputError, match="known: us-homeland, us-cities"):
        app_assets.preset("mars")
    for name in app_assets.preset_names():
        rows = app_assets.preset(name)
        assert sum(r["value"] for r in rows) == pytest.approx(1.0)
        assert all(set(r) == {"id", "lat", "lon", "value", "category"} for r in rows)
        assert len({r["id"] for r in rows}) == len(rows)
    home = {r["id"]: r for r in app_assets.preset("us-homeland")}
    assert len(home) == 50 and {"new-york-city-ny", "fe-warren", "kings-bay", "washington-nca"} <= set(home)
    assert home["fe-warren"]["category"] == "second-strike" and home["new-york-city-ny"]["category"] == "countervalue"
    assert not any(r["category"] == "forward" for r in home.values())
    ss = {r["id"] for r in app_assets.preset("us-second-strike")}
    assert {"fe-warren", "malmstrom", "minot", "kings-bay", "bangor", "offutt", "raven-rock"} <= ss
    fwd = {r["id"] for r in app_assets.preset("allied-forward")}
    assert {"kadena", "camp-humphreys", "guam-andersen", "ramstein"} <= fwd
    cities = app_assets.preset("us-cities")
    assert cities[0]["id"] == "new-york-city-ny" and cities[0]["value"] > cities[1]["value"]


# --- the location table (scenario/places.py) and assets.yaml --------------------------------------

def test_location_table_drops_boroughs_and_keeps_capitals_airports_ports():
    locs = places.locations()
    ids = set(locs.id)
    assert len(ids) == len(locs)
    assert {"brooklyn-ny", "queens-ny", "upper-west-side-ny", "south-boston-ma", "new-south-memphis-tn"}.isdisjoint(ids)
    assert {"memphis-tn", "boston-ma", "jersey-city-nj", "airport-atl", "port-houston", "kadena"} <= ids
    i = list(locs.id).index("new-york-city-ny")
    assert locs.population[i] == pytest.approx(8.8e6, rel=0.01)
    sac = list(locs.id).index("sacramento-ca")
    assert "state capital" in locs.infrastructure_roles[sac]
    assert sum("state capital" in r for r in locs.roles) >= 45
    assert np.all(np.abs(locs.lat_deg) <= 90) and np.all(np.abs(locs.lon_deg) <= 180)
    assert "CC-BY" in places.GEONAMES_CREDIT


def _keys(source: str) -> list[str]:
    head, _, note = source.partition("|")
    if head.strip().startswith("derived:"):
        return []
    assert not note or note.strip().startswith("derived:"), source
    return [k.strip() for k in head.split(",") if k.strip()]


def test_assets_yaml_sources_resolve_and_coordinates_are_sane():
    doc = yaml.safe_load(resources.files("goldendome.catalog").joinpath("assets.yaml").read_text(encoding="utf-8"))
    refs, sites = catalog.all_references(), catalog.sites()
    entries = [e for g in ("roles", "strategic", "forward", "ports", "batteries") for e in doc[g].values()]
    entries += [doc["airports"], doc["cities"]]
    for e in entries:
        for key in _keys(e["source"]):
            assert key in refs, f"reference {key!r} not in references*.yaml"
    for g in ("strategic", "forward", "ports"):
        for aid, e in doc[g].items():
            assert set(e["roles"]) <= set(doc["roles"]), aid
            lat, lon = (sites[e["site"]].lat_deg, sites[e["site"]].lon_deg) if "site" in e else (e["lat"], e["lon"])
            assert -90 <= lat <= 90 and -180 <= lon <= 180, aid
    for r in doc["roles"].values():
        assert 0 <= r["score"] <= 1 and r["category"] in ("second-strike", "infrastructure")
    assert {"thaad", "pac3-mse", "underlayer"} <= set(doc["batteries"])
    own = yaml.safe_load(resources.files("goldendome.catalog").joinpath("references_assets.yaml").read_text(
        encoding="utf-8"))
    used = {k for e in entries for k in _keys(e["source"])}
    assert set(own) <= used, f"references_assets.yaml keys never cited: {sorted(set(own) - used)}"
