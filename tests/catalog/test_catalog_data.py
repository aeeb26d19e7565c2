"""Data checks for the threat and site catalog (missiles.yaml, sites.yaml, references.yaml).

Every field carries a source that resolves in references.yaml; every ballistic design can
reach its published range (ideal rocket-equation delta-v exceeds the minimum-energy burnout
speed by a plausible gravity + drag loss); every boost-glide design can reach its range in
equilibrium glide; coordinates are valid; ids are unique.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

CATALOG = Path(__file__).resolve().parents[2] / "src" / "goldendome" / "catalog"

G0 = 9.80665  # m/s^2, standard gravity (defines Isp in seconds)
MU = 3.986004418e14  # m^3/s^2
R_EARTH = 6371e3  # m, mean radius (spherical-Earth range formulas)

# ideal dv minus required burnout speed, km/s: realistic gravity + drag (+ pull-up) losses
LOSS_BAND_KM_S = (0.6, 2.5)

BASE_FIELDS = ("stages", "diameter_m", "bus_kg", "rv", "decoys", "deploy_delay_s", "range_km", "boost_s")
CLASS_FIELDS = {"ballistic": (), "hgv": ("glider",), "cruise": ("cruise",)}
SITE_KINDS = {"launch-site", "base", "city"}
REGION_KINDS = {"launch-area", "ssbn-patrol"}
REF_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _load(name: str):
    with open(CATALOG / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


# Fixtures are plain module-level loads: the files are small and read-only.
REFS = _load("references.yaml")
MISSILES = _load("missiles.yaml")["missiles"]
SITES_DOC = _load("sites.yaml")


def source_keys(value: str) -> list[str]:
    """Reference keys of a source string "<key>[, <key>...][ | derived: <note>]"."""
    assert isinstance(value, str) and value.strip(), f"empty source {value!r}"
    head, _, note = value.partition("|")
    if note:
        assert note.strip().startswith("derived:"), f"text after '|' must start with 'derived:': {value!r}"
    keys = [k.strip() for k in head.split(",")]
    assert keys and all(keys), f"no reference key in {value!r}"
    return keys


def payload_kg(m: dict) -> float:
    if m["class"] == "hgv":
        return m["bus_kg"] + m["glider"]["mass_kg"]
    rv, dec = m["rv"], m["decoys"]
    return m["bus_kg"] + rv["count"] * rv["mass_kg"] + dec["count"] * dec["mass_kg"]


def ideal_dv(m: dict) -> float:
    """Rocket-equation sum over stages, m/s."""
    mass = payload_kg(m) + sum(s["propellant_kg"] + s["dry_kg"] for s in m["stages"])
    dv = 0.0
    for s in m["stages"]:
        dv += s["isp_s"] * G0 * math.log(mass / (mass - s["propellant_kg"]))
        mass -= s["propellant_kg"] + s["dry_kg"]
    return dv


def v_min_energy(range_km: float) -> float:
    """Minimum-energy burnout speed on a non-rotating sphere, burnout at the surface, m/s."""
    s = math.sin(range_km * 1e3 / R_EARTH / 2)
    return math.sqrt(MU / R_EARTH * 2 * s / (1 + s))


def v_equilibrium_glide(range_km: float, lift_to_drag: float) -> float:
    """Speed at glide start for equilibrium glide at constant L/D to cover range_km, m/s.

    Range s = (L/D) (R/2) ln[1 / (1 - v^2/(g R))]  ->  v^2 = g R (1 - exp(-2 s / (R L/D))).
    """
    g = MU / R_EARTH**2
    return math.sqrt(g * R_EARTH * (1 - math.exp(-2 * range_km * 1e3 / (R_EARTH * lift_to_drag))))


def test_references_are_strings_with_sane_keys():
    assert REFS, "references.yaml is empty"
    for key, citation in REFS.items():
        assert REF_KEY.match(key), f"bad reference key {key!r}"
        assert isinstance(citation, str) and len(citation) > 20, f"reference {key} lacks a full citation"


def test_required_missile_ids_present():
    required = {
        "icbm-liquid", "icbm-solid", "slbm", "irbm", "mrbm", "srbm",
        "hgv-regional", "hgv-intercontinental", "cruise-subsonic",
    }
    assert required <= set(MISSILES)


@pytest.mark.parametrize("mid", sorted(MISSILES))
def test_missile_fields_and_sources(mid):
    m = MISSILES[mid]
    assert m["class"] in CLASS_FIELDS, f"{mid}: unknown class {m['class']!r}"
    assert isinstance(m["name"], str) and m["name"]
    assert isinstance(m["examples"], list) and m["examples"]
    fields = BASE_FIELDS + CLASS_FIELDS[m["class"]]
    for field in fields:
        assert field in m, f"{mid}: missing field {field}"
        assert field in m["sources"], f"{mid}: field {field} has no source"
        for key in source_keys(m["sources"][field]):
            assert key in REFS, f"{mid}.{field}: reference {key!r} not in references.yaml"
    for key in m["sources"]:
        assert key in fields, f"{mid}: source given for unknown field {key!r}"


@pytest.mark.parametrize("mid", sorted(MISSILES))
def test_missile_values_physical(mid):
    m = MISSILES[mid]
    assert m["diameter_m"] > 0 and m["range_km"] > 0 and m["boost_s"] > 0
    assert m["bus_kg"] >= 0 and m["deploy_delay_s"] >= 0
    for part in ("rv", "decoys"):
        obj = m[part]
        assert set(obj) == {"count", "mass_kg", "beta_kg_m2"}, f"{mid}.{part} keys"
        assert isinstance(obj["count"], int) and obj["count"] >= 0
        if obj["count"]:
            assert obj["mass_kg"] > 0 and obj["beta_kg_m2"] > 0
    if m["class"] == "ballistic":
        assert m["rv"]["count"] >= 1
        # RVs: ~10^3-10^4.5 kg/m^2; light decoys: << RV
        assert 1_000 <= m["rv"]["beta_kg_m2"] <= 30_000
        if m["decoys"]["count"]:
            assert m["decoys"]["beta_kg_m2"] < 100
    if m["class"] in ("ballistic", "hgv"):
        assert m["stages"], f"{mid}: no stages"
        for s in m["stages"]:
            assert set(s) == {"propellant_kg", "dry_kg", "isp_s", "burn_s"}
            assert s["propellant_kg"] > 0 and s["dry_kg"] > 0 and s["burn_s"] > 0
            assert 200 <= s["isp_s"] <= 340, f"{mid}: vacuum Isp {s['isp_s']} s implausible for storable propellants"
            assert 0.75 <= s["propellant_kg"] / (s["propellant_kg"] + s["dry_kg"]) <= 0.95
        burn = sum(s["burn_s"] for s in m["stages"])
        assert abs(burn - m["boost_s"]) <= 0.15 * m["boost_s"], f"{mid}: boost_s {m['boost_s']} vs burns {burn}"
    if m["class"] == "hgv":
        g = m["glider"]
        assert set(g) == {"mass_kg", "ref_area_m2", "lift_to_drag", "cl_max"}
        assert g["mass_kg"] > 0 and g["ref_area_m2"] > 0
        assert 1.0 <= g["lift_to_drag"] <= 4.0 and 0.1 <= g["cl_max"] <= 1.5
        assert m["rv"]["count"] == 0 and m["decoys"]["count"] == 0
    if m["class"] == "cruise":
        c = m["cruise"]
        assert set(c) == {"speed_m_s", "altitude_m", "mass_kg", "booster_s"}
        assert 150 <= c["speed_m_s"] <= 340, "subsonic cruise speed expected"
        assert 0 < c["altitude_m"] <= 500 and c["mass_kg"] > 0 and c["booster_s"] >= 0
        assert m["stages"] == [] and m["boost_s"] == c["booster_s"]


@pytest.mark.parametrize("mid", sorted(k for k, v in MISSILES.items() if v["class"] == "ballistic"))
def test_ballistic_design_reaches_published_range(mid):
    m = MISSILES[mid]
    margin = (ideal_dv(m) - v_min_energy(m["range_km"])) / 1e3
    lo, hi = LOSS_BAND_KM_S
    assert lo <= margin <= hi, f"{mid}: ideal dv - min-energy burnout speed = {margin:.2f} km/s"


@pytest.mark.parametrize("mid", sorted(k for k, v in MISSILES.items() if v["class"] == "hgv"))
def test_hgv_design_reaches_published_range(mid):
    m = MISSILES[mid]
    need = v_equilibrium_glide(m["range_km"], m["glider"]["lift_to_drag"])
    margin = (ideal_dv(m) - need) / 1e3
    lo, hi = LOSS_BAND_KM_S
    assert lo <= margin <= hi, f"{mid}: ideal dv - equilibrium-glide speed = {margin:.2f} km/s"


def test_reference_physics_helpers():
    # 10,000 km min-energy burnout speed ~7.2 km/s (textbook value for a spherical Earth)
    assert v_min_energy(10_000) == pytest.approx(7198, abs=5)
    # a glide covering ~0 range needs ~0 speed; long glides approach circular speed
    assert v_equilibrium_glide(1, 2.6) < 200
    assert v_equilibrium_glide(40_000, 2.6) < math.sqrt(MU / R_EARTH)


def test_sites_and_regions():
    sites = SITES_DOC["sites"]
    regions = SITES_DOC["regions"]
    ids = list(sites) + list(regions)
    assert len(ids) == len(set(ids)), "site/region ids must be unique across both maps"
    required_sites = {
        "sohae", "sinpo", "seattle", "san-francisco", "los-angeles", "honolulu", "anchorage",
        "chicago", "new-york", "washington-dc", "denver", "houston", "fort-greely", "vandenberg",
        "guam-andersen", "pearl-harbor", "shemya", "clear-sfs", "malmstrom", "minot", "fe-warren",
        "kings-bay", "bangor", "jiuquan", "taiyuan", "xichang", "wenchang", "plesetsk", "kapustin-yar",
    }
    assert required_sites <= set(sites)
    for sid, s in sites.items():
        assert s["kind"] in SITE_KINDS, f"{sid}: kind {s['kind']!r}"
        assert "radius_km" not in s
    for rid, r in regions.items():
        assert r["kind"] in REGION_KINDS, f"{rid}: kind {r['kind']!r}"
        assert 0 < r["radius_km"] <= 1000
    assert any(r["kind"] == "ssbn-patrol" for r in regions.values())
    for sid, s in {**sites, **regions}.items():
        assert isinstance(s["name"], str) and s["name"]
        assert re.fullmatch(r"[A-Z]{2}", s["country"]), f"{sid}: country {s['country']!r}"
        assert -90 <= s["lat"] <= 90, f"{sid}: lat {s['lat']}"
        assert -180 <= s["lon"] <= 180, f"{sid}: lon {s['lon']}"
        for key in source_keys(s["source"]):
            assert key in REFS, f"{sid}: reference {key!r} not in references.yaml"


def test_every_reference_is_used():
    used = set()
    for m in MISSILES.values():
        for v in m["sources"].values():
            used.update(source_keys(v))
    for s in {**SITES_DOC["sites"], **SITES_DOC["regions"]}.values():
        used.update(source_keys(s["source"]))
    unused = set(REFS) - used
    assert not unused, f"references never cited: {sorted(unused)}"


def test_no_number_in_any_catalog_file_is_read_as_a_string():
    """PyYAML reads 22.0e6 (no exponent sign) as a string: every catalog number must be a number."""
    import re
    from pathlib import Path

    num = re.compile(r"^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$")
    folder = Path(__file__).resolve().parents[2] / "src" / "goldendome" / "catalog"

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{where}[{i}]")
        elif isinstance(node, str) and num.match(node.strip()):
            yield where

    bad = [w for f in sorted(folder.glob("*.yaml")) for w in walk(yaml.safe_load(f.read_text()), f.name)]
    assert not bad, bad
