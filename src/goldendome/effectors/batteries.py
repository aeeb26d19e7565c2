"""Batteries, ships, laser sites and SBI constellations from inline scenario elements.

An architecture lists its effectors as plain mappings (scenario ``architecture.effectors``)::

    {kind: battery, type: thaad, site: seattle, inventory: 48, pk: 0.8}
    {kind: ship, type: sm3-iia, site: "40.0,-150.0", inventory: 24}
    {kind: laser, type: laser-ground, site: washington-dc}
    {kind: sbi, count: 1600, altitude_km: 300, inclination_deg: 45}

This module turns one such mapping plus its catalog entry (interceptors.yaml, passed in by
the scenario layer: domain code reads no files) into a :class:`Battery` or an
:class:`SbiLayer`. Any catalog parameter may be overridden inline; an unknown key raises
:class:`goldendome.errors.InputError` with a one-line message.

Layers (codes shared with :mod:`goldendome.c2`): 0 boost, 1 midcourse, 2 underlayer,
3 terminal. gbi/ngi/sm3-iia are midcourse, ``underlayer`` is the underlayer,
thaad/pac3-mse/sm6 are terminal, SBIs are boost. Lasers are filed under boost (0) here, but
a laser engages whatever phase its range and dwell reach: :mod:`.opportunities` gives each
laser opportunity the layer of the phase the target is in when the dwell starts.

Notes
-----
Default inventory: ``rounds * launchers`` of the catalog entry (kinetic), the magazine
(``magazine_shots``) of a laser. Catalog sources: src/goldendome/catalog/interceptors.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..errors import InputError
from ..space import sbi as sbi_mod
from . import kinetic, laser

BOOST, MIDCOURSE, UNDERLAYER, TERMINAL = 0, 1, 2, 3
LAYER_NAMES = ("boost", "midcourse", "underlayer", "terminal")
LAYER_BY_TYPE = {"gbi": MIDCOURSE, "ngi": MIDCOURSE, "sm3-iia": MIDCOURSE, "underlayer": UNDERLAYER,
                 "thaad": TERMINAL, "pac3-mse": TERMINAL, "sm6": TERMINAL, "sbi": BOOST}
KINETIC_KINDS = ("battery", "ship", "site")

# A power-limited ("deep") laser magazine has no round count; this stands for "more shots
# than any raid needs" in an integer inventory. derived: effectively unlimited.
DEEP_MAGAZINE = 1_000_000
# Single-shot Pk of a laser whose dwell completes. derived: the fluence model is
# deterministic; 0.9 allows for aimpoint wander and target-hardness uncertainty (assumed).
LASER_PK = 0.9
# Cost of one laser shot, USD. crs-r46925 | derived: "dollars per shot" (fuel/electricity
# of order $1-10); 10 assumed.
LASER_SHOT_COST_USD = 10.0
# Single-shot Pk of a space-based kill vehicle when the catalog entry has none.
# derived: assumed, as a hit-to-kill interceptor homing on a bright boosting plume (APS 2003
# discusses kill probability only qualitatively); not a test result.
SBI_PK = 0.8

_BASE_KEYS = {"kind", "type", "site", "inventory", "name", "pk", "layer", "radar"}  # radar: the organic one (scenario/build.py)
_SBI_KEYS = {"kind", "type", "name", "count", "altitude_km", "inclination_deg", "planes", "phasing", "step_s",
             "pk", "delta_v_m_s", "accel_m_s2", "delay_s", "mass_kg", "deadline", "unit_cost_usd"}


@dataclass(frozen=True)
class Battery:
    """One fixed effector: a battery, a ship on station, a silo field or a laser site.

    Attributes
    ----------
    name, type, kind : str
        Display name, catalog id (``thaad``), element kind (battery, ship, site, laser).
    lat_rad, lon_rad : float
        Geodetic latitude and longitude of the launcher or laser, rad.
    inventory : int
        Rounds (kinetic) or shots (laser) available.
    interceptor : kinetic.Interceptor or laser.Laser
        The weapon, with inline overrides applied.
    layer : int
        0 boost, 1 midcourse, 2 underlayer, 3 terminal (lasers: 0; see module docstring).
    pk, shot_cost_usd : float
        Single-shot kill probability and cost of one shot, USD.
    """

    name: str
    type: str
    kind: str
    lat_rad: float
    lon_rad: float
    inventory: int
    interceptor: kinetic.Interceptor | laser.Laser
    layer: int
    pk: float
    shot_cost_usd: float

    @property
    def is_laser(self) -> bool:
        return isinstance(self.interceptor, laser.Laser)


@dataclass(frozen=True)
class SbiLayer:
    """A Walker-delta constellation of space-based interceptors (boost layer).

    Attributes
    ----------
    count : int
        Interceptors in orbit (the Walker shape may round it up, :func:`space.sbi.walker_shape`).
    altitude_m, inclination_rad : float
    planes, phasing : int or None
        Walker planes (default round(sqrt(count))) and phasing F (default 1).
    step_s : float
        Launch-time sampling step for the worst case, s.
    interceptor : space.sbi.Interceptor
    pk, shot_cost_usd : float
    name : str
    """

    count: int
    altitude_m: float = 300e3
    inclination_rad: float = math.radians(45.0)
    planes: int | None = None
    phasing: int | None = None
    step_s: float = 20.0
    interceptor: sbi_mod.Interceptor = field(default_factory=sbi_mod.Interceptor)
    pk: float = SBI_PK
    shot_cost_usd: float = 0.0
    name: str = "sbi"
    type: str = "sbi"
    kind: str = "sbi"
    layer: int = BOOST


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
    pk = _number(spec.get("pk", pk), "pk", where)
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


def _number(v, key, where) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {key} must be a number, got {v!r}") from None


def _weapon(itype, merged, is_laser, where):
    try:
        return laser.laser_from_entry(itype, merged) if is_laser else kinetic.interceptor_from_entry(itype, merged)
    except (TypeError, ValueError) as e:
        raise InputError(f"{where}: {' '.join(str(e).split())}") from None


def _inventory(spec, weapon, where) -> int:
    if "inventory" in spec:
        n = _number(spec["inventory"], "inventory", where)
    elif isinstance(weapon, laser.Laser):
        n = weapon.magazine_shots
    else:
        n = weapon.rounds * weapon.launchers
    if not n >= 0:
        raise InputError(f"{where}: inventory must be >= 0, got {n}")
    return DEEP_MAGAZINE if math.isinf(n) else int(n)


def _layer(spec, itype, is_laser, where) -> int:
    if "layer" in spec:
        if spec["layer"] not in LAYER_NAMES:
            raise InputError(f"{where}: layer must be one of {', '.join(LAYER_NAMES)}, got {spec['layer']!r}")
        return LAYER_NAMES.index(spec["layer"])
    if is_laser:
        return BOOST
    if itype not in LAYER_BY_TYPE:
        raise InputError(f"{where}: no layer known for type '{itype}'; give layer: ({', '.join(LAYER_NAMES)})")
    return LAYER_BY_TYPE[itype]


def _sbi_from_spec(spec, entries, where) -> SbiLayer:
    _check_keys(spec, _SBI_KEYS, where)
    entry = {**dict(entries.get("sbi", {})), **spec}
    num = {k: _number(entry[k], k, where) for k in ("delta_v_m_s", "accel_m_s2", "delay_s", "mass_kg") if k in entry}
    try:
        kv = sbi_mod.Interceptor(**num, **({"deadline": str(entry["deadline"])} if "deadline" in entry else {}))
    except ValueError as e:
        raise InputError(f"{where}: {' '.join(str(e).split())}") from None
    count = int(_number(spec.get("count", 0), "count", where))
    pk = _number(entry.get("pk", SBI_PK), "pk", where)
    if count < 1 or not 0.0 <= pk <= 1.0:
        raise InputError(f"{where}: sbi needs count >= 1 and pk in [0, 1], got {count}, {pk}")
    opt = lambda k: None if spec.get(k) is None else int(_number(spec[k], k, where))
    return SbiLayer(count, _number(spec.get("altitude_km", 300.0), "altitude_km", where) * 1e3,
                    math.radians(_number(spec.get("inclination_deg", 45.0), "inclination_deg", where)),
                    opt("planes"), opt("phasing"), _number(spec.get("step_s", 20.0), "step_s", where), kv, pk,
                    _number(entry.get("unit_cost_usd", 0.0), "unit_cost_usd", where), str(spec.get("name", "sbi")))
