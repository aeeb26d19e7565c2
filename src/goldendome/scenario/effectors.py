"""Scenario effector elements -> :class:`~goldendome.effectors.batteries.Battery` and
:class:`~goldendome.effectors.batteries.SbiLayer` (input checked here, at the edge).

An architecture lists its effectors as plain mappings (scenario ``architecture.effectors``)::

    {kind: battery, type: thaad, site: seattle, inventory: 48, pk: 0.8}
    {kind: ship, type: sm3-iia, site: "40.0,-150.0", inventory: 24}
    {kind: laser, type: laser-ground, site: washington-dc}
    {kind: sbi, count: 1600, altitude_km: 300, inclination_deg: 45}

One such mapping plus its catalog entry (interceptors.yaml) becomes a Battery or an SbiLayer.
Any catalog parameter may be overridden inline; an unknown key or a bad value raises
:class:`goldendome.errors.InputError` with a one-line message.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

from ..effectors import kinetic, laser
from ..effectors.batteries import DEEP_MAGAZINE, LASER_PK, LASER_SHOT_COST_USD, SBI_PK, Battery, SbiLayer
from ..effectors.layers import LAYER_BY_TYPE, LAYER_NAMES, Layer
from ..errors import InputError
from ..space import sbi as sbi_mod
from . import catalog
from .costing import SBI_COST_KEYS

KINETIC_KINDS = ("battery", "ship", "site")
_BASE_KEYS = {"kind", "type", "site", "inventory", "name", "pk", "layer", "radar"}  # radar: the organic one (scenario/build.py)
_SBI_KEYS = {"kind", "type", "name", "count", "altitude_km", "inclination_deg", "planes", "phasing", "step_s",
             "pk", "delta_v_m_s", "accel_m_s2", "delay_s", "mass_kg", "deadline", "unit_cost_usd",
             # cost only (scenario/costing.py): the engine ignores them
             "launch_usd_per_kg", "ops_usd_per_year", *SBI_COST_KEYS}


def battery_from_spec(spec: Mapping, place_resolver: Callable, entries: Mapping[str, dict],
                      where: str = "effector") -> Battery | SbiLayer:
    """Build a :class:`Battery` (or :class:`SbiLayer` for ``kind: sbi``) from an inline element.

    Parameters
    ----------
    spec : mapping
        The element: ``kind``, ``type`` (catalog id), ``site``, optional ``inventory``,
        ``name``, ``pk``, ``layer`` and any catalog parameter to override.
    place_resolver : callable
        ``place_resolver(site) -> (lat_rad, lon_rad)``; given by the scenario layer.
    entries : mapping
        Catalog interceptor table (interceptors.yaml ``interceptors``), id -> entry.
    where : str
        Prefix of error messages (e.g. ``architecture.effectors[2]``).

    Returns
    -------
    Battery or SbiLayer

    Raises
    ------
    InputError
        Unknown type or key, missing site, or a value the weapon rejects (one line).
    """
    kind = str(spec.get("kind", "battery"))
    if kind == "sbi":
        return _sbi_from_spec(spec, entries, where)
    itype = str(spec.get("type", ""))
    entry = _entry(entries, itype, where)
    is_laser = entry.get("class") == "directed-energy"
    _check_kind(kind, itype, is_laser, entry, where)
    allowed = _BASE_KEYS | set(laser._FLOATS if is_laser else kinetic._FIELDS) | {"cost_year"}
    _check_keys(spec, allowed, where)
    if "site" not in spec:
        raise InputError(f"{where}: {kind} '{itype}' needs a site (a place id or LAT,LON)")
    lat, lon = place_resolver(spec["site"])
    merged = {**entry, **{k: v for k, v in spec.items() if k not in _BASE_KEYS}}
    weapon = _weapon(itype, merged, is_laser, where)
    pk = LASER_PK if is_laser else weapon.pk
    pk = _number(spec.get("pk", pk), "pk", where, 0.0, 1.0)
    if not 0.0 <= pk <= 1.0:
        raise InputError(f"{where}: pk must be in [0, 1], got {pk}")
    if not is_laser and pk != weapon.pk:
        weapon = replace(weapon, pk=pk)
    name = str(spec.get("name", f"{itype}@{spec['site']}"))
    return Battery(name, itype, kind, float(lat), float(lon), _inventory(spec, weapon, where), weapon,
                   _layer(spec, itype, is_laser, where), pk,
                   LASER_SHOT_COST_USD if is_laser else float(weapon.unit_cost_usd))


def _entry(entries, itype, where) -> dict:
    if itype not in entries:
        raise InputError(f"{where}: unknown interceptor type '{itype}' (known: {', '.join(entries)})")
    return dict(entries[itype])


def _check_kind(kind, itype, is_laser, entry, where) -> None:
    if kind == "laser" and not is_laser:
        raise InputError(f"{where}: kind 'laser' needs a directed-energy type, '{itype}' is {entry.get('class')}")
    if kind in KINETIC_KINDS and (is_laser or entry.get("class") != "kinetic"):
        hint = "kind: laser" if is_laser else "kind: sbi"
        raise InputError(f"{where}: type '{itype}' cannot be a {kind}; use {hint}")
    if kind not in KINETIC_KINDS + ("laser",):
        raise InputError(f"{where}: unknown effector kind '{kind}' (battery, ship, site, laser, sbi)")


def _check_keys(spec, allowed, where) -> None:
    extra = sorted(set(spec) - allowed)
    if extra:
        raise InputError(f"{where}: unknown parameter '{extra[0]}' for {spec.get('kind', 'battery')} "
                         f"'{spec.get('type', '')}' (allowed: {', '.join(sorted(allowed))})")


def _number(v, key, where, lo: float = -math.inf, hi: float = math.inf, whole: bool = False,
            infinite: bool = False) -> float:
    """A finite number in [lo, hi] (``infinite``: +inf allowed too; ``whole``: an integer), else one line."""
    try:
        x = float(v) if not isinstance(v, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"{where}: {key} must be a number, got {v!r}") from None
    ok = (math.isfinite(x) or (infinite and x == math.inf)) and lo <= x <= hi and (not whole or x == math.floor(x))
    if not ok:
        kind = "a whole number" if whole else "a number"
        raise InputError(f"{where}: {key} must be {kind} from {lo:,g} to {hi:,g}{' or .inf' if infinite else ''}, "
                         f"got {v!r}")
    return x


def _weapon(itype, merged, is_laser, where):
    try:
        return laser.laser_from_entry(itype, merged) if is_laser else kinetic.interceptor_from_entry(itype, merged)
    except (TypeError, ValueError, OverflowError) as e:
        raise InputError(f"{where}: {' '.join(str(e).split())}") from None


def _inventory(spec, weapon, where) -> int:
    if "inventory" in spec:
        n = _number(spec["inventory"], "inventory", where, 0, DEEP_MAGAZINE, whole=True, infinite=True)
    elif isinstance(weapon, laser.Laser):
        n = weapon.magazine_shots
    else:
        n = weapon.rounds * weapon.launchers
    if not 0 <= n <= DEEP_MAGAZINE and not math.isinf(n):
        raise InputError(f"{where}: inventory must be from 0 to {DEEP_MAGAZINE:,} (or .inf), got {n}")
    return DEEP_MAGAZINE if math.isinf(n) else int(n)


def _layer(spec, itype, is_laser, where) -> int:
    if "layer" in spec:
        if spec["layer"] not in LAYER_NAMES:
            raise InputError(f"{where}: layer must be one of {', '.join(LAYER_NAMES)}, got {spec['layer']!r}")
        return Layer.from_label(spec["layer"])
    if is_laser:
        return Layer.BOOST
    if itype not in LAYER_BY_TYPE:
        raise InputError(f"{where}: no layer known for type '{itype}'; give layer: ({', '.join(LAYER_NAMES)})")
    return LAYER_BY_TYPE[itype]


MAX_SBI = 1_000_000  # interceptors in one constellation (as costing.MAX_SBI_COUNT)


def _sbi_from_spec(spec, entries, where) -> SbiLayer:
    _check_keys(spec, _SBI_KEYS, where)
    entry = {**dict(entries.get("sbi", {})), **spec}
    num = {k: _number(entry[k], k, where, 0.0, hi) for k, hi in (("delta_v_m_s", 20e3), ("accel_m_s2", 2000.0),
                                                                   ("delay_s", 3600.0), ("mass_kg", 1e5)) if k in entry}
    try:
        kv = sbi_mod.Interceptor(**num, **({"deadline": str(entry["deadline"])} if "deadline" in entry else {}))
    except ValueError as e:
        raise InputError(f"{where}: {' '.join(str(e).split())}") from None
    count = int(_number(spec.get("count", 0), "count", where, 1, MAX_SBI, whole=True))
    pk = _number(entry.get("pk", SBI_PK), "pk", where, 0.0, 1.0)
    opt = lambda k, hi: None if spec.get(k) is None else int(_number(spec[k], k, where, 0 if k == "phasing" else 1,  # noqa: E731
                                                                      hi, whole=True))
    return SbiLayer(count, _number(spec.get("altitude_km", 300.0), "altitude_km", where, 150.0, 2000.0) * 1e3,
                    math.radians(_number(spec.get("inclination_deg", 45.0), "inclination_deg", where, 0.0, 180.0)),
                    opt("planes", count), opt("phasing", count), _number(spec.get("step_s", 20.0), "step_s", where, 1.0,
                                                                         600.0), kv, pk,
                    _number(entry.get("unit_cost_usd", 0.0), "unit_cost_usd", where, 0.0), str(spec.get("name", "sbi")))


def site_radians(site) -> tuple[float, float]:
    """A scenario ``site`` (catalog name, "lat,lon" or {lat, lon}) as (lat, lon) in radians."""
    p = catalog.place(catalog.place_spec(site))
    return p.lat, p.lon


def batteries(sc) -> list[Battery | SbiLayer]:
    """The scenario's effectors (batteries, ships, lasers, SBI layers)."""
    entries = catalog.table("interceptors.yaml", "interceptors")
    return [battery_from_spec(dict(e), site_radians, entries, where=f"architecture.effectors[{i}]")
            for i, e in enumerate(sc.architecture.effectors)]
