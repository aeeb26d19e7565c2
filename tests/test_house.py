"""The house (docs/architecture.md): four modules at the top, every package in the layers
contract, one vocabulary per concept, every command registered, the version everywhere."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import goldendome
from goldendome.cli import app
from goldendome.effectors.layers import LAYER_BY_TYPE, LAYER_NAMES, Layer
from goldendome.threats import kernel
from goldendome.threats.phases import PHASE_NAMES, Phase

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "goldendome"
COMMANDS = {"fly", "catalog", "schema", "track", "run", "demo", "runs", "sbi", "coverage", "first-track", "cost",
            "priorities", "site", "sweep", "compare", "plan", "report", "serve", "validate"}


def test_at_most_four_modules_at_the_top():
    assert {p.name for p in PKG.glob("*.py")} <= {"__init__.py", "__main__.py", "_version.py", "errors.py"}


def _contract_layers() -> set[str]:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in cfg["contracts"] if c["type"] == "layers")["layers"]
    return {name.strip().removeprefix("goldendome.") for layer in layers for name in layer.split("|")}


def test_every_package_and_module_is_placed_in_the_layers_contract():
    parts = {p.name for p in PKG.iterdir() if (p / "__init__.py").is_file()}
    parts |= {p.stem for p in PKG.glob("*.py") if not p.stem.startswith("__")}
    assert parts == _contract_layers(), "a package outside the layers contract escapes the one-way rule"


def test_no_ignored_imports_in_the_contracts():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert all("ignore_imports" not in c for c in cfg["contracts"])


def test_every_command_family_is_registered():
    import typer

    assert set(typer.main.get_command(app).commands) == COMMANDS
    assert CliRunner().invoke(app, ["--help"]).exit_code == 0


def test_version_from_the_command_line_and_python_m():
    for argv in ([sys.executable, "-m", "goldendome", "--version"], [sys.executable, "-c",
                 "from goldendome.cli import main; main()", "--version"]):
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0 and p.stdout.strip() == f"goldendome {goldendome.__version__}", p.stderr


def test_the_version_is_the_one_pyproject_and_the_changelog_give():
    from goldendome.study.store import package_version

    assert package_version() == goldendome.__version__
    assert f"## {goldendome.__version__}" in (ROOT / "CHANGELOG.md").read_text()
    assert "Apache License" in (ROOT / "LICENSE").read_text()[:200]


def test_phase_codes_are_the_kernel_codes():
    assert (kernel.BOOST, kernel.COAST, kernel.BALLISTIC, kernel.GLIDE, kernel.TERMINAL, kernel.DONE,
            kernel.NOT_LAUNCHED) == (Phase.BOOST, Phase.POST_BOOST, Phase.BALLISTIC, Phase.GLIDE, Phase.TERMINAL,
                                     Phase.DONE, Phase.NOT_LAUNCHED)
    assert PHASE_NAMES == ("boost", "post-boost", "ballistic", "glide", "terminal", "done", "cruise", "not-launched")


def test_a_flown_glider_passes_through_its_phases_in_order():
    from goldendome.scenario.threats import fly_salvos, salvo

    traj = fly_salvos([salvo("hgv-regional", "39.0,125.0", "35.0,139.0")], seed=1)
    lead = traj.phase[0]
    assert set(np.unique(traj.phase)) <= set(Phase)
    seen = [Phase(p) for i, p in enumerate(lead) if i == 0 or p != lead[i - 1]]
    order = [Phase.NOT_LAUNCHED, Phase.BOOST, Phase.POST_BOOST, Phase.BALLISTIC, Phase.GLIDE, Phase.TERMINAL,
             Phase.DONE]
    assert Phase.GLIDE in seen and Phase.DONE in seen
    assert [order.index(p) for p in seen] == sorted(order.index(p) for p in seen), seen


def test_layer_labels_round_trip_and_every_catalog_kinetic_type_has_a_layer():
    from goldendome.scenario import catalog

    assert [Layer.from_label(name) for name in LAYER_NAMES] == list(Layer)
    with pytest.raises(KeyError):
        Layer.from_label("exosphere")
    kinetic = [k for k, e in catalog.table("interceptors.yaml", "interceptors").items() if e.get("class") == "kinetic"]
    assert set(kinetic) <= set(LAYER_BY_TYPE), set(kinetic) - set(LAYER_BY_TYPE)
