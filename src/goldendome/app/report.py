"""`goldendome report`: one offline HTML file (and optional PNGs) of a stored run or a plan.

A run's report reads the DuckDB store (summary metrics, per-trial outcomes, the 'replay'
artifact); a plan's reads ``PLAN_DIR/plan.json``. Neither recomputes physics.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from ..report import png
from ..report.html import page
from ..report.pages import plan_sections, run_sections
from ..study.store import DEFAULT_PATH, Store


def report(source: str, out: Path, png_dir: Path | None = None, store_path=DEFAULT_PATH) -> dict:
    """Write the HTML report of a run id or a plan directory.

    Parameters
    ----------
    source : str
        A run id in ``store_path``, or a directory holding ``plan.json`` (or that file).
    out : Path
        The HTML file to write (its folder is created).
    png_dir : Path, optional
        Where to write the key figures as PNG (matplotlib).
    store_path : str or Path
        The DuckDB run store.

    Returns
    -------
    dict
        ``path``, ``bytes``, ``kind`` ('run' or 'plan'), ``figures`` (figure keys in the
        page) and ``pngs`` (paths written).

    Raises
    ------
    InputError
        Unknown run id, missing store, run without replay, missing or malformed plan.json.
    """
    plan_file = _plan_file(source)
    if plan_file is not None:
        plan = load_plan(plan_file)
        title, subtitle, sections = plan_sections(plan, plan_file)
        draw = (lambda d: png.plan_pngs(plan, d))
    else:
        run, replay, outcomes = load_run(source, store_path)
        title, subtitle, sections = run_sections(run, replay, outcomes)
        draw = (lambda d: png.run_pngs(run["metrics"], replay, outcomes, d))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(title, subtitle, sections), encoding="utf-8")
    pngs = [str(p) for p in draw(Path(png_dir))] if png_dir is not None else []
    return {"path": str(out), "bytes": out.stat().st_size, "kind": "plan" if plan_file else "run",
            "figures": [s.key for s in sections if s.figure is not None], "pngs": pngs}


# ------------------------------------------------------------------------------------ loading

def _plan_file(source: str) -> Path | None:
    """plan.json of a plan source, None when ``source`` is to be read as a run id."""
    p = Path(source)
    if p.is_dir():
        return p / "plan.json"
    if p.is_file():
        return p
    if "/" in source or "\\" in source or source.endswith(".json"):
        raise InputError(f"{source}: no such plan directory or file")
    return None


def load_run(run_id: str, store_path) -> tuple[dict, dict, dict]:
    """A stored run's row (with metrics), its replay document and its outcome columns."""
    if not Path(store_path).is_file():
        raise InputError(f"{store_path}: no run store here (give --store, or make one with `goldendome run`)")
    store = Store(store_path)
    run = store.get_run(run_id)
    replay = store.artifact(run_id, "replay")
    if replay is None:
        raise InputError(f"run {run_id!r}: stored without a replay; run its scenario again to report it")
    return run, replay, store.outcomes(run_id)


def _need(obj, key: str, where: str, kind: type | tuple = object):
    if not isinstance(obj, dict) or key not in obj:
        raise InputError(f"{where}: missing field {key!r}")
    if not isinstance(obj[key], kind):
        raise InputError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}, got {type(obj[key]).__name__}")
    return obj[key]


def load_plan(path: Path) -> dict:
    """Read and check ``plan.json`` (architectures with cost and threat sets; priorities)."""
    try:
        plan = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no plan.json (write one with `goldendome plan`)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: not valid JSON ({str(err).splitlines()[0]})") from None
    for i, a in enumerate(_need(plan, "architectures", str(path), list)):
        where = f"{path}: architectures[{i}]"
        _need(a, "name", where, str), _need(a, "total_cost_usd", where, (int, float))
        for name, ts in _need(a, "threat_sets", where, dict).items():
            _need(ts, "p_no_leak", f"{where}.threat_sets.{name}", (int, float))
    for i, p in enumerate(plan.setdefault("priorities", [])):
        for key in ("rank", "lat", "lon"):
            _need(p, key, f"{path}: priorities[{i}]", (int, float))
    return plan
