"""goldendome.app.catalog: every kind listed, and `show` gives every parameter with unit and resolved source."""

import json

import pytest

from goldendome.app import catalog as app_catalog
from goldendome.errors import InputError
from goldendome.scenario import catalog

REFS = catalog.all_references()
LISTING = {"missiles", "interceptors", "radars", "space_sensors", "places", "threat_sets", "architectures",
           "asset_presets"}


def _params(obj) -> dict:
    return {(p["section"], p["name"]): p for p in obj["parameters"]}


def test_every_kind_is_listed_with_ids_and_one_line_descriptions():
    out = app_catalog.catalog()
    assert LISTING <= set(out) and set(out["kinds"]) == set(app_catalog.KINDS)
    for kind, (key, _) in app_catalog.KINDS.items():
        assert out[key] and list(out[key]) == out["kinds"][kind], kind
        for i, e in out[key].items():
            assert e["description"] and "\n" not in e["description"], (kind, i)
    classes = {e["class"] for e in out["interceptors"].values()}
    assert {"kinetic", "directed-energy", "space-based"} <= classes
    assert {"gbi", "laser-ground", "sbi"} <= set(out["interceptors"])
    assert {"uewr"} <= set(out["radars"]) and {"opir-geo"} <= set(out["space_sensors"])
    assert {"small", "medium", "large"} <= set(out["architectures"])
    assert {"nk-icbm"} <= set(out["threat_sets"]) and {"us-homeland"} <= set(out["asset_presets"])
    assert {"seattle", "kp-north"} <= set(out["places"])  # sites and regions
    assert out["references"] == REFS


@pytest.mark.parametrize("kind, key", [("radar", "radars"), ("radars", "radars"), ("space_sensors", "space_sensors"),
                                       ("sensor", "space_sensors"), ("threat-set", "threat_sets"),
                                       ("preset", "architectures"), ("site", "places")])
def test_kind_filters_the_listing(kind, key):
    out = app_catalog.catalog(kind)
    assert set(out) == {key, "kinds"}


def test_unknown_kind_names_the_kinds():
    with pytest.raises(InputError, match="asset-preset"):
        app_catalog.catalog("widgets")


def _check_sources(obj):
    for p in obj["parameters"]:
        assert p["source"], p
        assert len(p["citations"]) == len(p["references"])
        for k, c in zip(p["references"], p["citations"]):
            assert k in REFS and c == REFS[k], (p["name"], k)
    assert obj["references"] == {k: REFS[k] for k in obj["references"]}


def test_show_icbm_solid():
    obj = app_catalog.show("icbm-solid")
    assert obj["kind"] == "missile" and "solid-propellant ICBM" in obj["description"]
    p = _params(obj)
    stage = p[("", "stages[0].propellant_kg")]
    assert stage["value"] == 20000 and stage["unit"] == "kg" and stage["references"] == ["aps2003", "spectrum2005"]
    assert stage["note"].startswith("derived:")
    assert p[("", "rv.beta_kg_m2")]["unit"] == "kg/m^2" and "allen-eggers1958" in p[("", "rv.beta_kg_m2")]["references"]
    assert p[("", "boost_s")]["value"] == 170 and p[("", "boost_s")]["unit"] == "s"
    assert "aps2003" in obj["references"]
    _check_sources(obj)


def test_show_gbi_with_fire_control_and_cost():
    obj = app_catalog.show("gbi")
    p = _params(obj)
    b = p[("", "burnout_speed_m_s")]
    assert (b["value"], b["unit"]) == (7000.0, "m/s")
    assert b["references"] == ["csis-missiledefense", "nrc2012"] and b["citations"][1] == REFS["nrc2012"]
    assert p[("", "accel_m_s2")]["unit"] == "m/s^2" and p[("", "accel_m_s2")]["references"] == []
    assert p[("", "accel_m_s2")]["source"].startswith("derived:")
    assert p[("", "unit_cost_usd")]["unit"] == "USD"
    assert p[("fire control", "pos_m")]["value"] == 1000.0 and p[("fire control", "pos_m")]["references"] == ["nrc2012"]
    assert any(s == "cost" for s, _ in p)
    _check_sources(obj)


def test_show_uewr_radar_and_its_sites():
    obj = app_catalog.show("uewr")
    assert obj["kind"] == "radar"
    p = _params(obj)
    f = p[("", "frequency_ghz")]
    assert (f["value"], f["unit"], f["references"]) == (0.435, "GHz", ["arrl-pavepaws"])
    assert "centre of 420-450 MHz" in f["note"]
    assert p[("", "sigma_angle_floor_mrad")]["unit"] == "mrad"
    site = p[("", "sites.thule.faces_az_deg")]  # a site's own source beats the type-level one
    assert site["unit"] == "deg" and site["references"] == ["wiki-coords", "usaf-pavepaws"]
    assert p[("discrimination", "p_max")]["value"] == 0.65
    _check_sources(obj)


def test_show_opir_geo_nested_sensor_fields():
    obj = app_catalog.show("opir-geo")
    assert obj["kind"] == "space-sensor"
    p = _params(obj)
    bands = p[("", "sensor.bands")]
    assert bands["value"] == ["swir", "mwir"] and bands["references"] == ["ussf-sbirs", "forden2007"]
    assert p[("", "sensor.sensitivity_w_m2")]["unit"] == "W/m^2"
    assert p[("", "orbit.slots_lon_deg")]["unit"] == "deg" and "ussf-sbirs" in p[("", "orbit.slots_lon_deg")]["references"]
    _check_sources(obj)


def test_show_medium_preset_lines_with_their_comments():
    obj = app_catalog.show("medium")
    assert obj["kind"] == "architecture" and "1,600 space-based interceptors" in obj["description"]
    p = {name: x for (_, name), x in _params(obj).items()}
    sbi = next(x for name, x in p.items() if name.startswith("effectors[") and x["value"]["kind"] == "sbi")
    assert sbi["value"]["count"] == 1600 and sbi["references"] == ["aps2003"] and "1,600" in sbi["note"]
    ngi = next(x for x in p.values() if isinstance(x["value"], dict) and x["value"].get("type") == "ngi")
    assert ngi["references"] == ["cape-ngi"]
    assumed = [x for x in p.values() if x["source"].startswith("assumed")]
    assert assumed
    assert p["c2.latency_s"]["value"] == 10 and p["c2.latency_s"]["unit"] == "s"
    _check_sources(obj)


def test_show_seattle_place():
    obj = app_catalog.show("seattle")
    assert obj["kind"] == "place"
    p = _params(obj)
    lat = p[("", "lat")]
    assert (lat["value"], lat["unit"], lat["references"]) == (47.606, "deg", ["geonames"])
    assert obj["references"] == {"geonames": REFS["geonames"]}


def test_show_threat_set_and_asset_preset():
    ts = _params(app_catalog.show("nk-icbm"))
    assert ts[("", "nominal")]["value"] == 5 and ts[("", "nominal")]["source"].startswith("assumed")
    assert ts[("", "salvos[0]")]["value"]["missile"] == "icbm-solid"
    ap = app_catalog.show("us-second-strike")
    rows = _params(ap)
    members = [x for (_, n), x in rows.items() if n.startswith("members[")]
    assert members and rows[("", "locations")]["value"] == len(members)
    assert all(x["references"] for x in members)
    _check_sources(ap)


def test_every_id_of_every_kind_shows_json_safe_with_resolved_sources():
    for kind, ids in app_catalog.catalog()["kinds"].items():
        for i in ids:
            obj = app_catalog.show(i, kind)
            assert obj["parameters"], (kind, i)
            json.dumps(obj, allow_nan=False)  # .inf magazines come out as text
            _check_sources(obj)
    p = _params(app_catalog.show("laser-ground"))
    assert p[("", "magazine_shots")]["value"] == "inf"


def test_unknown_id_names_the_nearest():
    with pytest.raises(InputError, match=r"unknown catalog id 'gbii' \(nearest: gbi") as exc:
        app_catalog.show("gbii")
    assert "\n" not in str(exc.value)
    with pytest.raises(InputError, match="nearest: seattle"):
        app_catalog.show("seatle")


def test_id_of_another_kind_says_where_it_is():
    with pytest.raises(InputError, match="--kind interceptor"):
        app_catalog.show("gbi", "radar")


def test_ambiguous_id_asks_for_kind(monkeypatch):
    ids = app_catalog._ids()
    ids["place"] = ids["place"] + ["gbi"]
    monkeypatch.setattr(app_catalog, "_ids", lambda: ids)
    with pytest.raises(InputError, match=r"several kinds \(interceptor, place\): add --kind"):
        app_catalog.show("gbi")
    assert app_catalog.show("gbi", "interceptor")["kind"] == "interceptor"


@pytest.mark.parametrize("name, unit", [
    ("burnout_speed_m_s", "m/s"), ("accel_m_s2", "m/s^2"), ("max_range_m", "m"), ("range_km", "km"),
    ("beta_kg_m2", "kg/m^2"), ("value_J_m2", "J/m^2"), ("ops_usd_per_year", "USD/year"),
    ("launch_usd_per_kg", "USD/kg"), ("os_usd_per_unit_year", "USD/unit/year"), ("power_w", "W"),
    ("extinction_sea_level_per_m", "1/m"), ("stages[1].burn_s", "s"), ("lat", "deg"), ("m2", ""), ("pk", ""),
    ("temperature_k", "K"), ("bandwidth_mhz", "MHz"), ("jitter_rad", "rad"), ("service_life_years", "years")])
def test_unit_from_the_field_name(name, unit):
    assert app_catalog.unit_of(name) == unit


def test_parse_source_grammar():
    refs = {"aps2003": "A", "nrc2012": "N"}
    assert app_catalog.parse_source("aps2003, nrc2012 | derived: x", refs) == {
        "source": "aps2003, nrc2012 | derived: x", "references": ["aps2003", "nrc2012"], "note": "derived: x"}
    assert app_catalog.parse_source("derived: as gbi", refs)["references"] == []
    assert app_catalog.parse_source("aps2003: ~1,600 vs one", refs)["references"] == ["aps2003"]
    assert app_catalog.parse_source("Beale AFB (nrc2012)", refs)["references"] == ["nrc2012"]
    assert app_catalog.parse_source(None, refs)["source"] == app_catalog.NO_SOURCE
