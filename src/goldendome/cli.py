"""Command line: `goldendome COMMAND`; every command takes --json and then prints one JSON object."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import api, demo as demo_mod, run_api, space_api, track_api
from .study.store import DEFAULT_PATH, Store
from .errors import InputError
from .scenario import catalog

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="goldendome: physics-based trade studies for a layered missile shield.")
runs_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Stored runs (DuckDB).")
app.add_typer(runs_app, name="runs")
sbi_app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help="Space-based boost-phase interceptors: constellation size and cost.")
app.add_typer(sbi_app, name="sbi")
console = Console() if sys.stdout.isatty() else Console(width=120)  # pipes get full tables


def _emit(obj, as_json: bool, table_fn) -> None:
    if as_json:
        typer.echo(json.dumps(obj, sort_keys=True))
    else:
        table_fn(obj)


@app.command()
def fly(missile: str = typer.Option(..., help="catalog missile id (see `goldendome catalog`)"),
        launch: str = typer.Option(..., help="LAT,LON in degrees or a site/region id"),
        target: str = typer.Option(..., help="LAT,LON in degrees or a site id"),
        shape: str = typer.Option("min-energy", help="min-energy | lofted | depressed"),
        apogee_km: Optional[float] = typer.Option(None, help="apogee for lofted/depressed, km"),
        crossrange_km: float = typer.Option(0.0, help="glider: swing this far sideways (right +) before the target, km"),
        as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Fly one missile from LAUNCH to TARGET and print its trajectory figures."""
    row = api.fly(missile, launch, target, shape=shape, apogee_km=apogee_km, crossrange_km=crossrange_km)
    _emit(row, as_json, lambda r: print_rows([r]))


@app.command(name="catalog")
def catalog_cmd(as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """List catalog ids (missiles, sites, regions) with their sources."""
    refs = catalog.all_references()
    missiles = {m: {"name": catalog.missile_entry(m).get("name", m), "class": catalog.missile_entry(m)["class"],
                    "sources": {k: v for k, v in catalog.missile_entry(m).get("sources", {}).items()}}
                for m in catalog.missile_ids()}
    places = {s.id: {"name": s.name, "kind": s.kind, "lat": s.lat_deg, "lon": s.lon_deg,
                     "radius_km": s.radius_km, "source": s.source} for s in catalog.sites().values()}
    obj = {"missiles": missiles, "places": places, "references": refs}
    _emit(obj, as_json, _print_catalog)


@app.command()
def track(scenario: str = typer.Argument(..., help="scenario YAML (goldendome/v1)"),
          scan_s: float = typer.Option(track_api.SCAN_S, help="battle-management update interval, s"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Observe a scenario's threats with its sensors, track them, and score the tracks per object."""
    out = track_api.track(scenario, scan_s)
    _emit(out, as_json, _print_track)


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
    _print_dict({s["sensor"]: f"{s['detections']} detections, {s['false_alarms']} false, first at {s['first_t_s']} s"
                 for s in out["sensors"]})


@app.command()
def run(scenario: str = typer.Argument(..., help="scenario YAML (goldendome/v1)"),
        trials: Optional[int] = typer.Option(None, help="Monte Carlo trials (default: the scenario's)"),
        seed: Optional[int] = typer.Option(None, help="random seed (default: the scenario's)"),
        store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the run"),
        as_json: bool = typer.Option(False, "--json")) -> None:
    """Fly, sense, track, engage and Monte Carlo a scenario; print leakage, shots and cost; store the run."""
    if as_json:
        out = run_api.run(scenario, trials, seed, store)
    else:
        with progress_bar(f"run {scenario}") as advance:
            out = run_api.run(scenario, trials, seed, store, progress=advance)
    _emit(out, as_json, _print_dict)


@contextmanager
def progress_bar(title: str):
    """A rich progress bar on stderr; yields ``advance(stage, fraction_done)``."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=1.0)

        def advance(stage: str, done: float) -> None:
            bar.update(task, completed=done, description=f"{title}: {stage}")
        yield advance


@runs_app.command("list")
def runs_list(store: str = typer.Option(DEFAULT_PATH), as_json: bool = typer.Option(False, "--json")) -> None:
    """Stored runs, newest first."""
    with Store(store) as s:
        rows = s.list_runs()
    _emit({"runs": rows}, as_json, lambda o: _print_runs(o["runs"]))


@runs_app.command("show")
def runs_show(run_id: str, store: str = typer.Option(DEFAULT_PATH), as_json: bool = typer.Option(False, "--json")) -> None:
    """One stored run: scenario, seed, trials and metrics."""
    with Store(store) as s:
        row = s.get_run(run_id)
    _emit(row, as_json, _print_dict)


def _print_runs(rows) -> None:
    table = Table(title="runs")
    for c in ("run_id", "name", "created", "trials", "p_no_leak", "expected_leakers"):
        table.add_column(c)
    for r in rows:
        m = r.get("metrics", {})
        table.add_row(r["run_id"], r["name"], r["created"], str(r["trials"]), str(m.get("p_no_leak")),
                      str(m.get("expected_leakers")))
    console.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario file (goldendome/v1)."""
    from .scenario.schema import Scenario

    typer.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2, sort_keys=True))


@app.command()
def demo(trials: Optional[int] = typer.Option(None, help="Monte Carlo trials (default: the scenario's)"),
         store: str = typer.Option(DEFAULT_PATH, help="DuckDB file that keeps the run"),
         as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Run the embedded engagement: a North Korean salvo with decoys vs the medium architecture."""
    if as_json:
        out = demo_mod.run(trials, store_path=store)
    else:
        with progress_bar("demo") as advance:
            out = demo_mod.run(trials, store_path=store, progress=advance)
    _emit(out, as_json, _print_demo)


def _print_demo(out: dict) -> None:
    print_table(out["missiles"], title=demo_mod.TITLE)
    _print_dict({k: v for k, v in out.items() if k != "missiles"})


@sbi_app.command("size")
def sbi_size(threat: str = typer.Option(..., help="catalog missile id"),
             launch: str = typer.Option(..., help="LAT,LON or a site/region id"),
             target: Optional[str] = typer.Option(None, help="aim point (default: Washington, D.C., or 80% of range toward it)"),
             salvo: int = typer.Option(1, help="missiles launched together"),
             spacing_s: float = typer.Option(0.0, help="seconds between launches of the salvo"),
             shots_per_missile: int = typer.Option(1, help="interceptors that must be able to engage each missile"),
             altitude_km: float = typer.Option(300.0), inclination_deg: Optional[float] = typer.Option(None),
             dv_km_s: Optional[float] = typer.Option(None, help="interceptor delta-v (catalog sbi default)"),
             accel_g: Optional[float] = typer.Option(None, help="interceptor acceleration, g"),
             delay_s: Optional[float] = typer.Option(None, help="launch to firing decision, s"),
             deadline: Optional[str] = typer.Option(None, help="burnout (default) or deploy (RV/decoy release)"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Smallest Walker constellation giving every missile of a salvo K shots before burnout."""
    out = space_api.sbi_size(threat, launch, salvo, shots_per_missile, altitude_km, inclination_deg, dv_km_s,
                             accel_g, delay_s, spacing_s, target, deadline)
    _emit(out, as_json, _print_dict)


@sbi_app.command("cost")
def sbi_cost(count: int = typer.Option(...), unit_cost_usd: float = typer.Option(...),
             mass_kg: float = typer.Option(...), life_years: float = typer.Option(...),
             launch_usd_per_kg: float = typer.Option(...), ops_usd_per_year: float = typer.Option(0.0),
             years: int = typer.Option(20), learning_rate: float = typer.Option(0.85),
             base_year: int = typer.Option(2025, help="constant-dollar base year"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Lifecycle cost of a constellation (learning curve, launch, replacement, operations)."""
    out = space_api.sbi_cost(count, unit_cost_usd, mass_kg, life_years, launch_usd_per_kg, ops_usd_per_year,
                             years, learning_rate, base_year)
    _emit(out, as_json, _print_dict)


@app.command()
def coverage(constellation: str = typer.Option(..., help="catalog space-sensor ids, comma-separated"),
             region: str = typer.Option(..., help="LAT,LON or a site/region id"),
             radius_km: float = typer.Option(500.0, help="disc radius around a point"),
             hours: float = typer.Option(24.0), step_s: float = typer.Option(60.0),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """How well space sensors watch a region: time seen by >= 1 and >= 2 (stereo), gaps, data age."""
    out = space_api.coverage([c.strip() for c in constellation.split(",")], region, radius_km, hours, step_s)
    _emit(out, as_json, _print_dict)


@app.command(name="first-track")
def first_track(constellation: str = typer.Option(..., help="catalog space-sensor ids, comma-separated"),
                threat: str = typer.Option(..., help="catalog missile id"),
                launch: str = typer.Option(..., help="LAT,LON or a site/region id"),
                target: Optional[str] = typer.Option(None, help="aim point (default: Washington, D.C., or toward it)"),
                t_launch_s: float = typer.Option(0.0, help="launch time after the constellation epoch, s"),
                as_json: bool = typer.Option(False, "--json")) -> None:
    """Seconds after launch to the space layer's first detection and first stereo (3-D) track."""
    out = space_api.first_track([c.strip() for c in constellation.split(",")], threat, launch, target, t_launch_s)
    _emit(out, as_json, _print_dict)


def _print_dict(obj) -> None:
    table = Table(show_header=False)
    for k, v in obj.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            v = f"{len(v)} rows (see --json)"
        elif isinstance(v, float):
            v = f"{v:,.6g}"
        elif isinstance(v, dict):
            v = ", ".join(f"{a} {b:,.4g}" if isinstance(b, (int, float)) else f"{a} {b}" for a, b in v.items())
        table.add_row(k, str(v))
    console.print(table)


COLUMNS = [("missile", "missile"), ("range_km", "range km"), ("flight_time_s", "flight s"),
           ("apogee_km", "apogee km"), ("burnout_time_s", "burnout s"), ("burnout_speed_m_s", "burnout m/s"),
           ("max_speed_m_s", "max m/s"), ("miss_km", "miss km")]


def print_table(rows: list[dict], title: str = "") -> None:
    """Rows of equal keys as a table (numbers right-aligned, None as '-')."""
    table = Table(title=title or None)
    for k in rows[0] if rows else []:
        table.add_column(escape(str(k)), justify="right" if isinstance(rows[0][k], (int, float)) else "left")
    for r in rows:
        table.add_row(*("-" if v is None else f"{v:,.4g}" if isinstance(v, float) else escape(str(v)) for v in r.values()))
    console.print(table)


def print_rows(rows, title: str = "") -> None:
    table = Table(title=title or None)
    for k, head in COLUMNS:
        table.add_column(head, justify="left" if k == "missile" else "right", no_wrap=True)
    for r in rows:
        table.add_row(*("-" if r.get(k) is None else str(r.get(k)) for k, _ in COLUMNS))
    console.print(table)


def _print_catalog(obj) -> None:
    table = Table(title="missiles")
    for c in ("id", "class", "name", "sources"):
        table.add_column(c)
    for mid, m in obj["missiles"].items():
        table.add_row(mid, m["class"], m["name"], ", ".join(sorted(set(_keys(m["sources"])))))
    console.print(table)
    places = Table(title="places (sites and regions)")
    for c in ("id", "kind", "lat", "lon", "radius km", "source"):
        places.add_column(c)
    for pid, p in obj["places"].items():
        places.add_row(pid, p["kind"], f"{p['lat']:.3f}", f"{p['lon']:.3f}", f"{p['radius_km']:.0f}", p["source"])
    console.print(places)
    console.print(f"{len(obj['references'])} references: `goldendome catalog --json` prints them in full.")


def _keys(sources: dict):
    for v in sources.values():
        for key in str(v).split("|")[0].split(","):
            if key.strip():
                yield key.strip()


def _register_extensions() -> None:
    """Commands that live in their own modules (cost, priorities, sweep, plan, report, serve)."""
    import importlib

    for name in ("cli_cost", "cli_assets", "cli_sweep", "cli_plan", "cli_report", "cli_web"):
        try:
            mod = importlib.import_module(f".{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        mod.register(app)


_register_extensions()


def main() -> None:
    """Entry point: bad input exits 2 with one line on stderr, never a traceback."""
    try:
        rc = app(standalone_mode=False)
    except InputError as exc:
        _fail_line(str(exc))
    except Exception as exc:  # click's usage errors (typer may vendor click): exit_code 2 + a message
        if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
            raise
        msg = " ".join(exc.format_message().split())
        if not msg:  # bare `goldendome`: the help was printed
            sys.exit(0)
        _fail_line(msg)
    sys.exit(rc if isinstance(rc, int) else 0)


def _fail_line(msg: str) -> None:
    typer.echo(f"goldendome: error: {msg}", err=True)
    sys.exit(2)
