"""The command line builds without loading the application: `goldendome --help` and a refused flag
stay fast, and the defaults the CLI keeps for that are the application's own."""

import subprocess
import sys

from goldendome.cli import defaults

HEAVY = ("numpy", "scipy", "numba", "duckdb", "pydantic", "plotly", "goldendome.app.run", "goldendome.scenario")


def test_building_the_cli_loads_no_numerical_stack():
    code = ("import sys, goldendome.cli.main; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout + out.stderr


def test_cli_defaults_are_the_applications():
    from goldendome.app import assets as app_assets
    from goldendome.app import catalog as app_catalog
    from goldendome.assets.value import DEFAULT_SCALE
    from goldendome.scenario import assets as scenario_assets
    from goldendome.scenario.build import SCAN_S
    from goldendome.scenario.places import GEONAMES_CREDIT
    from goldendome.study.store import DEFAULT_PATH

    assert defaults.STORE == DEFAULT_PATH and defaults.SCAN_S == SCAN_S and defaults.DEFAULT_SCALE == DEFAULT_SCALE
    assert defaults.PRESET_SIZE == scenario_assets.PRESET_SIZE and defaults.DEFAULT_TYPES == app_assets.DEFAULT_TYPES
    assert defaults.ASSET_PRESETS == tuple(scenario_assets.PRESETS)
    assert defaults.CATALOG_KINDS == tuple(app_catalog.KINDS) and defaults.GEONAMES_CREDIT == GEONAMES_CREDIT
