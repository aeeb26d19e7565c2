"""`goldendome demo`: the embedded engagement, end to end.

A North Korean salvo with decoys against the medium reference architecture (the scenario
file ``demo.yaml`` beside this module, also at scenarios/nk-salvo-vs-medium.yaml). The demo
copies the scenario to ``goldendome-demo/scenario.yaml`` so it can be edited and re-run,
runs it (threats, sensors, tracks, engagement, Monte Carlo), keeps the run in the store and
prints the summary and one row per missile, and writes the run's offline HTML report to
``goldendome-demo/report.html``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..study.store import DEFAULT_PATH, Store
from . import run as app_run

TITLE = "goldendome demo: North Korean salvo with decoys vs the medium architecture, one row per missile"
OUT_DIR = Path("goldendome-demo")


def scenario_text() -> str:
    """The embedded demo scenario (YAML)."""
    return resources.files("goldendome.app").joinpath("demo.yaml").read_text(encoding="utf-8")


def run(trials: int | None = None, out_dir: Path = OUT_DIR, store_path=DEFAULT_PATH, progress=app_run.no_progress) -> dict:
    """Run the demo; returns the run summary plus 'missiles' rows and the scenario path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "scenario.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    from . import report as app_report  # plotly and matplotlib load only when a report is written

    out = app_run.run(path, trials=trials, store_path=store_path, progress=progress)
    replay = Store(store_path).artifact(out["run_id"], "replay")
    report = app_report.report(out["run_id"], out_dir / "report.html", store_path=store_path)
    return {**out, "scenario": str(path), "report": str(report["path"]), "missiles": missile_rows(replay)}


def missile_rows(replay: dict) -> list[dict]:
    """One row per missile (salvo member): target, RVs and decoys, engagement and leakage."""
    rows: dict[int, dict] = {}
    for o in replay["objects"]:
        r = rows.setdefault(o["salvo"], {"missile": o["missile_id"], "target": None, "rvs": 0, "decoys": 0,
                                         "p_rv_killed": 0.0, "p_leak": 0.0, "first_shot_s": None, "killed_by": {}})
        if o["kind"] == "decoy":
            r["decoys"] += 1
            continue
        r["rvs"] += 1
        r["target"] = o["asset"]
        r["p_rv_killed"] += o["p_killed"] or 0.0
        r["p_leak"] += o["p_leak"] or 0.0
        if o["first_shot_s"] is not None:
            r["first_shot_s"] = min(r["first_shot_s"] or o["first_shot_s"], o["first_shot_s"])
        for layer, p in o["kill_layer_share"].items():
            r["killed_by"][layer] = r["killed_by"].get(layer, 0.0) + (p or 0.0)
    return [_row(k, r) for k, r in sorted(rows.items())]


def _row(k: int, r: dict) -> dict:
    layers = {a: b for a, b in r.pop("killed_by").items() if b > 0.005}
    return {"#": k, **r, "p_rv_killed": round(r["p_rv_killed"], 3), "p_leak": round(r["p_leak"], 4),
            "first_shot_s": None if r["first_shot_s"] is None else round(r["first_shot_s"]),
            "kills_by_layer": ", ".join(f"{a} {b:.2f}" for a, b in layers.items()) or "-"}
