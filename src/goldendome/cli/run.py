"""`goldendome run`, `track`, `demo` and `runs list|show`: engagements run and kept in the store."""

from __future__ import annotations

from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from . import defaults
from .defaults import STORE as DEFAULT_PATH
from .lazy import lazy
from .console import console, emit, print_dict, print_kill_chain, print_table, with_progress

app_demo, app_run = lazy("goldendome.app.demo"), lazy("goldendome.app.run")
app_runs, app_track = lazy("goldendome.app.runs"), lazy("goldendome.app.track")

runs_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Stored runs (DuckDB).")


def track(scenario: str = typer.Argument(..., help="scenario YAML (goldendome/v1)"),
          scan_s: float = typer.Option(defaults.SCAN_S, help="battle-management update interval, s"),
          as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Observe a scenario's threats with its sensors, track them, and score the tracks per object."""
    out = app_track.track(scenario, scan_s)
    emit(out, as_json, _print_track)


def _print_track(out) -> None:
    table = Table(title=f"{out['scenario']}: {out['tracks_firm']} firm of {out['tracks_started']} tracks started")
    cols = ["object", "missile_id", "kind", "first_detect_s", "firm_track_s", "rmse_pos_m", "rmse_vel_m_s",
            "discrimination"]
    for c in cols + ["fire control (gbi / thaad) s"]:
        table.add_column(c, justify="right")
    for o in out["objects"]:
        fc = o["fire_control_from_s"]
        table.add_row(*(str(o[c]) for c in cols), f"{fc.get('gbi')} / {fc.get('thaad')}")
    console.print(table)
    print_dict({s["sensor"]: f"{s['detections']} detections, {s['false_alarms']} false, first at {s['first_t_s']} s"
                 for s in out["sensors"]})


def run(scenario: str = typer.Argument(..., help="scenario YAML (goldendome/v1)"),
        trials: Optional[int] = typer.Option(None, help="Monte Carlo trials (default: the scenario's)"),
        seed: Optional[int] = typer.Option(None, help="random seed (default: the scenario's)"),
        store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the run"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Fly, sense, track, engage and Monte Carlo a scenario; print leakage, shots and cost; store the run."""
    out = with_progress(f"run {scenario}", as_json, app_run.run, path=scenario, trials=trials, seed=seed,
                        store_path=store)
    emit(out, as_json, _print_run)


def _print_run(out: dict) -> None:
    print_dict({k: v for k, v in out.items() if k not in ("why_leaked", "sbi_kill_chain")})
    if out.get("sbi_kill_chain"):
        print_kill_chain(out["sbi_kill_chain"], "SBI kill chain")
    _print_why(out.get("why_leaked") or {})


def _print_why(why: dict) -> None:
    """Per layer, where the kill chain stopped for the leakers (share of leaked trial-RVs, count)."""
    layers, total = why.get("layers") or {}, why.get("leaked") or 0
    if not layers or not total:
        return
    from ..effectors.reasons import WHY_LABELS

    reasons = [r for r in WHY_LABELS if any(r in c for c in layers.values())]
    rows = [{"layer": la, **{r: f"{c[r] / total:.0%} ({c[r]})" if r in c else "-" for r in reasons}}
            for la, c in layers.items()]
    console.print(f"why it leaked, per layer (share of the {total} leaked trial-warheads):")
    print_table(rows)


def demo(trials: Optional[int] = typer.Option(None, help="Monte Carlo trials (default: the scenario's)"),
         store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the run"),
         as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Run the embedded engagement: a North Korean salvo with decoys vs the medium architecture."""
    out = with_progress("demo", as_json, app_demo.run, trials=trials, store_path=store)
    emit(out, as_json, _print_demo)


def _print_demo(out: dict) -> None:
    print_table(out["missiles"], title=app_demo.TITLE)
    _print_run({k: v for k, v in out.items() if k != "missiles"})


def runs_list(store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the runs"),
              as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Stored runs, newest first."""
    rows = app_runs.list_runs(store)
    emit({"runs": rows}, as_json, lambda o: _print_runs(o["runs"]))


def runs_show(run_id: str, store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the runs"),
              as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """One stored run: scenario, seed, trials and metrics."""
    row = app_runs.show(run_id, store)
    emit(row, as_json, print_dict)


def _print_runs(rows) -> None:
    table = Table(title="runs")
    for c in ("run_id", "name", "created", "trials", "p_no_leak", "expected_leakers"):
        table.add_column(c)
    for r in rows:
        m = r.get("metrics", {})
        table.add_row(*(escape(str(v)) for v in (r["run_id"], r["name"], r["created"], r["trials"],
                                                  m.get("p_no_leak"), m.get("expected_leakers"))))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add `track`, `run`, `demo` and the `runs` group."""
    app.command()(track)
    app.command()(run)
    app.command()(demo)
    runs_app.command("list")(runs_list)
    runs_app.command("show")(runs_show)
    app.add_typer(runs_app, name="runs")
