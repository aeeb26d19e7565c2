"""The catalog at the edge: read the packaged YAML, build domain objects, resolve places.

Domain packages never read files; this module does, once, and hands them dataclasses.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..errors import CatalogError, InputError  # noqa: F401  (CatalogError re-exported)
from ..threats.raid import Place
from ..threats.vehicles import Body, Cruise, Glider, Missile, Stage


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    text = resources.files("goldendome.catalog").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def missile_ids() -> list[str]:
    return list(_load("missiles.yaml")["missiles"])


def missile_entry(mid: str) -> dict:
    """The raw catalog mapping of a missile class (with its sources)."""
    table = _load("missiles.yaml")["missiles"]
    if mid not in table:
        raise CatalogError(f"unknown missile '{mid}' (known: {', '.join(table)})")
    return table[mid]


def _body(d: dict | None) -> Body | None:
    if not d or not d.get("count"):
        return None
    return Body(float(d["mass_kg"]), float(d["beta_kg_m2"]), int(d["count"]))


@lru_cache(maxsize=None)
def missile(mid: str) -> Missile:
    """The Missile class of catalog id ``mid``."""
    d = missile_entry(mid)
    stages = tuple(Stage(float(s["propellant_kg"]), float(s["dry_kg"]), float(s["isp_s"]), float(s["burn_s"]))
                   for s in d.get("stages") or [])
    glider = Glider(**{k: float(v) for k, v in d["glider"].items()}) if d.get("glider") else None
    cruise = Cruise(**{k: float(v) for k, v in d["cruise"].items()}) if d.get("cruise") else None
    return Missile(
        id=mid, kind=d["class"], name=d.get("name", mid), stages=stages,
        diameter_m=float(d.get("diameter_m", 1.0)), bus_kg=float(d.get("bus_kg", 0.0)),
        rv=_body(d.get("rv")), decoys=_body(d.get("decoys")), glider=glider, cruise=cruise,
        deploy_delay_s=float(d.get("deploy_delay_s", 0.0)), range_km=float(d.get("range_km", 0.0)),
        sources=dict(d.get("sources", {})),
    )


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str
    lat_deg: float
    lon_deg: float
    radius_km: float = 0.0
    country: str = ""
    source: str = ""


@lru_cache(maxsize=None)
def sites() -> dict[str, Site]:
    """Every named place: points (sites) and areas (regions), by id."""
    data = _load("sites.yaml")
    out = {}
    for group in ("sites", "regions"):
        for sid, d in (data.get(group) or {}).items():
            out[sid] = Site(sid, d.get("name", sid), d.get("kind", group), float(d["lat"]), float(d["lon"]),
                            float(d.get("radius_km", 0.0)), d.get("country", ""), d.get("source", ""))
    return out


_LATLON = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?)\s*,\s*([-+]?\d+(?:\.\d*)?)\s*$")


def place_spec(p):
    """A schema Place (pydantic model) as :func:`place` takes it; anything else unchanged."""
    return p.model_dump() if hasattr(p, "model_dump") else p


def place(spec) -> Place:
    """A Place from 'LAT,LON' (degrees), {lat, lon} or a catalog site or region id."""
    if isinstance(spec, dict):
        return _place_from_degrees(spec.get("lat"), spec.get("lon"), str(spec))
    text = str(spec)
    m = _LATLON.match(text)
    if m:
        return _place_from_degrees(float(m.group(1)), float(m.group(2)), text)
    site = sites().get(text.strip())
    if site is None:
        raise CatalogError(f"'{text}' is neither LAT,LON nor a known site or region id (see `goldendome catalog`)")
    return Place(math.radians(site.lat_deg), math.radians(site.lon_deg), site.radius_km * 1e3, site.id)


def _place_from_degrees(lat, lon, text) -> Place:
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise CatalogError(f"place '{text}' needs numeric lat and lon in degrees") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 360.0):
        raise CatalogError(f"place '{text}': latitude must be in [-90, 90] and longitude in [-180, 360] degrees")
    return Place(math.radians(lat), math.radians(lon), 0.0, text)


@lru_cache(maxsize=None)
def table(name: str, key: str) -> dict:
    """The mapping under ``key`` in catalog file ``name`` (e.g. 'fire_control.yaml', 'fire_control')."""
    return _load(name)[key]


def entry(name: str, key: str, item: str) -> dict:
    """The raw mapping of ``item`` in catalog file ``name`` under ``key`` (e.g. sensors.yaml, sensors)."""
    entries = table(name, key)
    if item not in entries:
        raise CatalogError(f"unknown {key[:-1]} '{item}' (known: {', '.join(entries)})")
    return entries[item]


def all_references() -> dict:
    """Every reference key -> citation, from references*.yaml."""
    out = {}
    for f in resources.files("goldendome.catalog").iterdir():
        if f.name.startswith("references") and f.name.endswith(".yaml"):
            out.update(yaml.safe_load(f.read_text(encoding="utf-8")))
    return out
