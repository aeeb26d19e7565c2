"""What `goldendome serve` offers besides stored runs: scenarios, presets, run inputs, comparisons.

The web app (goldendome.web.app) is a thin HTTP layer over these plain functions. Every file read or written
here is inside one of two folders chosen when the server starts: the scenarios folder (read
only, files listed by name, never by a path from the request) and the data folder (where a
scenario with another architecture or threat set is written before it runs).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import yaml

from ..errors import InputError, NotFound
from ..scenario import load, presets
from ..scenario.threats import objects_of

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")  # a scenario or preset name as the API takes it
RUN_ID_RE = r"^r[0-9a-f]{12}(-[0-9]{1,6})?$"  # Store run ids: 'r' + 12 hex, '-2'... when taken
COMPARE_KEYS = ("p_no_leak", "p_no_leak_ci95", "expected_leakers", "expected_leakers_ci95", "cost_used_usd",
                "defended_value_fraction", "interceptors_used", "leakers_by_asset", "objects", "trials", "seed")


def inside(path: Path, folder: Path) -> bool:
    """True when ``path``, symlinks resolved, lies inside ``folder`` (symlinks resolved too)."""
    try:
        path.resolve(strict=True).relative_to(folder.resolve(strict=True))
    except (OSError, ValueError):
        return False
    return True


def scenario_files(folder: Path) -> dict[str, Path]:
    """``{name: path}`` of the ``*.yaml`` files in ``folder`` that really lie inside it."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return {p.stem: p for p in files if p.is_file() and NAME_RE.match(p.stem) and inside(p, folder)}


def scenario_path(folder: Path, name: str) -> Path:
    """The file of scenario ``name`` (with or without .yaml) in ``folder``; NotFound otherwise."""
    stem = name[:-5] if name.endswith(".yaml") else name[:-4] if name.endswith(".yml") else name
    files = scenario_files(folder)
    if not NAME_RE.match(name) or stem not in files:
        raise NotFound(f"scenario {name!r} is not in the scenarios folder; GET /api/scenarios lists them")
    return files[stem]


def describe_scenario(name: str, path: Path) -> dict:
    """A scenario as the picker shows it: name, title, trials, seed, architecture, threats; or its error."""
    row = {"name": name, "file": path.name}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        sc = load.load(path)
    except (InputError, OSError, yaml.YAMLError) as exc:
        return {**row, "valid": False, "error": str(exc).replace(str(path), path.name)}
    arch = raw.get("architecture") if isinstance(raw, dict) else None
    return {**row, "valid": True, "title": sc.name, "trials": sc.trials, "seed": sc.seed,
            "architecture": arch if isinstance(arch, str) else "inline",
            "missiles": sum(t.count for t in sc.threats),
            "objects": objects_of(sc),
            "threats": [{"missile": t.missile, "count": t.count, "decoys": t.decoys,
                         "launch": _place(t.launch), "target": _place(t.target)} for t in sc.threats]}


def job_scenario(path: Path, trials: int | None = None):
    """The scenario a job will run: the file at ``path`` (already validated) with ``trials`` applied."""
    sc = load.load(path)
    return sc if trials is None else sc.model_copy(update={"trials": int(trials)})


def _place(p) -> str:
    return p if isinstance(p, str) else f"{p.lat},{p.lon}"


def list_scenarios(folder: Path) -> list[dict]:
    """Every scenario in the folder, described (invalid ones say why)."""
    return [describe_scenario(n, p) for n, p in scenario_files(folder).items()]


def preset_names() -> list[str]:
    """Architecture preset names."""
    return list(presets.names())


def list_presets() -> list[dict]:
    """Presets with their one-paragraph descriptions."""
    return [{"name": n, "description": presets.describe(n)} for n in preset_names()]


def list_threat_sets() -> list[dict]:
    """Catalog threat sets (scenario.presets): name, adversary, description, nominal raid, raid sizes."""
    names = presets.threat_set_names()
    keys = ("adversary", "description", "nominal", "raid_sizes")
    return [{"name": n, **{k: presets.threat_set(n).get(k) for k in keys}} for n in names]


def _raid(threat_set: str, missiles: int | None) -> list[dict]:
    if threat_set not in [t["name"] for t in list_threat_sets()]:
        known = ", ".join(t["name"] for t in list_threat_sets()) or "none in this version"
        raise NotFound(f"threat set {threat_set!r} is not in the catalog; one of: {known}")
    return presets.raid(threat_set, missiles)


def run_input(scenarios: Path, data_dir: Path, scenario: str, architecture: str | None = None,
              threat_set: str | None = None, missiles: int | None = None) -> Path:
    """The scenario file to run: the listed file itself, or a variant written into the data folder.

    A variant swaps in an architecture preset and/or a catalog threat set's raid (``missiles``
    of them, default the set's nominal raid), is validated exactly as `goldendome run`
    validates a file (scenario.load), and is removed again when it does not validate.

    Raises
    ------
    NotFound
        Unknown scenario, preset or threat set.
    InputError
        The scenario (or the variant) does not validate; the message names the field.
    """
    path = scenario_path(scenarios, scenario)
    if architecture is None and threat_set is None:
        if missiles is not None:
            raise InputError("missiles: a raid size needs a threat_set")
        _validate(path)
        return path
    data = _mapping(path)
    name = str(data.get("name", path.stem))
    if architecture is not None:
        if architecture not in preset_names():
            raise NotFound(f"architecture {architecture!r} is not a preset; one of: {', '.join(preset_names())}")
        data["architecture"], name = architecture, f"{name}+{architecture}"
    if threat_set is not None:
        data["threats"] = _raid(threat_set, missiles)
        name = f"{name}+{threat_set}-{sum(t['count'] for t in data['threats'])}"
    data["name"] = name
    return _write_variant(data_dir, path.stem, data)


def _validate(path: Path) -> None:
    """scenario.load, with errors naming the file as the API lists it (no server paths)."""
    try:
        load.load(path)
    except InputError as exc:
        raise InputError(str(exc).replace(str(path), path.name)) from None


def _mapping(path: Path) -> dict:
    _validate(path)  # the file must validate before parts of it are reused
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write_variant(data_dir: Path, stem: str, data: dict) -> Path:
    folder = Path(data_dir) / "scenarios"
    folder.mkdir(parents=True, exist_ok=True)
    if not inside(folder, Path(data_dir)):
        raise InputError(f"{folder} leads outside the data folder; refusing to write there")
    out = folder / f"{stem}-{uuid.uuid4().hex[:8]}.yaml"
    header = "# written by `goldendome serve`: a listed scenario with another architecture or threat set\n"
    out.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        load.load(out)
    except InputError as exc:
        out.unlink(missing_ok=True)
        raise InputError(str(exc).replace(str(out), f"{stem} (variant)")) from None
    return out


def compare(runs: list[dict]) -> dict:
    """Runs side by side: the headline metrics of each (``runs`` as Store.get_run returns them)."""
    rows = [{"run_id": r["run_id"], "name": r["name"], "created": r["created"],
             **{k: r["metrics"].get(k) for k in COMPARE_KEYS}} for r in runs]
    return {"runs": rows, "keys": list(COMPARE_KEYS)}
