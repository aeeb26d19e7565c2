"""Commands `goldendome priorities` and `goldendome site` (defended locations, battery siting).

cli.main calls :func:`register` on its app. Bad input raises InputError, which cli.main turns
into one line on stderr and exit code 2.
"""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from . import defaults
from .lazy import lazy
from .console import console, emit

app_assets = lazy("goldendome.app.assets")


def priorities(weights: Optional[str] = typer.Option(
                   None, help="NAME=W,... over countervalue, second-strike, infrastructure (>= 0, not all 0); "
                              "default equal weights"),
               top: int = typer.Option(20, help="rows to print"),
               scale: str = typer.Option(defaults.DEFAULT_SCALE, help="countervalue scale: log (default) or linear (people)"),
               as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Rank defended locations (cities, second-strike and command sites, infrastructure) with the reason for each rank."""
    rows = app_assets.priorities(app_assets.parse_weights(weights), top, scale)
    obj = {"weights": rows[0]["weights"] if rows else {}, "scale": scale, "priorities": rows, "credit": defaults.GEONAMES_CREDIT}
    emit(obj, as_json, _print_priorities)


def _print_priorities(obj) -> None:
    w = ", ".join(f"{k} {v:.2f}" for k, v in obj["weights"].items())
    table = Table(title=f"priorities (weights {w}; countervalue scale {obj['scale']})")
    for c, j in (("rank", "right"), ("location", "left"), ("score", "right"), ("why", "left")):
        table.add_column(c, justify=j)
    for r in obj["priorities"]:
        why = r["reason"].split(" - ", 1)[-1]
        table.add_row(str(r["rank"]), r["name"], f"{r['value']:.3f}", why)
    console.print(table)
    console.print(obj["credit"])


def site(budget_usd: float = typer.Option(..., help="total spend cap, USD (e.g. 5e9)"),
         types: str = typer.Option(",".join(defaults.DEFAULT_TYPES), help="battery types, comma-separated "
                                   "(thaad, pac3-mse, underlayer)"),
         assets: str = typer.Option("us-homeland", help="asset preset to defend: " + ", ".join(defaults.ASSET_PRESETS)),
         candidates_top: int = typer.Option(defaults.PRESET_SIZE, help="candidate sites: the preset's N most valuable locations"),
         max_per_site: int = typer.Option(1, help="batteries of any type at one site"),
         as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
    """Place terminal and underlayer batteries to maximise the covered value under a budget (MILP)."""
    out = app_assets.site_batteries(budget_usd, [t.strip() for t in types.split(",") if t.strip()],
                                    top=candidates_top, assets=assets, max_per_site=max_per_site)
    emit(out, as_json, _print_site)


def _print_site(out) -> None:
    table = Table(title=f"{len(out['batteries'])} batteries for {out['assets']}: "
                        f"${out['spent_usd'] / 1e9:.2f}B of ${out['budget_usd'] / 1e9:.2f}B")
    for c in ("site", "type", "layer", "cost $B", "radius km", "covers"):
        table.add_column(c)
    for b in out["batteries"]:
        table.add_row(b["site"], b["type"], b["layer"], f"{b['cost_usd'] / 1e9:.2f}", f"{b['radius_km']:.0f}",
                      f"{len(b['covers'])}: " + ", ".join(b["covers"][:6]) + (" ..." if len(b["covers"]) > 6 else ""))
    console.print(table)
    console.print(f"covered value {out['covered_value']:.3f} (any layer {out['covered_any_layer']:.3f}, "
                  f"all layers {out['covered_all_layers']:.3f}) of 1; solved in {out['solve_s']} s")
    console.print(out["notes"])


def register(app: typer.Typer) -> None:
    """Add `priorities` and `site` to the goldendome command line."""
    app.command(name="priorities")(priorities)
    app.command(name="site")(site)

