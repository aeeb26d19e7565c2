"""`goldendome compare` and `goldendome plan`: reference architectures against threat sets."""

from __future__ import annotations

from typing import List, Optional

import typer

from .lazy import lazy
from .console import console, emit, print_table, with_progress

app_plan = lazy("goldendome.app.plan")


def _sets(threats: Optional[str]):
    return [s.strip() for s in threats.split(",") if s.strip()] if threats else None


def register(app: typer.Typer) -> None:
    @app.command()
    def compare(archs: List[str] = typer.Argument(None, help="architecture presets (default: small medium large)"),
                threats: Optional[str] = typer.Option(None, help="threat sets, comma-separated (default: all)"),
                raid_sizes: bool = typer.Option(False, "--raid-sizes", help="every raid size of each set, 1 to saturation"),
                trials: int = typer.Option(2000, help="Monte Carlo trials per cell"),
                seed: int = typer.Option(7, help="random seed (the same for every cell: common random numbers)"),
                workers: Optional[int] = typer.Option(None, help="processes (default: all cores)"),
                as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
        """Architectures against threat sets: P(no leak), expected leakers, 20-year cost, cost per defended value."""
        kw = dict(archs=archs or None, sets=_sets(threats), trials=trials, seed=seed, raid_sizes=raid_sizes, workers=workers)
        out = with_progress("compare", as_json, app_plan.compare, **kw)
        emit(out, as_json, lambda o: print_table([_compare_row(r) for r in o["rows"]], title="compare"))

    @app.command()
    def plan(out: Optional[str] = typer.Option(None, "--out", help="folder for plan.json (for `goldendome report`)"),
             archs: Optional[str] = typer.Option(None, help="architecture presets, comma-separated (default: all)"),
             threats: Optional[str] = typer.Option(None, help="threat sets, comma-separated (default: all)"),
             trials: int = typer.Option(2000, help="Monte Carlo trials per cell"),
                seed: int = typer.Option(7, help="random seed (the same for every cell: common random numbers)"),
             workers: Optional[int] = typer.Option(None, help="processes (default: all cores)"),
             as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
        """The implementation plan: per architecture composition, performance, cost by FY, roadmap, priorities."""
        kw = dict(out_dir=out, archs=_sets(archs), sets=_sets(threats), trials=trials, seed=seed, workers=workers)
        res = with_progress("plan", as_json, app_plan.plan, **kw)
        emit(res, as_json, _print_plan)


def _compare_row(r: dict) -> dict:
    cpv = r["cost_per_defended_value_usd"]
    return {"architecture": r["architecture"], "threat set": r["threat_set"], "raid": r["raid"],
            "P(no leak)": r["p_no_leak"], "E[leakers]": r["expected_leakers"],
            "20-yr cost $B": round(r["total_cost_usd"] / 1e9, 1),
            "$B per value saved": None if cpv is None else round(cpv / 1e9)}


def _print_plan(res: dict) -> None:
    rows = []
    for a in res["architectures"]:
        row = {"architecture": a["name"], "20-yr cost $B": round(a["total_cost_usd"] / 1e9, 1),
               "fielded FY": a["fully_fielded_fy"]}
        row.update({s: f"{v['p_no_leak']:.2f} / {v['expected_leakers']:.2f}" for s, v in a["threat_sets"].items()})
        rows.append(row)
    print_table(rows, title="plan: P(no leak) / expected leakers per threat set (nominal raid)")
    console.print(f"most cost-effective: [bold]{res['recommendation']['architecture']}[/bold]. "
                  f"{res['recommendation']['why']}")
    if res.get("path"):
        console.print(f"written: {res['path']}")
