"""goldendome.app.cost and `goldendome cost`: catalog anchors, totals that add up, budget-limited roadmap, fielded state."""

import json
import math
from importlib import resources

import pytest
import typer
import yaml
from typer.testing import CliRunner

from goldendome.cli import cost as cli_cost
from goldendome.app import cost as app_cost
from goldendome.errors import InputError
from goldendome.scenario import catalog, costing
from goldendome.scenario.schema import Architecture

ARCH = Architecture(
    sensors=[{"kind": "space-ir", "type": "tracking-leo"}, {"kind": "radar", "type": "lrdr", "site": "clear-sfs"},
             {"kind": "radar", "type": "tpy2", "site": "40.93,140.30"}],
    effectors=[{"kind": "site", "type": "ngi", "site": "fort-greely", "inventory": 20},
               {"kind": "battery", "type": "thaad", "site": "seattle", "inventory": 48},
               {"kind": "ship", "type": "sm3-iia", "site": "40.0,-150.0", "inventory": 24},
               {"kind": "laser", "type": "laser-ground", "site": "washington-dc"},
               {"kind": "sbi", "count": 400, "altitude_km": 400}])


def _escalation(year):
    infl = costing.inflation()
    return infl.index[infl.base_fy] / infl.index[year]


def test_ngi_unit_cost_anchor():
    """NGI: $111M per operational interceptor (CAPE, 2021 $): the first 21 average exactly that."""
    entry = catalog.entry("interceptors.yaml", "interceptors", "ngi")
    assert entry["unit_cost_usd"] == 111.0e6 and entry["cost_year"] == 2021
    out = app_cost.cost(Architecture(effectors=[{"kind": "site", "type": "ngi", "site": "fort-greely",
                                                 "inventory": 21}]))
    (row,) = out["elements"]
    assert row["procurement"] == pytest.approx(21 * 111e6 * _escalation(2021), rel=1e-9)
    assert row["procurement"] / 21 > 111e6  # FY2026 dollars are worth less than FY2021 dollars


def test_hand_computed_thaad_battery():
    """THAAD battery = 48 rounds at $13M (2024 $) + battery $200M + TPY-2 $500M, O&S from delivery."""
    out = app_cost.cost(Architecture(effectors=[{"kind": "battery", "type": "thaad", "site": "seattle",
                                                 "inventory": 48}]))
    rows = {r["units"]: r for r in out["elements"]}
    e = _escalation(2024)
    assert rows["round"]["procurement"] == pytest.approx(48 * 13e6 * e, rel=1e-9)
    assert rows["battery"]["procurement"] == pytest.approx(200e6 * e, rel=1e-9)
    assert rows["radar"]["procurement"] == pytest.approx(500e6 * e, rel=1e-9) and rows["radar"]["type"] == "tpy2"
    # battery fielded FY2028 (first_fy): O&S $25M/yr for 2028-2045 (18 years)
    assert rows["battery"]["operations"] == pytest.approx(18 * 25e6 * e, rel=1e-9)
    # rounds delivered FY2027 (first_fy) with a 15-year life: replaced in FY2042 at the same price
    assert rows["round"]["replacement"] == pytest.approx(rows["round"]["procurement"], rel=1e-9)


def test_totals_add_up_over_years_layers_categories_and_elements():
    out = app_cost.cost(ARCH)
    total = out["total_cost_usd"]
    assert sum(out["cost_by_fy_usd"].values()) == pytest.approx(total, rel=1e-12)
    assert sum(out["cost_by_layer_usd"].values()) == pytest.approx(total, rel=1e-12)
    assert sum(out["cost_by_category_usd"].values()) == pytest.approx(total, rel=1e-12)
    assert sum(r["total_usd"] for r in out["elements"]) == pytest.approx(total, rel=1e-12)
    assert len(out["fiscal_years"]) == 20 and out["fiscal_years"][0] == 2026
    for la, series in out["by_fy_by_layer"].items():
        assert len(series) == 20 and sum(series) == pytest.approx(out["cost_by_layer_usd"][la])
    assert {"boost", "midcourse", "terminal", "directed-energy", "space-sensors", "ground-sensors"} == set(
        out["cost_by_layer_usd"])
    json.dumps(out)  # plain types only


def test_existing_installations_cost_operations_only():
    out = app_cost.cost(ARCH)
    rows = {r["id"]: r for r in out["elements"]}
    for rid in ("lrdr@clear-sfs", "tpy2@40.93,140.30"):
        assert rows[rid]["existing"] == 1 and rows[rid]["procurement"] == 0 and rows[rid]["operations"] > 0
    new = app_cost.cost(Architecture(sensors=[{"kind": "radar", "type": "lrdr", "site": "honolulu"}]))
    assert new["elements"][0]["procurement"] == pytest.approx(1.5e9 * _escalation(2021))


def test_then_year_exceeds_constant_after_base_year():
    const = app_cost.cost(ARCH)
    then = app_cost.cost(ARCH, dollars="then-year")
    rate = costing.inflation().rate
    assert then["cost_by_fy_usd"][2026] == pytest.approx(const["cost_by_fy_usd"][2026])
    for fy in range(2027, 2046):
        assert then["cost_by_fy_usd"][fy] == pytest.approx(const["cost_by_fy_usd"][fy] * (1 + rate) ** (fy - 2026))
    assert then["total_cost_usd"] > const["total_cost_usd"]


def test_sbi_layer_within_cbo_range_and_costs_more_per_unit_when_small():
    """CBO (May 2025): $161B-$542B over 20 years for SBI layers against 1-2 ICBMs (1,300-2,000 SBIs)."""
    out = {n: app_cost.cost(Architecture(effectors=[{"kind": "sbi", "count": n}])) for n in (1600, 400)}
    assert 161e9 <= out[1600]["cost_by_layer_usd"]["boost"] <= 542e9
    per_unit = {n: o["elements"][0]["procurement"] / n for n, o in out.items()}
    assert per_unit[400] > per_unit[1600]


def test_budget_cap_slows_fielding_and_is_respected():
    free = app_cost.roadmap(ARCH)
    out = app_cost.cost(ARCH, annual_budget_usd=4e9)
    capped = app_cost.roadmap(ARCH, annual_budget_usd=4e9)
    for fy, usd in out["cost_by_fy_usd"].items():
        if fy not in out["over_budget_fy"]:
            assert usd <= 4e9 * (1 + 1e-9)
    sbi_free = next(r for r in free["elements"] if r["kind"] == "sbi")
    sbi_capped = next(r for r in capped["elements"] if r["kind"] == "sbi")
    assert sbi_capped["full_fy"] is None or sbi_capped["full_fy"] > sbi_free["full_fy"]
    assert free["fully_fielded_fy"] is not None


def test_roadmap_rows():
    r = app_cost.roadmap(ARCH)
    ngi = next(e for e in r["elements"] if e["type"] == "ngi")
    assert ngi["first_delivery_fy"] == 2028 and ngi["full_fy"] == 2031  # 6 a year from FY2028
    assert [ngi["fielded_by_fy"][fy] for fy in (2027, 2028, 2029, 2030, 2031)] == [0, 6, 12, 18, 20]


def test_fielded_architecture_grows_year_by_year():
    early = app_cost.fielded_architecture(ARCH, 2026)
    assert [s.type for s in early.sensors] == ["tracking-leo", "lrdr", "tpy2"]
    assert early.effectors == []  # nothing delivered in FY2026
    mid = app_cost.fielded_architecture(ARCH, 2029)
    kinds = {e.get("type", e["kind"]): e for e in mid.effectors}
    assert kinds["ngi"]["inventory"] == 12 and kinds["thaad"]["inventory"] == 48
    assert kinds["sbi"]["count"] == 400 and "laser-ground" in kinds
    assert isinstance(mid, Architecture) and mid.c2 == ARCH.c2
    late = app_cost.fielded_architecture(ARCH, 2045)
    assert len(late.effectors) == len(ARCH.effectors)
    assert next(e for e in late.effectors if e.get("type") == "ngi")["inventory"] == 20


def test_catalog_sources_resolve():
    refs = catalog.all_references()
    costs = catalog.table("costs.yaml", "costs")
    used = set()

    def keys(src):
        if src.strip().startswith("derived:"):
            return []
        head, _, note = src.partition("|")
        assert not note or note.strip().startswith("derived:"), src
        return [k.strip() for k in head.split(",") if k.strip()]

    for tid, entry in costs.items():
        for name, block in entry.items():
            if not isinstance(block, dict):
                continue
            fields = set(block) - {"sources"}
            assert fields == set(block["sources"]), f"{tid}.{name}: fields without a source"
            for src in block["sources"].values():
                for k in keys(src):
                    assert k in refs, f"{tid}.{name}: unknown reference {k}"
                    used.add(k)
    infl = catalog.table("costs.yaml", "inflation")
    for src in infl["sources"].values():
        used.update(keys(src))
    mine = yaml.safe_load(resources.files("goldendome.catalog").joinpath("references_costs.yaml").read_text())
    assert set(mine) <= used, f"unused: {set(mine) - used}"
    assert {"thaad", "pac3-mse", "sm6", "sm3-iia", "gbi", "ngi", "underlayer", "sbi", "laser-ground", "lrdr",
            "tpy2", "uewr", "spy6", "opir-geo", "opir-heo", "tracking-leo", "tracking-meo"} <= set(costs)


def test_bad_input_is_one_line():
    with pytest.raises(InputError, match="no cost data for type"):
        app_cost.cost(Architecture(sensors=[{"kind": "radar", "type": "nope", "site": "clear"}]))
    with pytest.raises(InputError, match="dollars"):
        app_cost.cost(ARCH, dollars="euros")
    with pytest.raises(InputError, match="years"):
        app_cost.cost(ARCH, years=0)
    with pytest.raises(InputError):
        app_cost.cost(ARCH, annual_budget_usd=-1.0)


def _app():
    app = typer.Typer()

    @app.callback()
    def _root():
        """test root"""

    cli_cost.register(app)
    return app


def test_cli_cost_json_from_scenario_file(tmp_path):
    sc = {"schema": "goldendome/v1", "name": "t", "threats": [{"missile": "icbm-solid", "launch": "sohae",
                                                               "target": "seattle"}],
          "architecture": json.loads(ARCH.model_dump_json())}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(_app(), ["cost", str(path), "--json", "--then-year", "--years", "10"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["dollars"] == "then-year" and len(out["cost_by_fy_usd"]) == 10
    assert out["roadmap"]["fiscal_years"][-1] == 2035
    table = CliRunner().invoke(_app(), ["cost", str(path), "--annual-budget-usd", "5e9"])
    assert table.exit_code == 0 and "FY" in table.stdout and math.isfinite(out["total_cost_usd"])


def test_cli_cost_bad_path_raises_input_error(tmp_path):
    res = CliRunner().invoke(_app(), ["cost", str(tmp_path / "missing.yaml")])
    assert isinstance(res.exception, InputError) and "no such scenario file" in str(res.exception)


def test_preset_names_are_accepted_when_presets_exist():
    import importlib.util

    if importlib.util.find_spec("goldendome.scenario.presets") is None:
        pytest.skip("scenario.presets not there yet")
    from goldendome.scenario import presets

    name = presets.names()[0]
    out = app_cost.cost(name)
    assert out["total_cost_usd"] > 0
    assert sum(out["cost_by_fy_usd"].values()) == pytest.approx(out["total_cost_usd"])
    assert isinstance(app_cost.fielded_architecture(name, 2030), Architecture)


def test_every_preset_costs_and_the_larger_cost_more():
    """Every sensor and effector type in the presets has cost data (a new type without it broke
    `goldendome cost large` once); small < medium < large over 20 years."""
    from goldendome.scenario import presets

    totals = {name: app_cost.cost(name)["total_cost_usd"] for name in ("small", "medium", "large")}
    assert 0 < totals["small"] < totals["medium"] < totals["large"], totals
    e7 = [r for r in app_cost.cost("large")["elements"] if r["id"].startswith("e7-mesa@")]
    assert len(e7) == 3 and all(3.0e9 < r["total_usd"] < 7.0e9 for r in e7), e7  # 4 aircraft an orbit + O&S
    assert presets.names() == sorted(totals) or set(presets.names()) == set(totals)
