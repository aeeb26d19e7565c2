"""`goldendome sbi size|cost`, `coverage` and `first-track`: the space layer."""

from __future__ import annotations

from typing import Optional

import typer

from .lazy import lazy
from .console import emit, print_dict, print_kill_chain

app_space = lazy("goldendome.app.space")

sbi_app = typer.Typer(add_completion=False, no_args_is_help=True,
                      help="Space-based boost-phase interceptors: constellation size and cost.")


def sbi_size(threat: str = typer.Option(..., help="catalog missile id"),
             launch: str = typer.Option(..., help="LAT,LON or a site/region id"),
             target: Optional[str] = typer.Option(None, help="aim point (default: Washington, D.C., or 80% of range toward it)"),
             salvo: int = typer.Option(1, help="missiles launched together"),
             spacing_s: float = typer.Option(0.0, help="seconds between launches of the salvo"),
             shots_per_missile: int = typer.Option(1, help="interceptors that must be able to engage each missile"),
             altitude_km: Optional[float] = typer.Option(None, help="shell altitude (default: the scenario's, else 300)"),
             inclination_deg: Optional[float] = typer.Option(None, help="shell inclination, deg (default: the "
                                                             "scenario's, else max(45, launch latitude + 5))"),
             dv_km_s: Optional[float] = typer.Option(None, help="interceptor delta-v (catalog sbi default)"),
             accel_g: Optional[float] = typer.Option(None, help="interceptor acceleration, g"),
             delay_s: Optional[float] = typer.Option(None, help="launch to SBI firing, s (an assumed kill chain; "
                                                     "default: the scenario's, else the catalog's 60 s calibration)"),
             scenario: Optional[str] = typer.Option(None, help="scenario YAML: its sensors, tracker and C2 latency "
                                                    "give the kill chain (as run does), its SBI layer the shell"),
             deadline: Optional[str] = typer.Option(None, help="burnout (default) or deploy (RV/decoy release)"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Smallest Walker constellation giving every missile of a salvo K shots before burnout."""
    out = app_space.sbi_size(threat, launch, salvo, shots_per_missile, altitude_km, inclination_deg, dv_km_s,
                             accel_g, delay_s, spacing_s, target, deadline, scenario)
    emit(out, as_json, _print_size)


def _print_size(out: dict) -> None:
    print_dict({k: v for k, v in out.items() if k != "kill_chain"})
    print_kill_chain(out["kill_chain"], "kill chain")


def sbi_cost(count: int = typer.Option(..., help="SBIs in the constellation"),
             unit_cost_usd: Optional[float] = typer.Option(None, help="AVERAGE unit cost, FY2026 $, over --average-over "
                                                           "units (catalog: CBO's $22M)"),
             average_over: Optional[float] = typer.Option(None, help="units the average is taken over (catalog: "
                                                          "CBO's 7,800 bought four times, 31,200)"),
             learning_rate: Optional[float] = typer.Option(None, help="Wright learning rate (catalog: 0.9)"),
             mass_kg: Optional[float] = typer.Option(None, help="launch mass per SBI, kg (catalog: 1,250)"),
             life_years: Optional[float] = typer.Option(None, help="service life: replaced after it (catalog: 5)"),
             launch_usd_per_kg: Optional[float] = typer.Option(None, help="launch price, $/kg (catalog: 500)"),
             ops_usd_per_year: Optional[float] = typer.Option(None, help="operations of the whole layer per year "
                                                              "(catalog: per SBI, ~$1B a year for 7,800)"),
             production_per_year: Optional[float] = typer.Option(None, help="SBIs delivered per year (catalog: 1,000)"),
             first_fy: Optional[int] = typer.Option(None, help="first delivery year (catalog: FY2029)"),
             rdte_usd: Optional[float] = typer.Option(None, help="development still to pay, FY2026 $ (catalog: $5.6B)"),
             start_fy: int = typer.Option(2026, help="first fiscal year of the horizon"),
             years: int = typer.Option(20, help="horizon, fiscal years"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Lifecycle cost of an SBI constellation: `goldendome cost` of an architecture holding only it."""
    out = app_space.sbi_cost(count, unit_cost_usd, mass_kg, life_years, launch_usd_per_kg, ops_usd_per_year, years,
                             learning_rate, average_over, start_fy, production_per_year, first_fy, rdte_usd)
    emit(out, as_json, lambda o: print_dict({k: v for k, v in o.items() if k not in _LONG}))


_LONG = ("by_year_usd", "fiscal_years", "delivered_by_fy", "replaced_by_fy")


def coverage(constellation: str = typer.Option(..., help="catalog space-sensor ids, comma-separated"),
             region: str = typer.Option(..., help="LAT,LON or a site/region id"),
             radius_km: float = typer.Option(500.0, help="disc radius around a point"),
             hours: float = typer.Option(24.0, help="time span, h (at most 31 days)"),
             step_s: float = typer.Option(60.0, help="sample step, s (>= 1)"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """How well space sensors watch a region: time seen by >= 1 and >= 2 (stereo), gaps, data age."""
    out = app_space.coverage([c.strip() for c in constellation.split(",")], region, radius_km, hours, step_s)
    emit(out, as_json, print_dict)


def first_track(constellation: str = typer.Option(..., help="catalog space-sensor ids, comma-separated"),
                threat: str = typer.Option(..., help="catalog missile id"),
                launch: str = typer.Option(..., help="LAT,LON or a site/region id"),
                target: Optional[str] = typer.Option(None, help="aim point (default: Washington, D.C., or toward it)"),
                t_launch_s: float = typer.Option(0.0, help="launch time after the constellation epoch, s"),
                as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Seconds after launch to the space layer's first detection and first stereo (3-D) track."""
    out = app_space.first_track([c.strip() for c in constellation.split(",")], threat, launch, target, t_launch_s)
    emit(out, as_json, print_dict)


def register(app: typer.Typer) -> None:
    """Add the `sbi` group, `coverage` and `first-track`."""
    sbi_app.command("size")(sbi_size)
    sbi_app.command("cost")(sbi_cost)
    app.command()(coverage)
    app.command(name="first-track")(first_track)
    app.add_typer(sbi_app, name="sbi")
