"""`goldendome catalog` and `goldendome schema`: what the catalog holds, and the scenario file format.

:func:`catalog` lists every kind of id a scenario can name (missiles, interceptors, radars, space
sensors, places, threat sets, architecture and asset presets), each with a one-line description.
:func:`show` gives every parameter of one entry with its unit (where the field name carries it)
and its source: the reference keys resolved to their citations (references*.yaml) and the
"derived:" / "assumed" note as the catalog writes it.
"""

from __future__ import annotations

import difflib
import math
import re


from ..errors import InputError
from ..scenario import assets as scenario_assets
from ..scenario import catalog as cat
from ..scenario import presets
from ..scenario.schema import Scenario

# kind -> key of the listing (JSON) and its title
KINDS = {
    "missile": ("missiles", "missiles"),
    "interceptor": ("interceptors", "interceptors (kinetic, directed energy, space-based)"),
    "radar": ("radars", "ground and sea radars"),
    "space-sensor": ("space_sensors", "space sensors"),
    "place": ("places", "places (sites and regions)"),
    "threat-set": ("threat_sets", "threat sets"),
    "architecture": ("architectures", "architecture presets"),
    "asset-preset": ("asset_presets", "asset presets"),
}
_ALIASES = {"sensor": "space-sensor", "space-ir": "space-sensor", "site": "place", "region": "place",
            "preset": "architecture", "architecture-preset": "architecture", "assets": "asset-preset",
            "threats": "threat-set", "effector": "interceptor", "laser": "interceptor", "sbi": "interceptor",
            "kinetic": "interceptor"}

NO_SOURCE = "(none given)"


def kind_of(text: str | None) -> str | None:
    """The kind named by ``text`` (singular, plural, '_' or '-' alike, a few aliases); None stays None."""
    if text is None:
        return None
    k = text.strip().lower().replace("_", "-").replace(" ", "-")
    for cand in (k, k[:-1] if k.endswith("s") else k):
        cand = _ALIASES.get(cand, cand)
        if cand in KINDS:
            return cand
    raise InputError(f"unknown catalog kind '{text}' (kinds: {', '.join(KINDS)})")


# --- listing -------------------------------------------------------------------------------------

def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def _missiles() -> dict:
    out = {}
    for mid in cat.missile_ids():
        m = cat.missile_entry(mid)
        out[mid] = {"name": m.get("name", mid), "class": m["class"], "sources": dict(m.get("sources", {})),
                    "description": _one_line(m.get("name", mid))}
    return out


def _named(file: str, key: str, *fields: str) -> dict:
    return {i: {**{f: e.get(f, "") for f in fields}, "name": e.get("name", i), "description": _one_line(e.get("name", i))}
            for i, e in cat.table(file, key).items()}


def _places() -> dict:
    return {s.id: {"name": s.name, "kind": s.kind, "lat": s.lat_deg, "lon": s.lon_deg, "radius_km": s.radius_km,
                   "source": s.source, "description": _one_line(f"{s.name} ({s.kind})")}
            for s in cat.sites().values()}


def _threat_sets() -> dict:
    out = {}
    for n in presets.threat_set_names():
        ts = presets.threat_set(n)
        out[n] = {"adversary": ts.get("adversary", ""), "nominal": ts.get("nominal"),
                  "description": _one_line(ts.get("description", ""))}
    return out


def _architectures() -> dict:
    return {n: {"description": _one_line(presets.describe(n))} for n in presets.names()}


def _asset_presets() -> dict:
    return {n: {"description": _one_line(scenario_assets.PRESETS[n])} for n in scenario_assets.preset_names()}


_LISTERS = {
    "missile": _missiles,
    "interceptor": lambda: _named("interceptors.yaml", "interceptors", "class", "kind"),
    "radar": lambda: _named("radars.yaml", "radars", "kind", "band"),
    "space-sensor": lambda: _named("sensors.yaml", "sensors", "kind"),
    "place": _places,
    "threat-set": _threat_sets,
    "architecture": _architectures,
    "asset-preset": _asset_presets,
}


def catalog(kind: str | None = None) -> dict:
    """Every catalog id by kind, each with a one-line description; ``kind`` keeps one kind.

    Keys: ``missiles`` (name, class, sources), ``interceptors``, ``radars``, ``space_sensors``,
    ``places`` (name, kind, lat, lon, radius_km, source), ``threat_sets``, ``architectures``,
    ``asset_presets``; ``kinds`` (kind -> its ids) and ``references`` (every reference key ->
    citation; without ``kind`` only).
    """
    k = kind_of(kind)
    out = {KINDS[n][0]: fn() for n, fn in _LISTERS.items() if k in (None, n)}
    out["kinds"] = {n: list(out[KINDS[n][0]]) for n in KINDS if KINDS[n][0] in out}
    if k is None:
        out["references"] = cat.all_references()
    return out


def _ids() -> dict[str, list[str]]:
    """kind -> ids, without building the descriptions."""
    return {
        "missile": cat.missile_ids(),
        "interceptor": list(cat.table("interceptors.yaml", "interceptors")),
        "radar": list(cat.table("radars.yaml", "radars")),
        "space-sensor": list(cat.table("sensors.yaml", "sensors")),
        "place": list(cat.sites()),
        "threat-set": presets.threat_set_names(),
        "architecture": presets.names(),
        "asset-preset": scenario_assets.preset_names(),
    }


# --- sources and units ---------------------------------------------------------------------------

_UNITS = {  # field-name suffix (lower case, '_'-separated tokens) -> unit
    "usd_per_unit_year": "USD/unit/year", "usd_per_year": "USD/year", "usd_per_kg": "USD/kg", "per_year": "1/year",
    "m_s2": "m/s^2", "m_s": "m/s", "kg_m2": "kg/m^2", "j_m2": "J/m^2", "w_m2": "W/m^2", "w_sr": "W/sr",
    "per_m": "1/m", "short_tons": "short tons", "kg": "kg", "s": "s", "km": "km", "m": "m", "m2": "m^2",
    "deg": "deg", "rad": "rad", "mrad": "mrad", "urad": "urad", "ghz": "GHz", "mhz": "MHz", "hz": "Hz",
    "w": "W", "k": "K", "usd": "USD", "years": "years", "fy": "fiscal year",
}
_BARE_UNITS = {"lat": "deg", "lon": "deg", "cost_year": "year"}


def unit_of(name: str) -> str:
    """The unit a field name carries in its suffix (``burnout_speed_m_s`` -> m/s), else ''."""
    leaf = re.sub(r"\[\d+\]$", "", name.rsplit(".", 1)[-1])
    if leaf in _BARE_UNITS:
        return _BARE_UNITS[leaf]
    tokens = leaf.lower().split("_")
    for n in (4, 3, 2, 1):
        if len(tokens) > n and "_".join(tokens[-n:]) in _UNITS:
            return _UNITS["_".join(tokens[-n:])]
    return ""


_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def parse_source(text, refs: dict) -> dict:
    """A source string "<key>[, <key>...][ | derived: <note>]" as {source, references, note}.

    ``references`` are the keys (each resolved by the caller through ``refs``); ``note`` is the
    "derived: ..." / "assumed ..." text as written. Prose that is not a key list is all note.
    """
    if text is None:
        return {"source": NO_SOURCE, "references": [], "note": ""}
    s = _one_line(text)
    head, _, note = s.partition("|")
    keys = [k.strip() for k in head.split(",") if k.strip()]
    if not keys or not all(_KEY.match(k) for k in keys) or (not note and not any(k in refs for k in keys)):
        m = re.match(r"^([A-Za-z0-9._-]+(?:\s*,\s*[A-Za-z0-9._-]+)*)\s*:\s*(.*)$", s)  # "key: note" (preset comments)
        if m and all(k.strip() in refs for k in m.group(1).split(",")):
            return {"source": s, "references": [k.strip() for k in m.group(1).split(",")], "note": m.group(2)}
        mentioned = [t for t in dict.fromkeys(re.findall(r"[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]", s)) if t in refs]
        return {"source": s, "references": mentioned, "note": s}
    return {"source": s, "references": keys, "note": note.strip()}


def _plain(v):
    """JSON-safe value: non-finite floats as text, tuples as lists."""
    if isinstance(v, float) and not math.isfinite(v):
        return "inf" if v > 0 else "-inf" if v < 0 else "nan"
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return v


def _lookup(maps: list[tuple[dict, int]], parts: list[str]):
    """The source of the field at ``parts``: innermost sources map first; full path, leaf, then ancestors."""
    for smap, depth in reversed(maps):
        rel = [re.sub(r"\[\d+\]$", "", p) for p in parts[depth:]]
        if not rel:
            continue
        for cand in [".".join(rel), rel[-1]] + [".".join(rel[:i]) for i in range(len(rel) - 1, 0, -1)]:
            if cand in smap:
                return smap[cand]
    return None


def _flatten(d: dict, parts: list[str], maps: list[tuple[dict, int]], inherited, rows: list, section: str = "") -> None:
    smap = d.get("sources") if isinstance(d.get("sources"), dict) else None
    if smap:
        maps = maps + [(smap, len(parts))]
    own = d.get("source") if isinstance(d.get("source"), str) else None
    if own is not None:  # an entry's own source covers all its fields, before any outer sources map
        inherited, maps = own, [m for m in maps if m[1] >= len(parts)]
    for k, v in d.items():
        if (k == "sources" and smap is not None) or (k == "source" and own is not None):
            continue
        here = parts + [str(k)]
        src = _lookup(maps, here)
        src = src if src is not None else inherited
        if isinstance(v, dict) and v:
            _flatten(v, here, maps, src, rows, section)
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for i, x in enumerate(v):
                _flatten(x, parts + [f"{k}[{i}]"], maps, src, rows, section)
        else:
            rows.append((section, ".".join(here), v, src))


def _param(section: str, name: str, value, source, refs: dict, used: dict) -> dict:
    p = parse_source(source, refs)
    for k in p["references"]:
        used[k] = refs.get(k)
    return {"section": section, "name": name, "value": _plain(value), "unit": unit_of(name), "source": p["source"],
            "references": p["references"], "citations": [refs.get(k) or f"{k} (not in references*.yaml)"
                                                         for k in p["references"]], "note": p["note"]}


# --- one entry -----------------------------------------------------------------------------------

def _related(kind: str, item: str) -> list[tuple[str, dict]]:
    """The entry itself and the other catalog tables keyed by the same id (fire control, cost ...)."""
    files = {"missile": ("missiles.yaml", "missiles"), "interceptor": ("interceptors.yaml", "interceptors"),
             "radar": ("radars.yaml", "radars"), "space-sensor": ("sensors.yaml", "sensors")}
    if kind == "place":
        data = cat.table("sites.yaml", "sites") if item in cat.table("sites.yaml", "sites") else \
            cat.table("sites.yaml", "regions")
        out = [("", data[item])]
        for group in ("strategic", "forward", "ports"):
            if item in cat.table("assets.yaml", group):
                out.append((f"asset ({group})", cat.table("assets.yaml", group)[item]))
        return out
    out = [("", cat.table(*files[kind])[item])]
    extra = {"interceptor": [("fire control", "fire_control.yaml", "fire_control"), ("cost", "costs.yaml", "costs"),
                             ("battery", "assets.yaml", "batteries")],
             "radar": [("discrimination", "discrimination.yaml", "sensors"), ("cost", "costs.yaml", "costs")],
             "space-sensor": [("discrimination", "discrimination.yaml", "sensors"), ("cost", "costs.yaml", "costs")]}
    for section, file, key in extra.get(kind, []):
        if item in cat.table(file, key):
            out.append((section, cat.table(file, key)[item]))
    return out


_RAID_NOTE = "assumed: raid sizes are study choices, not intelligence estimates (scenario/threat_sets.yaml)"


def _threat_set_rows(name: str) -> list[tuple]:
    ts = presets.threat_set(name)
    rows = [("", "adversary", ts["adversary"], None)] if "adversary" in ts else []
    rows += [("", k, ts[k], _RAID_NOTE) for k in ("nominal", "raid_sizes") if k in ts]
    for i, s in enumerate(ts.get("salvos", [])):
        ids = ", ".join(str(s[k]) for k in ("missile", "launch", "target") if k in s)
        rows.append(("", f"salvos[{i}]", s, f"assumed: study choice; catalog ids {ids} carry their own sources "
                                             f"(`goldendome catalog show ID`)"))
    return rows


def _asset_preset_rows(name: str) -> list[tuple]:
    members = scenario_assets.preset(name)
    src = {}
    for group in ("strategic", "forward", "ports"):
        src.update({i: e.get("source") for i, e in cat.table("assets.yaml", group).items()})
    city, airport = cat.table("assets.yaml", "cities")["source"], cat.table("assets.yaml", "airports")["source"]
    rows = [("", "locations", len(members), f"derived: the preset's members ({scenario_assets.PRESETS[name]})")]
    for i, m in enumerate(members):
        s = src.get(m["id"]) or (airport if m["id"].startswith("airport-") else city)
        rows.append(("", f"members[{i}]", {"id": m["id"], "value_share": round(m["value"], 6),
                                           "category": m["category"]}, s))
    return rows


def _entry_rows(kind: str, item: str) -> tuple[str, list[tuple]]:
    if kind == "architecture":
        return _one_line(presets.describe(item)), presets.annotated_rows(item)
    if kind == "threat-set":
        return _one_line(presets.threat_set(item).get("description", "")), _threat_set_rows(item)
    if kind == "asset-preset":
        return _one_line(scenario_assets.PRESETS[item]), _asset_preset_rows(item)
    rows: list = []
    related = _related(kind, item)
    for section, data in related:
        _flatten(data, [], [], None, rows, section)
    return _one_line(related[0][1].get("name", item)), rows


def _suggest(item: str, ids: dict[str, list[str]], kind: str | None) -> str:
    pool = sorted({i for k, v in ids.items() if kind in (None, k) for i in v})
    near = difflib.get_close_matches(item, pool, n=3, cutoff=0.5)
    if not near:
        near = difflib.get_close_matches(item.lower(), [p.lower() for p in pool], n=3, cutoff=0.3)
    return f"nearest: {', '.join(near)}" if near else "no close match"


def show(item: str, kind: str | None = None) -> dict:
    """Every parameter of catalog entry ``item`` with unit and source; ``kind`` picks one of several.

    Returns {id, kind, description, parameters: [{section, name, value, unit, source, references,
    citations, note}], references: {key: citation}}. Raises InputError (one line) for an unknown
    id (naming the nearest ids) or an id found in several kinds (asking for --kind).
    """
    k = kind_of(kind)
    ids = _ids()
    found = [n for n, v in ids.items() if item in v]
    if k is not None and k not in found:
        elsewhere = f"; '{item}' is listed under --kind {', '.join(found)}" if found else ""
        raise InputError(f"no {k} '{item}' in the catalog ({_suggest(item, ids, k)}{elsewhere})")
    if k is None and not found:
        raise InputError(f"unknown catalog id '{item}' ({_suggest(item, ids, None)}; `goldendome catalog` lists every id)")
    if k is None and len(found) > 1:
        raise InputError(f"'{item}' is in several kinds ({', '.join(found)}): add --kind {found[0]} (or another)")
    k = k or found[0]
    description, rows = _entry_rows(k, item)
    refs, used = cat.all_references(), {}
    params = [_param(section, name, value, source, refs, used) for section, name, value, source in rows]
    return {"id": item, "kind": k, "description": description, "parameters": params,
            "references": {key: used[key] for key in sorted(used)}}


def schema() -> dict:
    """The JSON Schema of the scenario file (goldendome/v1)."""
    return Scenario.model_json_schema(by_alias=True)
