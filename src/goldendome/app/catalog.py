"""`goldendome catalog` and `goldendome schema`: what the catalog holds, and the scenario file format."""

from __future__ import annotations

from ..scenario import catalog as cat
from ..scenario.schema import Scenario


def catalog() -> dict:
    """Missile classes (name, class, sources), places (sites and regions) and every reference."""
    missiles = {m: {"name": cat.missile_entry(m).get("name", m), "class": cat.missile_entry(m)["class"],
                    "sources": dict(cat.missile_entry(m).get("sources", {}))}
                for m in cat.missile_ids()}
    places = {s.id: {"name": s.name, "kind": s.kind, "lat": s.lat_deg, "lon": s.lon_deg,
                     "radius_km": s.radius_km, "source": s.source} for s in cat.sites().values()}
    return {"missiles": missiles, "places": places, "references": cat.all_references()}


def schema() -> dict:
    """The JSON Schema of the scenario file (goldendome/v1)."""
    return Scenario.model_json_schema(by_alias=True)
