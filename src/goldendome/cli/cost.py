"""`goldendome cost ARCH`: lifecycle cost by fiscal year and fielding roadmap of an architecture.

Wired into the main CLI by ``register(app)``; prints one JSON object with --json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .lazy import lazy
from ..errors import InputError
from .console import emit
from .console import wide_console as console

app_cost = lazy("goldendome.app.cost")
scenario_load = lazy("goldendome.scenario.load")


def architecture_arg(arch: str):
    """A preset name, or a scenario YAML path whose architecture is used."""
    p = Path(arch)
    if p.suffix.lower() in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise InputError(f"{arch}: no such scenario file")
        return app_cost.architecture_of(scenario_load.load(p).architecture)
    return app_cost.architecture_of(arch)


def register(app: typer.Typer) -> None:
    """Add the ``cost`` command to ``app``."""

    @app.command(name="cost")
    def cost_cmd(arch: str = typer.Argument(..., help="architecture preset name, or a scenario YAML path"),
                 then_year: bool = typer.Option(False, "--then-year", help="then-year dollars (default constant FY2026)"),
                 start_fy: int = typer.Option(2026, help="first fiscal year"),
                 years: int = typer.Option(20, help="horizon, fiscal years"),
                 annual_budget_usd: Optional[float] = typer.Option(None, help="cap on each year's spending, USD"),
                 as_json: bool = typer.Option(False, "--json", help="print one JSON object")) -> None:
        """Lifecycle cost by fiscal year (per layer and category) and the fielding roadmap."""
        a = architecture_arg(arch)
        out = app_cost.cost(a, start_fy, years, "then-year" if then_year else "constant", annual_budget_usd)
        out["roadmap"] = app_cost.roadmap(a, start_fy, years, annual_budget_usd)
        emit(out, as_json, print_cost)


def _b(usd: float) -> str:
    return f"{usd / 1e9:,.2f}"


def print_cost(out: dict) -> None:
    """Tables: $B by fiscal year and layer, then per element with the year it is fully fielded."""
    layers = list(out["by_fy_by_layer"])
    t = Table(title=f"cost, $B ({out['dollars']} FY{out['base_fy']} dollars)" if out["dollars"] == "constant"
              else "cost, $B (then-year dollars)")
    for c in ["FY", *layers, "total"]:
        t.add_column(c, justify="right")
    for y, fy in enumerate(out["fiscal_years"]):
        t.add_row(str(fy), *(_b(out["by_fy_by_layer"][la][y]) for la in layers), _b(out["cost_by_fy_usd"][fy]))
    t.add_row("all", *(_b(out["cost_by_layer_usd"][la]) for la in layers), _b(out["total_cost_usd"]))
    console.print(t)
    e = Table(title="elements")
    cols = ["id", "layer", "quantity", "existing", "full_fy", "total $B"]
    for c in cols:
        e.add_column(c, justify="left" if c == "id" else "right")
    for r in out["elements"]:
        e.add_row(r["id"], r["layer"], str(r["quantity"]), str(r["existing"]), str(r["full_fy"] or "-"),
                  _b(r["total_usd"]))
    console.print(e)
    cats = ", ".join(f"{k} {_b(v)}" for k, v in out["cost_by_category_usd"].items())
    console.print(f"by category ($B): {cats}")
    if out.get("over_budget_fy"):
        console.print(f"committed costs exceed the annual budget in FY {out['over_budget_fy']}")
