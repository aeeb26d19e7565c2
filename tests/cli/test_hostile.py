"""Hostile and careless input, in process: one line on stderr, exit 2, no traceback, before any work.

Each case is one the reliability probe of issue 16 found giving a traceback, a hang, a heap
corruption in compiled code or a silent meaningless answer.
"""

import sys
import time

import pytest

from goldendome.cli import main

DEFENCE = "scenarios/nk-salvo-vs-defence.yaml"
CASES = [
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--salvo", "2", "--spacing-s", "-10"], "spacing_s"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--altitude-km", "inf"], "altitude_km"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--altitude-km", "-300"], "altitude_km"),
    (["sbi", "size", "--threat", "icbm-solid", "--launch", "sohae", "--delay-s", "inf"], "delay_s"),
    (["sbi", "cost", "--count", "1600", "--mass-kg", "nan"], "mass_kg"),
    (["sbi", "cost", "--count", "1600", "--mass-kg", "0"], "mass_kg"),
    (["sbi", "cost", "--count", "1600", "--unit-cost-usd", "nan"], "unit_cost_usd"),
    (["sbi", "cost", "--count", "1600", "--unit-cost-usd", "inf"], "unit_cost_usd"),
    (["sbi", "cost", "--count", "1600", "--launch-usd-per-kg", "nan"], "launch_usd_per_kg"),
    (["sbi", "cost", "--count", "1600", "--ops-usd-per-year", "nan"], "ops_usd_per_year"),
    (["sbi", "cost", "--count", "1600", "--years", "10000000"], "years"),
    (["sbi", "cost", "--count", "1600", "--life-years", "1e-9"], "life_years"),
    (["sbi", "cost", "--count", "1000000000000000"], "count"),
    (["sbi", "cost", "--count", "0"], "count"),
    (["cost", "medium", "--annual-budget-usd", "0"], "annual_budget_usd"),
    (["cost", "medium", "--years", "1000000"], "years"),
    (["track", DEFENCE, "--scan-s", "0"], "scan_s"),
    (["track", DEFENCE, "--scan-s", "-10"], "scan_s"),
    (["track", DEFENCE, "--scan-s", "nan"], "scan_s"),
    (["track", DEFENCE, "--scan-s", "1e-6"], "scan_s"),
    (["run", DEFENCE, "--seed", "-1"], "seed"),
    (["run", DEFENCE, "--seed", str(2**63)], "seed"),
    (["run", DEFENCE, "--trials", "10000000000000000000000000"], "trials"),
    (["run", DEFENCE, "--trials", "9000000"], "GOLDENDOME_MAX_MEMORY_GB"),
    (["site", "--budget-usd", "10e9", "--types", ",,"], "--types"),
    (["site", "--budget-usd", "10e9", "--candidates-top", "0"], "candidates_top"),
    (["site", "--budget-usd", "10e9", "--max-per-site", "-1"], "max_per_site"),
    (["priorities", "--weights", "countervalue=1,countervalue=2"], "given twice"),
    (["plan", "--seed", "-1"], "seed"),
    (["compare", "small", "--workers", "0"], "workers"),
    (["coverage", "--constellation", "opir-geo", "--region", "kp-north", "--step-s", "0.001"], "too large"),
    (["coverage", "--constellation", "opir-geo", "--region", "kp-north", "--hours", "1e6"], "too large"),
]


@pytest.mark.parametrize("argv, words", CASES, ids=[" ".join(a[:2]) + " " + a[-2] + "=" + a[-1] for a, _ in CASES])
def test_one_line_exit_2_before_any_work(argv, words, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["goldendome", *argv])
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as exc:
        main()
    err = capsys.readouterr().err
    assert exc.value.code == 2, err
    assert err.startswith("goldendome: error:") and err.count("\n") == 1 and words in err, err
    assert time.perf_counter() - t0 < 20.0  # refused up front, not after flying and tracking


def test_json_output_is_strict_json():
    """NaN or infinity in a result is written null, never a bare NaN token."""
    import io
    import json
    from contextlib import redirect_stdout

    from goldendome.cli.console import emit

    buf = io.StringIO()
    with redirect_stdout(buf):
        emit({"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": -float("inf"), "e": 2}}, True, print)
    assert json.loads(buf.getvalue(), parse_constant=lambda c: pytest.fail(f"bare {c}")) == \
        {"a": None, "b": [1.0, None], "c": {"d": None, "e": 2}}
