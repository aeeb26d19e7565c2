"""Architecture -> cost elements, with parameters from the catalog (costs.yaml, interceptors.yaml).

The edge between the scenario's ``architecture`` section and :mod:`goldendome.architecture.cost`:

- battery (thaad, pac3-mse, underlayer): its rounds (``inventory``, default rounds x launchers),
  one battery of launchers and fire control, and its fire-control radar if costs.yaml names one;
- ship (sm3-iia, sm6): its rounds (the ship is existing, sunk);
- site (gbi, ngi): its rounds (GBIs already emplaced count as existing);
- laser: one weapon; sbi: ``count`` satellites (costs of interceptors.yaml's sbi entry,
  overridable inline);
- radar: one radar, existing if placed at a site radars.yaml lists for its type;
- space-ir: the satellites of the catalog constellation (sensors.yaml orbit block).

Elements come in priority order: sensors first, then effectors, each in the architecture's order.
Every money figure is brought to constant ``base_fy`` dollars with the catalog price index.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..architecture.cost import CostParams, Element, first_unit_from_average
from ..errors import InputError
from ..physics import earth
from . import catalog
from .schema import Architecture

EXISTING_RADIUS_M = 50e3  # a radar this close to a radars.yaml site is that installation (derived: assumed)
_BATTERY_KINDS = ("battery",)
_ROUND_KINDS = ("battery", "ship", "site")


@dataclass(frozen=True)
class Inflation:
    """Constant-dollar base year, out-year escalation rate and the historical price index."""

    base_fy: int
    rate: float
    index: dict

    def to_base(self, usd: float, year: int, where: str = "") -> float:
        """``usd`` of ``year`` in base_fy dollars."""
        year = int(year)
        if year in self.index:
            return usd * self.index[self.base_fy] / self.index[year]
        if year > self.base_fy:
            return usd / (1.0 + self.rate) ** (year - self.base_fy)
        raise InputError(f"{where}cost_year {year} is before the price index in costs.yaml ({min(self.index)})")


def inflation() -> Inflation:
    """The catalog's inflation block."""
    d = catalog.table("costs.yaml", "inflation")
    return Inflation(int(d["base_fy"]), float(d["out_year_rate"]), {int(k): float(v) for k, v in d["price_index"].items()})


def cost_entry(ctype: str, where: str = "") -> dict:
    """The costs.yaml entry of catalog type ``ctype``."""
    table = catalog.table("costs.yaml", "costs")
    if ctype not in table:
        raise InputError(f"{where}no cost data for type '{ctype}' (costs.yaml knows: {', '.join(table)})")
    return table[ctype]


def elements(arch: Architecture) -> list[Element]:
    """Cost elements of an architecture, in priority order (sensors, then effectors)."""
    infl, out, used = inflation(), [], {}
    for i, s in enumerate(arch.sensors):
        out += _sensor(s, f"sensors[{i}]", infl)
    for j, spec in enumerate(arch.effectors):
        out += _effector(dict(spec), f"effectors[{j}]", infl)
    return [_with_existing(e, used) for e in out]


def _with_existing(e: tuple, used: dict) -> Element:
    """The Element of a draft (element, fielded_now), with the line's fielded_now units allotted in order."""
    el, fielded_now = e
    if fielded_now is None:
        return el
    line = el.line_id
    n = min(el.quantity, max(int(fielded_now) - used.get(line, 0), 0))
    used[line] = used.get(line, 0) + n
    return Element(el.id, el.layer, el.kind, el.type, el.quantity, el.units, el.params, el.group, n, el.line)


def _params(block: dict, unit_cost_usd: float, unit_year, infl: Inflation, where: str) -> CostParams:
    """CostParams in base-year dollars from a costs.yaml block and a unit cost."""
    year = block.get("cost_year", infl.base_fy)
    money = lambda k: infl.to_base(float(block.get(k, 0.0)), year, where)
    unit_year = block.get("cost_year", infl.base_fy) if unit_year is None else unit_year
    avg = infl.to_base(float(unit_cost_usd), unit_year, where)
    lr = float(block.get("learning_rate", 1.0))
    if block.get("unit_cost_basis", "average") == "average":
        avg = first_unit_from_average(avg, int(block.get("reference_quantity", 1)), lr)
    rdte = infl.to_base(float(block.get("rdte_usd", 0.0)), year, where)
    try:
        return _cost_params(block, avg, lr, rdte, money)
    except ValueError as exc:
        raise InputError(f"{where}{exc}") from None


def _cost_params(block: dict, first_unit_usd: float, lr: float, rdte: float, money) -> CostParams:
    return CostParams(
        first_unit_usd=first_unit_usd, learning_rate=lr, rdte_usd=rdte, rdte_years=int(block.get("rdte_years", 0)),
        mass_kg=float(block.get("mass_kg", 0.0)), launch_usd_per_kg=float(block.get("launch_usd_per_kg", 0.0)),
        construction_usd=money("construction_usd"), os_usd_per_unit_year=money("os_usd_per_unit_year"),
        os_usd_per_year=money("os_usd_per_year"), life_years=float(block.get("life_years", math.inf)),
        production_per_year=float(block.get("production_per_year", math.inf)), first_fy=int(block.get("first_fy", 0)),
        existing_fielded_fy=block.get("existing_fielded_fy"))


def _block(entry: dict, name: str, ctype: str, where: str) -> dict:
    if name not in entry:
        raise InputError(f"{where}costs.yaml '{ctype}' has no '{name}' block")
    return entry[name]


def _sensor(s, where: str, infl: Inflation) -> list:
    entry = cost_entry(s.type, f"{where}: ")
    if s.kind == "radar":
        block = _block(entry, "radar", s.type, f"{where}: ")
        site = s.site if isinstance(s.site, str) else (s.site.model_dump() if s.site is not None else None)
        existing = existing_radar(s.type, site)
        el = Element(f"{s.type}@{site}", entry["layer"], "radar", s.type, 1, "radar",
                     _params(block, block.get("unit_cost_usd", 0.0), None, infl, f"{where}: "), where, int(existing))
        return [(el, None)]
    block = _block(entry, "satellite", s.type, f"{where}: ")
    n = satellites(catalog.entry("sensors.yaml", "sensors", s.type), s.type)
    el = Element(f"{s.type}", entry["layer"], "space-ir", s.type, n, "satellite",
                 _params(block, block.get("unit_cost_usd", 0.0), None, infl, f"{where}: "), where)
    return [(el, block.get("fielded_now", 0))]


def existing_radar(rtype: str, site) -> bool:
    """True if a radar of ``rtype`` at ``site`` is one radars.yaml lists (within EXISTING_RADIUS_M)."""
    sites = catalog.entry("radars.yaml", "radars", rtype).get("sites") or {}
    if site is None or (isinstance(site, str) and site in sites):
        return site is not None
    p = catalog.place(site)
    return any(earth.great_circle_distance(p.lat, p.lon, math.radians(d["lat"]), math.radians(d["lon"]))
               <= EXISTING_RADIUS_M for d in sites.values())


def satellites(entry: dict, sid: str) -> int:
    """Satellite count of a sensors.yaml constellation."""
    o = entry["orbit"]
    if o["type"] == "geo":
        return len(o["slots_lon_deg"])
    if o["type"] == "walker":
        return int(o["planes"]) * int(o["per_plane"])
    if o["type"] == "heo":
        return int(o["count"])
    raise InputError(f"sensors.yaml: '{sid}'.orbit.type '{o['type']}' is not geo, walker or heo")


def _effector(spec: dict, where: str, infl: Inflation) -> list:
    kind = str(spec.get("kind", "battery"))
    itype = "sbi" if kind == "sbi" else str(spec.get("type", ""))
    for k in ("unit_cost_usd", "mass_kg", "launch_usd_per_kg"):
        if k in spec:
            _cost_number(spec[k], k, where)
    entry = cost_entry(itype, f"{where}: ")
    weapon = {**catalog.table("interceptors.yaml", "interceptors").get(itype, {}), **spec}
    if kind == "sbi":
        return [_sbi(spec, weapon, entry, where, infl)]
    if kind == "laser":
        block = _block(entry, "unit", itype, f"{where}: ")
        return [(_item(spec, where, entry, "unit", 1, weapon, infl, kind), block.get("fielded_now"))]
    if kind not in _ROUND_KINDS:
        raise InputError(f"{where}: unknown effector kind '{kind}' (battery, ship, site, laser, sbi)")
    out = [(_item(spec, where, entry, "rounds", _inventory(spec, weapon, where), weapon, infl, kind),
            _block(entry, "rounds", itype, f"{where}: ").get("fielded_now"))]
    if kind in _BATTERY_KINDS and "battery" in entry:
        out.append((_item(spec, where, entry, "battery", 1, weapon, infl, kind), None))
    if kind in _BATTERY_KINDS and entry.get("radar"):
        out.append((_battery_radar(spec, where, entry, infl), None))
    return out


MIN_LIFE_YEARS = 0.5   # shorter service lives mean replacements every few months: a typo, not a design
MAX_SBI_COUNT = 1_000_000  # interceptors in one constellation (CBO's largest is 7,800)


def _cost_number(v, key: str, where: str) -> float:
    """An inline cost figure: a finite number >= 0 (learning_rate in (0, 1], unit costs, masses, counts
    and years > 0, life_years >= MIN_LIFE_YEARS, first_fy 1990-2100)."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {key} must be a number, got {v!r}") from None
    positive = key in ("life_years", "average_over", "production_per_year", "first_fy", "unit_cost_usd", "mass_kg")
    rule, ok = (">= 0", x >= 0)
    if key == "learning_rate":
        rule, ok = ("in (0, 1]", 0 < x <= 1)
    elif key == "life_years":
        rule, ok = (f">= {MIN_LIFE_YEARS} years", x >= MIN_LIFE_YEARS)
    elif key == "first_fy":
        rule, ok = ("a fiscal year from 1990 to 2100", 1990 <= x <= 2100)
    elif positive:
        rule, ok = ("> 0", x > 0)
    if not (ok and math.isfinite(x)):
        raise InputError(f"{where}: {key} must be a finite number {rule}, got {v!r}")
    return x


def _inventory(spec: dict, weapon: dict, where: str) -> int:
    n = spec.get("inventory", int(weapon.get("rounds", 1)) * int(weapon.get("launchers", 1)))
    try:
        n = int(n)
    except (TypeError, ValueError):
        raise InputError(f"{where}: inventory must be a whole number, got {n!r}") from None
    if n < 0:
        raise InputError(f"{where}: inventory must be >= 0, got {n}")
    return n


def _name(spec: dict, itype: str) -> str:
    return str(spec.get("name", f"{itype}@{spec.get('site', '')}"))


def _item(spec, where, entry, block_name, qty, weapon, infl, kind) -> Element:
    itype = "sbi" if kind == "sbi" else str(spec.get("type"))
    block = _block(entry, block_name, itype, f"{where}: ")
    if "unit_cost_usd" in block:
        usd, year = block["unit_cost_usd"], block.get("cost_year")
    else:
        usd, year = weapon.get("unit_cost_usd", 0.0), weapon.get("cost_year", block.get("cost_year"))
    params = _params(block, float(usd), year, infl, f"{where}: ")
    return Element(f"{_name(spec, itype)}/{block_name}", entry["layer"], kind, itype, int(qty),
                   _UNITS.get(block_name, block_name), params, where)


_UNITS = {"rounds": "round", "unit": "laser", "satellite": "satellite", "battery": "battery", "radar": "radar"}


def _battery_radar(spec, where, entry, infl) -> Element:
    rtype = entry["radar"]
    block = _block(cost_entry(rtype, f"{where}: "), "radar", rtype, f"{where}: ")
    params = _params(block, block.get("unit_cost_usd", 0.0), None, infl, f"{where}: ")
    return Element(f"{_name(spec, spec.get('type'))}/radar", entry["layer"], "radar", rtype, 1, "radar", params, where)


# Inline cost keys of an sbi element -> costs.yaml satellite block keys (unit_cost_usd, mass_kg and
# launch_usd_per_kg override interceptors.yaml's sbi entry; ops_usd_per_year is for the whole layer).
SBI_COST_KEYS = {"life_years": "life_years", "learning_rate": "learning_rate", "average_over": "reference_quantity",
                 "production_per_year": "production_per_year", "first_fy": "first_fy", "rdte_usd": "rdte_usd"}


def _sbi(spec, weapon, entry, where, infl) -> tuple:
    block = dict(_block(entry, "satellite", "sbi", f"{where}: "))
    for k, wk in (("mass_kg", "mass_kg"), ("launch_usd_per_kg", "launch_usd_per_kg"), ("life_years", "service_life_years")):
        if wk in weapon:
            block.setdefault(k, weapon[wk])
    block.update({bk: _cost_number(spec[k], k, where) for k, bk in SBI_COST_KEYS.items() if k in spec})
    if "ops_usd_per_year" in spec:
        block.update(os_usd_per_year=_cost_number(spec["ops_usd_per_year"], "ops_usd_per_year", where),
                     os_usd_per_unit_year=0.0)
    count = spec.get("count", 0)
    if not isinstance(count, int) or not 1 <= count <= MAX_SBI_COUNT:
        raise InputError(f"{where}: sbi needs a whole count from 1 to {MAX_SBI_COUNT:,}, got {count!r}")
    el = _item(spec, where, {**entry, "satellite": block}, "satellite", count, weapon, infl, "sbi")
    return Element(f"{spec.get('name', 'sbi')}/satellites", el.layer, "sbi", "sbi", count, "satellite", el.params,
                   where), block.get("fielded_now")
